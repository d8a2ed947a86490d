import { describe, expect, it } from 'vitest'
import type { RepInfo, TerritoryRow } from '../api/types'
import {
  changeOf,
  firstDir,
  formatMoneyChange,
  formatPctChange,
  repLines,
  repTotals,
  sortLines,
  territoriesWithoutRep,
  utilisationTone,
  type RepSortKey,
} from './reps'

const rep = (o: Partial<RepInfo>): RepInfo => ({ id: 'R1', name: 'Ann', home: [0, 0], capacityHours: 40, cost: 100, territories: ['T1'], ...o })
const row = (o: Partial<TerritoryRow>): TerritoryRow =>
  ({ id: 'T1', name: 'North', kind: 'territory', parent: '', rep: '', color: '#000', depth: 0, potentialShare: 0, potentialDeviation: 0, ...o }) as TerritoryRow

describe('changeOf', () => {
  const cases: [string, number | undefined, number | undefined, number | undefined, number | undefined][] = [
    ['growth', 110, 100, 10, 0.1],
    ['loss', 75, 100, -25, -0.25],
    ['no baseline', 10, undefined, undefined, undefined],
    ['no figure now', undefined, 10, undefined, undefined],
    ['nothing to nothing', 0, 0, 0, 0],
    ['nothing to something has no percentage', 50, 0, 50, undefined],
    ['negative baseline keeps the direction', -50, -100, 50, 0.5],
  ]
  for (const [name, now, then, abs, pct] of cases) {
    it(name, () => {
      const c = changeOf(now, then)
      expect(c.abs).toBe(abs)
      if (pct === undefined) expect(c.pct).toBeUndefined()
      else expect(c.pct).toBeCloseTo(pct, 12)
    })
  }
})

describe('repLines', () => {
  it('takes Go’s figures and measures projected revenue against the baseline', () => {
    const [l] = repLines([rep({ values: { projectedRevenue: 120, utilisation: 0.5 }, baseline: { projectedRevenue: 100 } })])
    expect(l.change).toBe(20)
    expect(l.changePct).toBeCloseTo(0.2, 12)
    expect(l.idle).toBe(false)
  })
  it('a rep without territories is idle and has lost all its baseline revenue', () => {
    const [l] = repLines([rep({ territories: [], values: {}, baseline: { projectedRevenue: 80 } })])
    expect(l.idle).toBe(true)
    expect(l.territories).toEqual([])
    expect(l.change).toBe(-80)
    expect(l.changePct).toBe(-1)
  })
  it('a rep that covered nothing in the baseline changed from nothing', () => {
    const [l] = repLines([rep({ values: { projectedRevenue: 80 }, baseline: {} })])
    expect(l.change).toBe(80)
    expect(l.changePct).toBeUndefined()
  })
  it('without a baseline there is no change', () => {
    const [l] = repLines([rep({ values: { projectedRevenue: 80 } })])
    expect(l.baseline).toBeNull()
    expect(l.change).toBeUndefined()
  })
  it('null territories and odd values are tolerated; the id stands in for a missing name', () => {
    const [l] = repLines([rep({ name: '', territories: null, values: { a: NaN, b: 2 } as Record<string, number> })])
    expect(l.name).toBe('R1')
    expect(l.idle).toBe(true)
    expect(l.values).toEqual({ b: 2 })
  })
})

describe('repTotals', () => {
  const lines = repLines([
    rep({ id: 'R1', values: { workloadHours: 900, capacityHours: 1000, projectedRevenue: 300, repCost: 100, travelCost: 50, revenueAtRisk: 5, utilisation: 0.9, roi: 2 }, baseline: { projectedRevenue: 200 } }),
    rep({ id: 'R2', values: { workloadHours: 1500, capacityHours: 1000, projectedRevenue: 500, repCost: 100, travelCost: 50, revenueLost: 40, utilisation: 1.5, roi: 3.33 }, baseline: { projectedRevenue: 500 } }),
    rep({ id: 'R3', territories: [], values: {}, baseline: { projectedRevenue: 100 } }),
  ])
  const t = repTotals(lines)
  it('sums the summed figures over every rep', () => {
    expect(t.values.workloadHours).toBe(2400)
    expect(t.values.capacityHours).toBe(2000)
    expect(t.values.projectedRevenue).toBe(800)
    expect(t.values.revenueAtRisk).toBe(5)
    expect(t.values.revenueLost).toBe(40)
    expect(t.reps).toBe(3)
    expect(t.idle).toBe(1)
  })
  it('computes utilisation and ROI over the sums, not as sums', () => {
    expect(t.values.utilisation).toBeCloseTo(1.2, 12)
    expect(t.values.roi).toBeCloseTo(800 / 300, 12)
  })
  it('its change is the sum of the reps’ changes', () => {
    expect(t.change).toBe(lines.reduce((s, l) => s + (l.change ?? 0), 0))
    expect(t.change).toBe(0)
    expect(t.changePct).toBe(0)
  })
  it('has no baseline when a rep has none', () => {
    expect(repTotals([...lines, ...repLines([rep({ id: 'R4' })])]).change).toBeUndefined()
  })
  it('of no reps is empty', () => {
    const e = repTotals([])
    expect(e.values).toEqual({})
    expect(e.baseline).toBeNull()
  })
})

describe('sortLines', () => {
  const lines = repLines([
    rep({ id: 'R1', name: 'Zoe', territories: ['T10'], values: { projectedRevenue: 10, utilisation: 0.5 }, baseline: { projectedRevenue: 20 } }),
    rep({ id: 'R2', name: 'adam', territories: ['T2'], values: { projectedRevenue: 30, utilisation: 1.5 }, baseline: { projectedRevenue: 10 } }),
    rep({ id: 'R3', name: 'Mia', territories: [], values: {}, baseline: {} }),
    rep({ id: 'R4', name: 'Bo', territories: ['T3', 'T1'], values: { projectedRevenue: 20, utilisation: 0.9 }, baseline: { projectedRevenue: 20 } }),
  ])
  const ids = (key: RepSortKey, dir: 'asc' | 'desc') => sortLines(lines, key, dir, 'en').map((l) => l.id)
  it('by name, ignoring case', () => {
    expect(ids('name', 'asc')).toEqual(['R2', 'R4', 'R3', 'R1'])
    expect(ids('name', 'desc')).toEqual(['R1', 'R3', 'R4', 'R2'])
  })
  it('by figure, reps without it last either way', () => {
    expect(ids('projectedRevenue', 'desc')).toEqual(['R2', 'R4', 'R1', 'R3'])
    expect(ids('projectedRevenue', 'asc')).toEqual(['R1', 'R4', 'R2', 'R3'])
    expect(ids('utilisation', 'asc')).toEqual(['R1', 'R4', 'R2', 'R3'])
  })
  it('by change against the baseline (an idle rep that had nothing changed by 0)', () => {
    expect(ids('change', 'desc')).toEqual(['R2', 'R4', 'R3', 'R1'])
    expect(ids('changePct', 'desc')).toEqual(['R2', 'R4', 'R3', 'R1'])
  })
  it('by first territory name with numbers in order, reps without territories last', () => {
    expect(ids('territories', 'asc')).toEqual(['R4', 'R2', 'R1', 'R3'])
    expect(ids('territories', 'desc')).toEqual(['R1', 'R2', 'R4', 'R3'])
  })
  it('by territory names as given', () => {
    const names: Record<string, string> = { T10: 'Alpha', T2: 'Zulu', T1: 'Mike', T3: 'Bravo' }
    expect(sortLines(lines, 'territories', 'asc', 'en', (id) => names[id]).map((l) => l.id)).toEqual(['R1', 'R4', 'R2', 'R3'])
  })
  it('leaves its input alone', () => {
    expect(lines.map((l) => l.id)).toEqual(['R1', 'R2', 'R3', 'R4'])
  })
  it('first click: text A→Z, figures largest first', () => {
    expect(firstDir('name')).toBe('asc')
    expect(firstDir('roi')).toBe('desc')
  })
})

describe('territoriesWithoutRep', () => {
  it('counts territories with no rep and their projected revenue, not districts or the plan', () => {
    const v = territoriesWithoutRep([
      row({ id: 'T1', repId: 'R1', values: { projectedRevenue: 100 } }),
      row({ id: 'T2', name: 'Vacant', repId: '', values: { projectedRevenue: 40 } }),
      row({ id: 'T3', name: 'Open', values: { projectedRevenue: 2 } }),
      row({ id: 'T4', name: 'No model', values: null }),
      row({ id: 'D1', kind: 'district', values: { projectedRevenue: 142 } }),
      row({ id: '', kind: 'plan', values: { projectedRevenue: 142 } }),
    ])
    expect(v).toEqual({ count: 3, names: ['Vacant', 'Open', 'No model'], projectedRevenue: 42 })
  })
})

describe('utilisationTone', () => {
  const cases: [number | undefined, string][] = [
    [0.5, 'low'],
    [0.7, 'ok'],
    [1.0, 'ok'],
    [1.1, 'ok'],
    [1.11, 'high'],
    [undefined, ''],
    [NaN, ''],
  ]
  for (const [u, want] of cases) it(`${u} with 70 %–110 % is ${want || 'none'}`, () => expect(utilisationTone(u, 0.7, 1.1)).toBe(want))
})

describe('formatting changes', () => {
  it('money with its sign', () => {
    expect(formatMoneyChange(1_234_567, 'USD', 'en')).toBe('+$1.23M')
    expect(formatMoneyChange(-350_000, 'USD', 'en')).toBe('−$350K')
    expect(formatMoneyChange(-350_000, 'USD', 'en', false)).toBe('−$350,000')
    expect(formatMoneyChange(0.2, 'USD', 'en')).toBe('±0')
    expect(formatMoneyChange(undefined, 'USD', 'en')).toBe('–')
  })
  it('percentages with their sign', () => {
    expect(formatPctChange(0.084, 'en')).toBe('+8.4%')
    expect(formatPctChange(-0.03, 'en')).toBe('−3%')
    expect(formatPctChange(0, 'en')).toBe('0%')
    expect(formatPctChange(undefined, 'en')).toBe('–')
  })
})
