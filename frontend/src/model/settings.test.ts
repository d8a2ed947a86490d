import { describe, expect, it } from 'vitest'
import type { ModelSettings } from '../api/modelApi'
import {
  DEFAULT_SETTINGS,
  FIELDS,
  callPlanKeys,
  changesBySection,
  clone,
  diffPaths,
  differs,
  errorPath,
  fieldsOf,
  firstInvalid,
  fromInput,
  getPath,
  hoursPerYear,
  key,
  normalise,
  resetPath,
  sameNumber,
  sectionOf,
  setPath,
  splitPath,
  targetSummary,
  toInput,
  toRequest,
} from './settings'

const draft = (): ModelSettings => normalise(clone(DEFAULT_SETTINGS))

describe('paths', () => {
  const cases: [string, string[]][] = [
    ['weeksPerYear', ['weeksPerYear']],
    ['model.travel.speedKmh', ['model', 'travel', 'speedKmh']],
    ['bands.0', ['bands', '0']],
    ['targets[T.1]', ['targets', 'T.1']],
    ['callPlans[A].visitsPerYear', ['callPlans', 'A', 'visitsPerYear']],
    ['model.accountCallPlans[acc 7].visitMinutes', ['model', 'accountCallPlans', 'acc 7', 'visitMinutes']],
  ]
  for (const [path, want] of cases) it(`splits ${path}`, () => expect(splitPath(path)).toEqual(want))

  it('key writes map keys in brackets', () => {
    expect(key('targets', 'T.1')).toBe('targets[T.1]')
    expect(key('callPlans', 'A', 'visitsPerYear')).toBe('callPlans[A].visitsPerYear')
  })

  it('gets and sets through maps, arrays and keys with dots', () => {
    const s = draft() as unknown as Record<string, unknown>
    setPath(s, 'targets[T.1]', 0.2)
    setPath(s, 'bands.1', 0.12)
    setPath(s, 'model.travel.speedKmh', 60)
    expect(getPath(s, 'targets[T.1]')).toBe(0.2)
    expect(getPath(s, 'bands.1')).toBe(0.12)
    expect(getPath(s, 'model.travel.speedKmh')).toBe(60)
    expect(getPath(s, 'model.nothing.here')).toBeUndefined()
    setPath(s, 'targets[T.1]', undefined)
    expect(getPath(s, 'targets')).toEqual({})
  })
})

describe('diffPaths: which values differ from the defaults', () => {
  const cases: { name: string; change: (s: ModelSettings) => void; want: string[] }[] = [
    { name: 'nothing changed', change: () => {}, want: [] },
    { name: 'a scalar', change: (s) => (s.weeksPerYear = 44), want: ['weeksPerYear'] },
    { name: 'a rounding difference is no change', change: (s) => (s.bands![0] = 0.1 + 0.2 - 0.25), want: [] },
    { name: 'a band', change: (s) => (s.bands![2] = 0.25), want: ['bands.2'] },
    { name: 'a call plan cell', change: (s) => (s.callPlans!.B.visitMinutes = 50), want: ['callPlans[B].visitMinutes'] },
    { name: 'a call plan added', change: (s) => (s.callPlans!.golden = { visitsPerYear: 36, visitMinutes: 60, travelMinutes: 30 }), want: ['callPlans[golden]'] },
    { name: 'a call plan removed', change: (s) => delete s.callPlans!.C, want: ['callPlans[C]'] },
    { name: 'a weight changed', change: (s) => (s.weights!.potential = 40), want: ['weights[potential]'] },
    { name: 'a zero weight added is no change', change: (s) => (s.weights!.travelHours = 0), want: [] },
    { name: 'a weight added', change: (s) => (s.weights!.travelHours = 5), want: ['weights[travelHours]'] },
    { name: 'a weight removed', change: (s) => delete s.weights!.revenue, want: ['weights[revenue]'] },
    { name: 'a target set', change: (s) => (s.targets!['T.1'] = 0.3), want: ['targets[T.1]'] },
    { name: 'a model value', change: (s) => (s.model!.segments.cutA = 0.7), want: ['model.segments.cutA'] },
    { name: 'a word', change: (s) => (s.model!.travel.mode = 'perVisit'), want: ['model.travel.mode'] },
    { name: 'a curve', change: (s) => (s.model!.responses!.A.retention = 0.5), want: ['model.responses[A].retention'] },
    { name: 'new reps in another order are the same', change: (s) => (s.model!.quota.newReps = []), want: [] },
    { name: 'a rule switched off', change: (s) => (s.model!.alerts.off = ['balance']), want: ['model.alerts.off'] },
    { name: 'an account call plan', change: (s) => (s.model!.accountCallPlans = { x: { visitsPerYear: 1, visitMinutes: 1, travelMinutes: 1 } }), want: ['model.accountCallPlans[x]'] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const s = draft()
      c.change(s)
      expect(diffPaths(s, DEFAULT_SETTINGS)).toEqual(c.want)
    })
  }

  it('treats lists of names as sets', () => {
    const a = draft()
    const b = draft()
    a.model!.quota.newReps = ['r1', 'r2']
    b.model!.quota.newReps = ['r2', 'r1']
    expect(diffPaths(a, b)).toEqual([])
    b.model!.quota.newReps = ['r2']
    expect(diffPaths(a, b)).toEqual(['model.quota.newReps'])
  })

  it('reads null maps as empty (as Go may send them)', () => {
    const s = clone(DEFAULT_SETTINGS) as ModelSettings
    s.targets = null
    expect(diffPaths(s, DEFAULT_SETTINGS)).toEqual([])
  })
})

describe('sections', () => {
  const cases: [string, string][] = [
    ['weeksPerYear', 'workload'],
    ['callPlans[golden]', 'workload'],
    ['defaultCallPlan.visitMinutes', 'workload'],
    ['model.travel.speedKmh', 'workload'],
    ['model.accountCallPlans[x]', 'workload'],
    ['weights[potential]', 'balance'],
    ['targets[T1]', 'balance'],
    ['bands.0', 'balance'],
    ['model.segments.cutA', 'segments'],
    ['model.responses[A].shape', 'revenue'],
    ['model.disruptionShare', 'revenue'],
    ['model.quota.ramp', 'quotas'],
    ['model.alerts.off', 'alerts'],
  ]
  for (const [p, s] of cases) it(`${p} is in ${s}`, () => expect(sectionOf(p)).toBe(s))

  it('counts changes per section', () => {
    expect(changesBySection(['weeksPerYear', 'bands.0', 'targets[a]', 'model.alerts.off'])).toEqual({
      workload: 1,
      balance: 2,
      segments: 0,
      revenue: 0,
      quotas: 0,
      alerts: 1,
    })
  })

  it('differs finds values under a path', () => {
    const changed = ['callPlans[A].visitsPerYear', 'bands.1']
    expect(differs(changed, 'callPlans[A]')).toBe(true)
    expect(differs(changed, 'callPlans')).toBe(true)
    expect(differs(changed, 'callPlans[B]')).toBe(false)
    expect(differs(changed, 'bands.1')).toBe(true)
    expect(differs(changed, 'bands.10')).toBe(false)
  })

  it('every scalar field exists in the defaults and its section is where its path says', () => {
    for (const f of FIELDS) {
      expect(getPath(DEFAULT_SETTINGS, f.path), f.path).not.toBeUndefined()
      expect(sectionOf(f.path), f.path).toBe(f.section)
    }
  })

  it('shows the blend weight only for the blend basis, travel details only when estimated per territory', () => {
    const s = draft()
    expect(fieldsOf('segments', s).map((f) => f.path)).not.toContain('model.segments.blendPotential')
    s.model!.segments.basis = 'blend'
    expect(fieldsOf('segments', s).map((f) => f.path)).toContain('model.segments.blendPotential')
    s.model!.travel.mode = 'perVisit'
    const w = fieldsOf('workload', s).map((f) => f.path)
    expect(w).not.toContain('model.travel.speedKmh')
    expect(w).toContain('model.travel.costPerKm')
  })
})

describe('resetPath', () => {
  it('puts a default back and removes what the defaults lack', () => {
    const s = draft()
    s.callPlans!.A.visitsPerYear = 30
    s.callPlans!.golden = { visitsPerYear: 36, visitMinutes: 60, travelMinutes: 30 }
    resetPath(s, DEFAULT_SETTINGS, 'callPlans[A]')
    resetPath(s, DEFAULT_SETTINGS, 'callPlans[golden]')
    expect(diffPaths(s, DEFAULT_SETTINGS)).toEqual([])
  })
  it('does not share objects with the defaults', () => {
    const s = draft()
    resetPath(s, DEFAULT_SETTINGS, 'model.travel')
    s.model!.travel.speedKmh = 80
    expect(DEFAULT_SETTINGS.model.travel.speedKmh).toBe(50)
  })
})

describe('inputs', () => {
  const reads: [string, 'number' | 'percent' | 'int', number][] = [
    ['46', 'number', 46],
    [' 1,5 ', 'number', 1.5],
    ['12.5', 'percent', 0.125],
    ['12.5%', 'percent', 0.125],
    ['−5', 'percent', -0.05],
    ['1e3', 'number', 1000],
    ['6', 'int', 6],
  ]
  for (const [text, kind, want] of reads) it(`reads ${JSON.stringify(text)} as ${kind}`, () => expect(sameNumber(fromInput(text, kind), want)).toBe(true))
  for (const [text, kind] of [['', 'number'], ['abc', 'number'], ['1.2.3', 'number'], ['6.5', 'int'], ['--1', 'percent']] as const) {
    it(`refuses ${JSON.stringify(text)} as ${kind}`, () => expect(fromInput(text, kind)).toBeNaN())
  }
  it('writes percentages ×100 without float noise', () => {
    expect(toInput(0.07, 'percent')).toBe('7')
    expect(toInput(0.1 + 0.2, 'number')).toBe('0.3')
    expect(toInput(3.400000000000001, 'number')).toBe('3.4')
    expect(toInput(NaN, 'number')).toBe('')
  })
})

describe('firstInvalid and toRequest', () => {
  it('names the first value that is not a number', () => {
    const s = draft()
    expect(firstInvalid(s)).toBeNull()
    s.callPlans!.B.visitMinutes = NaN
    expect(firstInvalid(s)).toBe('callPlans[B].visitMinutes')
  })
  it('sends weights and targets without zeros, the model only to a Go side that has one', () => {
    const s = draft()
    s.weights!.travelHours = 0
    s.targets = { T1: 0.3, T2: 0 }
    const r = toRequest(s, true)
    expect(r.weights).toEqual({ potential: 30, revenue: 10, workloadHours: 60 })
    expect(r.targets).toEqual({ T1: 0.3 })
    expect(r.model?.segments.basis).toBe('potential')
    expect(toRequest(s, false).model).toBeUndefined()
    expect(s.weights!.travelHours).toBe(0)
  })
})

describe('errorPath: where a message from Go belongs', () => {
  const cases: [string, string | null][] = [
    ['metrics: weeks per year is 60, want more than 0 and at most 53', 'weeksPerYear'],
    ['metrics: call plan for tier "B": visit minutes is -5, want a finite number ≥ 0', 'callPlans[B]'],
    ['metrics: call plan for other tiers: visits per year is -1, want a finite number ≥ 0', 'defaultCallPlan'],
    ['call plan for account "acc-9": no such account in the plan', 'model.accountCallPlans[acc-9]'],
    ['call plan of account "x": visit minutes is -1, want a finite number ≥ 0', 'model.accountCallPlans[x]'],
    ['metrics: deviation band 2 is -0.1, want a finite fraction > 0', 'bands.1'],
    ['metrics: deviation bands [0.1 0.05 0.2] are not ascending', 'bands'],
    ['metrics: target share of territory "T.7" is -1, want a finite share > 0', 'targets[T.7]'],
    ['metrics: weight of "potential" is -3, want a finite number ≥ 0', 'weights[potential]'],
    ['metrics: weight for unknown metric "nope"', 'weights[nope]'],
    ['metrics: weight for "accounts", whose balance is not measured', 'weights[accounts]'],
    ['segments: cut-offs A 0.9 and B 0.8, want 0 < A < B ≤ 1', 'model.segments.cutA'],
    ['segments: cut-offs A 0.6 and B 1.2, want 0 < A < B ≤ 1', 'model.segments.cutB'],
    ['segments: cut-offs A -0.1 and B 0.9, want 0 < A < B ≤ 1', 'model.segments.cutA'],
    ['segments: recent months 0, want 1 to 120', 'model.segments.recentMonths'],
    ['segments: white-space revenue share 2, want 0 to 1', 'model.segments.whiteSpaceShare'],
    ['segments: basis "x", want potential, revenue, blend or tier', 'model.segments.basis'],
    ['travel mode "car", want territory or perVisit', 'model.travel.mode'],
    ['metrics: travel speed is 0, want a finite number > 0', 'model.travel.speedKmh'],
    ['metrics: travel detour factor is 0, want a finite number > 0', 'model.travel.detourFactor'],
    ['metrics: admin share 1.2, want 0 ≤ share < 1', 'model.adminShare'],
    ['metrics: disruption share 2, want 0 to 1', 'model.disruptionShare'],
    ['standard rep hours per week 200, want 0 to 168', 'model.repHoursPerWeek'],
    ['response curve of class "A": saturation 0.9, want a finite a > 1', 'model.responses[A]'],
    ['default response curve: shape 0, want 0 < c ≤ 50', 'model.defaultResponse'],
    ['quota weight of potential is -1, want a finite number ≥ 0', 'model.quota.potential'],
    ['quota weights are all zero; give history, potential or even a weight', 'model.quota.history'],
    ['ramp factor 0, want more than 0 and at most 1', 'model.quota.ramp'],
    ['quota growth -2, want more than −100 %', 'model.quota.growth'],
    ['alert threshold low utilisation is 0, want a finite number > 0', 'model.alerts.utilisationLow'],
    ['alert thresholds: low utilisation 1.2 is not below high utilisation 1.1', 'model.alerts.utilisationLow'],
    ['unknown alert rule "x", want one of balance, utilisationLow', 'model.alerts.off'],
    ['the plan is read-only', null],
  ]
  for (const [msg, want] of cases) it(msg, () => expect(errorPath(msg)).toBe(want))
})

describe('call plans, hours and targets', () => {
  it('lists tiers sorted, then flag plans', () => {
    expect(callPlanKeys({ whiteSpace: cp(), C: cp(), golden: cp(), A: cp(), Key: cp() })).toEqual(['A', 'C', 'Key', 'golden', 'whiteSpace'])
    expect(callPlanKeys(null)).toEqual([])
  })
  it('hours per year of a call plan', () => {
    expect(hoursPerYear({ visitsPerYear: 24, visitMinutes: 60, travelMinutes: 30 })).toBe(36)
  })
  it('target shares: set ones, the even share of the others, the total', () => {
    expect(targetSummary(['a', 'b', 'c', 'd'], { a: 0.4 })).toEqual({ set: 0.4, even: 0.25, total: 0.4 + 3 * 0.25 })
    expect(targetSummary([], {})).toEqual({ set: 0, even: 0, total: 0 })
  })
})

function cp() {
  return { visitsPerYear: 1, visitMinutes: 1, travelMinutes: 1 }
}
