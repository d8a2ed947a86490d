import { describe, expect, it } from 'vitest'
import type { Move, OptimizeReport, ReportNote } from '../../api/optimizeApi'
import en from '../../i18n/en.json'
import zhCN from '../../i18n/zh-CN.json'
import { messagesFor } from '../../i18n'
import {
  REASONS,
  boundExceedsTolerance,
  buildTerritories,
  clock,
  defaultChoices,
  filterMoves,
  heaviestMetric,
  noteMessage,
  percentOf,
  problemOf,
  reasonCounts,
  reasonMessage,
  requestOf,
  splitNotes,
  territoryNames,
  uniqueName,
  weightShares,
  weightsFor,
  type OptimizeChoices,
  type PlanContext,
  type Wording,
} from './optimize'

const METRICS = ['accounts', 'potential', 'revenue', 'workloadHours', 'population']

const ctx: PlanContext = {
  activeId: 'current',
  activeName: 'Current',
  activeTerritories: 40,
  scenarioNames: ['Current', 'Current (rebalanced)'],
  repsWithHome: 38,
  units: 3142,
  accounts: 50000,
}

function choices(over: Partial<OptimizeChoices> = {}): OptimizeChoices {
  return { ...defaultChoices('rebalance', ctx, METRICS), name: 'New', ...over }
}

describe('weightsFor', () => {
  it('defaults to workload 60, potential 30, revenue 10 and 0 for the other metrics', () => {
    expect(weightsFor(METRICS)).toEqual({ accounts: 0, potential: 30, revenue: 10, workloadHours: 60, population: 0 })
  })
  it('keeps earlier weights of metrics still offered and drops the others', () => {
    expect(weightsFor(['potential', 'population'], { population: 100, potential: 0, gone: 5 })).toEqual({ potential: 0, population: 100 })
  })
  it('balances potential when no default metric is offered', () => {
    expect(weightsFor(['accounts', 'potential'].filter((m) => m !== 'potential'))).toEqual({ accounts: 100 })
    expect(weightsFor([])).toEqual({})
  })
})

describe('uniqueName', () => {
  const cases: [string, string[], string][] = [
    ['free', ['Current'], 'free'],
    ['Current', ['Current'], 'Current 2'],
    ['taken', ['taken', 'TAKEN 2', 'taken 3'], 'taken 4'],
  ]
  for (const [base, taken, want] of cases) it(`${base} among ${taken.join(', ')} → ${want}`, () => expect(uniqueName(base, taken)).toBe(want))
})

describe('defaultChoices', () => {
  it('builds as many territories as the scenario shown has, contiguous, ±5 %, seed 1', () => {
    const c = defaultChoices('build', ctx, METRICS)
    expect(c).toMatchObject({ mode: 'build', territories: 40, tolerance: 5, contiguous: true, compactness: 50, seed: 1, effort: 1, switchTo: true })
  })
  it('is not contiguous for a plan of accounts only', () => {
    expect(defaultChoices('build', { ...ctx, units: 0, activeTerritories: 0 }, METRICS)).toMatchObject({ contiguous: false, territories: 38 })
  })
})

describe('buildTerritories', () => {
  it('takes the typed number, or the reps with a home when anchoring per rep without one', () => {
    expect(buildTerritories(choices({ territories: 12 }), ctx)).toBe(12)
    expect(buildTerritories(choices({ territories: 0, repHomes: true }), ctx)).toBe(38)
    expect(buildTerritories(choices({ territories: 0 }), ctx)).toBe(0)
  })
})

describe('problemOf', () => {
  const cases: [string, Partial<OptimizeChoices>, Partial<PlanContext>, string | null][] = [
    ['the defaults run', {}, {}, null],
    ['rebalance without a scenario', {}, { activeId: '', activeTerritories: 0 }, 'optimize.problem.nothingToRebalance'],
    ['rebalance of one territory', {}, { activeTerritories: 1 }, 'optimize.problem.nothingToRebalance'],
    ['build of one territory', { mode: 'build', territories: 1 }, {}, 'optimize.problem.territories'],
    ['build of 2.5 territories', { mode: 'build', territories: 2.5 }, {}, 'optimize.problem.territories'],
    ['build of more territories than units', { mode: 'build', territories: 4000 }, {}, 'optimize.problem.territories'],
    ['build of an empty number', { mode: 'build', territories: '' as unknown as number }, {}, 'optimize.problem.territories'],
    ['one per rep without homes', { mode: 'build', repHomes: true }, { repsWithHome: 0 }, 'optimize.problem.noHomes'],
    ['fewer territories than reps', { mode: 'build', repHomes: true, territories: 10 }, {}, 'optimize.problem.fewerThanReps'],
    ['one per rep, as many as reps', { mode: 'build', repHomes: true, territories: 38 }, {}, null],
    ['all weights zero', { weights: { potential: 0, revenue: 0 } }, {}, 'optimize.problem.weights'],
    ['a negative weight', { weights: { potential: 50, revenue: -1 } }, {}, 'optimize.problem.weights'],
    ['an empty weight', { weights: { potential: '' as unknown as number } }, {}, 'optimize.problem.weights'],
    ['tolerance above 100', { tolerance: 101 }, {}, 'optimize.problem.tolerance'],
    ['a negative cap', { maxMovedRevenue: -5 }, {}, 'optimize.problem.caps'],
    ['caps do not matter to a build', { mode: 'build', maxMovedRevenue: -5 }, {}, null],
    ['a fractional seed', { seed: 1.5 }, {}, 'optimize.problem.seed'],
    ['no name', { name: '   ' }, {}, 'optimize.problem.name'],
    ['a taken name, any case', { name: 'current' }, {}, 'optimize.problem.nameTaken'],
  ]
  for (const [name, over, cx, want] of cases) {
    it(name, () => expect(problemOf(choices(over), { ...ctx, ...cx })?.key ?? null).toBe(want))
  }
  it('says how many territories at most and how many reps', () => {
    expect(problemOf(choices({ mode: 'build', territories: 1 }), { ...ctx, units: 7 })?.values).toEqual({ max: 7 })
    expect(problemOf(choices({ mode: 'build', repHomes: true, territories: 3 }), ctx)?.values).toEqual({ n: 38 })
  })
})

describe('requestOf', () => {
  it('rebalances the scenario shown with its caps and no territory count', () => {
    const r = requestOf(choices({ maxMovedRevenue: 10, maxMovedAccounts: 4, homeDistance: 20 }), ctx)
    expect(r).toMatchObject({ from: 'current', into: 'New', mode: 'rebalance', territories: 0, maxMovedRevenue: 10, maxMovedAccounts: 4, homeDistance: 20, repHomes: false })
    expect(r.balance).toEqual({ workloadHours: 60, potential: 30, revenue: 10 })
  })
  it('builds from nothing without caps; distance from home only when anchored at homes', () => {
    const r = requestOf(choices({ mode: 'build', territories: 12, homeDistance: 40, maxMovedRevenue: 10 }), ctx)
    expect(r).toMatchObject({ from: '', mode: 'build', territories: 12, homeDistance: 0, repHomes: false, maxMovedRevenue: 0, maxMovedAccounts: 0 })
    const a = requestOf(choices({ mode: 'build', territories: 0, repHomes: true, homeDistance: 40 }), ctx)
    expect(a).toMatchObject({ territories: 38, homeDistance: 40, repHomes: true })
  })
  it('builds compared with the scenario shown when asked', () => {
    expect(requestOf(choices({ mode: 'build', compare: true }), ctx).from).toBe('current')
  })
  it('sends only positive weights, the seed, the effort and a trimmed name', () => {
    const r = requestOf(choices({ weights: { population: 100, potential: 0 }, seed: 7, effort: 3, name: '  West  ' }), ctx)
    expect(r).toMatchObject({ balance: { population: 100 }, seed: 7, effort: 3, into: 'West', level: '', contiguous: true, compactness: 50 })
  })
})

describe('weightShares', () => {
  it('divides by the sum of the positive weights', () => {
    expect(weightShares({ a: 60, b: 30, c: 10, d: 0, e: -4 })).toEqual({ a: 0.6, b: 0.3, c: 0.1, d: 0, e: 0 })
    expect(weightShares({ a: 0 })).toEqual({ a: 0 })
  })
})

describe('progress', () => {
  it('percentOf clamps the fraction', () => {
    const p = { phase: 'search', restart: 1, restarts: 2, objective: 1, feasible: false, maxDeviation: 0.2 }
    expect(percentOf(null)).toBe(0)
    expect(percentOf({ ...p, fraction: 0.42 })).toBeCloseTo(42)
    expect(percentOf({ ...p, fraction: 1.3 })).toBe(100)
    expect(percentOf({ ...p, fraction: NaN })).toBe(0)
  })
  const clocks: [number, string][] = [
    [0, '0:00'],
    [999, '0:00'],
    [61_500, '1:01'],
    [3_725_000, '1:02:05'],
    [-5, '0:00'],
  ]
  for (const [ms, want] of clocks) it(`clock(${ms}) = ${want}`, () => expect(clock(ms)).toBe(want))
})

function move(id: string, from: string, to: string, code: string, over: Partial<Move['reason']> = {}): Move {
  return { kind: 'unit', id, name: `Unit ${id}`, from, to, accounts: 1, revenue: 10, reason: { code, text: `${code}: English`, ...over } }
}

const report = {
  tolerance: 0.05,
  territories: 2,
  rows: [
    { id: 'T1', name: 'North (new)', deviation: [0.01, -0.2], deviationBefore: null, parts: 1, forced: false, compactness: 0.3, accountsOut: 0, revenueOut: 0 },
    { id: 'T3', name: 'East', deviation: [0, 0], deviationBefore: null, parts: 1, forced: false, compactness: 0.3, accountsOut: 0, revenueOut: 0 },
  ],
  metrics: [
    { metric: 'potential', weight: 0.3, before: { maxAbsDeviation: 0, meanAbsDeviation: 0, within: 0 }, after: { maxAbsDeviation: 0, meanAbsDeviation: 0, within: 0 }, largest: 'u', largestShare: 1.4, bound: 0.4 },
    { metric: 'workloadHours', weight: 0.6, before: { maxAbsDeviation: 0, meanAbsDeviation: 0, within: 0 }, after: { maxAbsDeviation: 0, meanAbsDeviation: 0, within: 0 }, largest: 'u', largestShare: 1.01, bound: 0.01 },
  ],
} as unknown as OptimizeReport

describe('moves', () => {
  const names = territoryNames(report, { T1: 'North', T2: 'South' })
  const moves = [move('01', 'T1', 'T2', 'balance'), move('02', 'T2', 'T3', 'shape'), move('03', 'T2', 'T1', 'balance')]
  it('names territories by the result where it has them, else the start', () => {
    expect([...names]).toEqual([
      ['T1', 'North (new)'],
      ['T2', 'South'],
      ['T3', 'East'],
    ])
  })
  const filters: [string, string, string, string[]][] = [
    ['everything', '', '', ['01', '02', '03']],
    ['by reason', '', 'balance', ['01', '03']],
    ['by unit name', 'unit 02', '', ['02']],
    ['by territory name', 'east', '', ['02']],
    ['by territory name and reason', 'south', 'shape', ['02']],
    ['nothing', 'zzz', '', []],
  ]
  for (const [name, text, reason, want] of filters) {
    it(`filter ${name}`, () => expect(filterMoves(moves, { text, reason }, names).map((m) => m.id)).toEqual(want))
  }
  it('counts moves by reason', () => expect(reasonCounts(moves)).toEqual({ balance: 2, shape: 1 }))
})

const wording: Wording = {
  territory: (id) => ({ T1: 'North', T2: 'South' })[id] ?? id,
  metric: (m) => `<${m}>`,
  item: (id) => (id === '06037' ? 'Los Angeles' : id),
  pct: (f) => `${Math.round(f * 1000) / 10}%`,
  tolerance: 0.05,
}

describe('reasonMessage', () => {
  const cases: [string, Move, unknown][] = [
    [
      'over to under',
      move('1', 'T1', 'T2', 'balance', { over: 'T1', under: 'T2', overBy: 0.774, underBy: 0.251 }),
      { key: 'optimize.reason.balance.overUnder', values: { from: 'North', to: 'South', by: '77.4%', toBy: '25.1%' } },
    ],
    [
      'over to less over (underBy is minus the receiver’s deviation)',
      move('1', 'T1', 'T2', 'balance', { overBy: 0.5, underBy: -0.1 }),
      { key: 'optimize.reason.balance.overOver', values: { from: 'North', to: 'South', by: '50%', toBy: '10%' } },
    ],
    ['under to more under', move('1', 'T1', 'T2', 'balance', { overBy: -0.1, underBy: 0.3 }), { key: 'optimize.reason.balance.underUnder', values: { from: 'North', to: 'South', by: '10%', toBy: '30%' } }],
    ['shape', move('1', 'T1', 'T2', 'shape'), { key: 'optimize.reason.shape', values: { to: 'South' } }],
    ['distance', move('1', 'T1', 'T2', 'distance'), { key: 'optimize.reason.distance', values: { to: 'South' } }],
    ['chain', move('1', 'T1', 'T2', 'chain'), { key: 'optimize.reason.chain', values: { to: 'South' } }],
    ['build', move('1', 'T1', 'T2', 'build', { text: 'build: South drawn afresh' }), { key: 'optimize.reason.build', values: { to: 'South' } }],
    ['gone', move('1', 'T1', 'T2', 'build', { text: 'build: North no longer exists' }), { key: 'optimize.reason.gone', values: { from: 'North' } }],
    ['an unknown code keeps Go’s words', move('1', 'T1', 'T2', 'later', { text: 'later: why' }), { text: 'later: why' }],
  ]
  for (const [name, m, want] of cases) it(name, () => expect(reasonMessage(m, wording)).toEqual(want))
})

describe('noteMessage', () => {
  const cases: [string, ReportNote, unknown][] = [
    [
      'a unit bigger than the tolerance allows',
      { code: 'item-too-large', text: '', metric: 'potential', item: '06037', value: 1.412 },
      { key: 'optimize.note.itemTooLarge', values: { metric: '<potential>', item: 'Los Angeles', share: '141.2%', tolerance: '5%', bound: '41.2%' } },
    ],
    ['the others short', { code: 'others-short', text: '', metric: 'revenue', value: 0.063 }, { key: 'optimize.note.othersShort', values: { metric: '<revenue>', short: '6.3%' } }],
    [
      'a unit that cannot combine',
      { code: 'unit-cannot-combine', text: '', metric: 'potential', item: '19153', value: 0.12 },
      { key: 'optimize.note.cannotCombine', values: { metric: '<potential>', item: '19153', tolerance: '5%', bound: '12%' } },
    ],
    ['not contiguous', { code: 'not-contiguous', text: '', value: 2 }, { key: 'optimize.note.notContiguous', values: { n: 2 } }],
    ['nothing to balance', { code: 'nothing-to-balance', text: '', metric: 'population' }, { key: 'optimize.note.nothingToBalance', values: { metric: '<population>' } }],
    ['caps ignored', { code: 'caps-ignored', text: '' }, { key: 'optimize.note.capsIgnored', values: {} }],
    ['a limit', { code: 'limit-exceeded', text: '', territory: 'T1', metric: 'workloadHours' }, { key: 'optimize.note.limitExceeded', values: { territory: 'North', metric: '<workloadHours>' } }],
    ['an unknown code keeps Go’s words', { code: 'unknown-focus', text: 'focus territory "X" ignored' }, { text: 'focus territory "X" ignored' }],
  ]
  for (const [name, n, want] of cases) it(name, () => expect(noteMessage(n, wording)).toEqual(want))

  it('separates the bounds from the other notes', () => {
    const s = splitNotes([
      { code: 'item-too-large', text: '' },
      { code: 'caps-ignored', text: '' },
      { code: 'others-short', text: '' },
    ])
    expect(s.bounds.map((n) => n.code)).toEqual(['item-too-large', 'others-short'])
    expect(s.other.map((n) => n.code)).toEqual(['caps-ignored'])
    expect(splitNotes(null)).toEqual({ bounds: [], other: [] })
  })
})

describe('report figures', () => {
  it('the heaviest metric is the territory table’s first column', () => expect(heaviestMetric(report)).toBe(1))
  it('exact balance is impossible when a bound exceeds the tolerance', () => {
    expect(boundExceedsTolerance(report)).toBe(true)
    expect(boundExceedsTolerance({ ...report, tolerance: 0.5 })).toBe(false)
  })
})

describe('messages', () => {
  // Every key the report's words use exists in both languages.
  const keys = [
    ...['overUnder', 'overOver', 'underUnder', 'underOver'].map((k) => `optimize.reason.balance.${k}`),
    ...['shape', 'distance', 'chain', 'build', 'gone'].map((k) => `optimize.reason.${k}`),
    ...REASONS.map((r) => `optimize.reasonCode.${r}`),
    ...['itemTooLarge', 'othersShort', 'cannotCombine', 'notContiguous', 'nothingToBalance', 'capsIgnored', 'limitExceeded'].map((k) => `optimize.note.${k}`),
    ...['quick', 'normal', 'thorough', 'exhaustive'].map((k) => `optimize.efforts.${k}`),
    ...['build', 'search', 'polish', 'report'].map((k) => `optimize.running.phase.${k}`),
  ]
  for (const [lang, base] of [['en', en], ['zh-CN', zhCN]] as const) {
    const msgs = messagesFor(lang, base)
    for (const k of keys) {
      it(`${lang} has ${k}`, () => {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], msgs)
        expect(typeof v).toBe('string')
      })
    }
  }
})
