import { describe, expect, it } from 'vitest'
import type { TerritoryRow } from '../api/types'
import {
  availableMetrics,
  balanceFor,
  bandFor,
  bandOf,
  baselineOf,
  changeSince,
  changeSinceBaseline,
  deviationOf,
  formatChange,
  formatMetric,
  learnMetrics,
  metricDef,
  metricSet,
  rowKey,
  spreadOf,
  takeSnapshot,
  valueOf,
} from './figures'

function row(id: string, kind: string, over: Partial<TerritoryRow> = {}): TerritoryRow {
  return {
    id,
    name: id,
    kind,
    parent: '',
    rep: '',
    color: '',
    depth: 0,
    accounts: 0,
    units: 0,
    potential: 0,
    revenue: 0,
    lifetimeValue: 0,
    potentialShare: 0,
    potentialDeviation: 0,
    ...over,
  }
}

describe('valueOf', () => {
  const cases: { name: string; r: TerritoryRow; metric: string; want: number | undefined }[] = [
    { name: 'values wins over the row field', r: row('t', 'territory', { accounts: 5, values: { accounts: 7 } }), metric: 'accounts', want: 7 },
    { name: 'row field when values lacks it', r: row('t', 'territory', { potential: 12, values: {} }), metric: 'potential', want: 12 },
    { name: 'row field when values is null', r: row('t', 'territory', { revenue: 3, values: null }), metric: 'revenue', want: 3 },
    { name: 'alias in values', r: row('t', 'territory', { values: { workload: 40 } }), metric: 'workloadHours', want: 40 },
    { name: 'asked by alias', r: row('t', 'territory', { values: { workloadHours: 41 } }), metric: 'workload', want: 41 },
    { name: 'undefined figure (utilisation without rep)', r: row('t', 'territory', { values: { accounts: 1 } }), metric: 'utilisation', want: undefined },
    { name: 'unknown metric from unit data', r: row('t', 'territory', { values: { 'unit.population': 900 } }), metric: 'unit.population', want: 900 },
    { name: 'non-finite values are absent', r: row('t', 'territory', { values: { areaKm2: NaN } }), metric: 'areaKm2', want: undefined },
  ]
  for (const c of cases) it(c.name, () => expect(valueOf(c.r, c.metric)).toBe(c.want))
})

describe('deviationOf and baselineOf', () => {
  it('reads deviation by name and falls back to potentialDeviation for potential', () => {
    expect(deviationOf(row('t', 'territory', { deviation: { revenue: 0.2 } }), 'revenue')).toBe(0.2)
    expect(deviationOf(row('t', 'territory', { potentialDeviation: -0.3 }), 'potential')).toBe(-0.3)
    expect(deviationOf(row('d', 'district', { potentialDeviation: -0.3 }), 'potential')).toBeUndefined()
    expect(deviationOf(row('t', 'territory'), 'revenue')).toBeUndefined()
  })
  it('reads the baseline figure', () => {
    expect(baselineOf(row('t', 'territory', { baseline: { accounts: 9 } }), 'accounts')).toBe(9)
    expect(baselineOf(row('t', 'territory'), 'accounts')).toBeUndefined()
  })
})

describe('rowKey', () => {
  it('uses the id for nodes and the kind for summary rows', () => {
    expect(rowKey(row('T1', 'territory'))).toBe('T1')
    expect(rowKey(row('', 'plan'))).toBe('#plan')
    expect(rowKey(row('', 'unassigned'))).toBe('#unassigned')
  })
})

describe('gesture snapshots', () => {
  const before = [row('T1', 'territory', { accounts: 10, potential: 100, values: { workloadHours: 50 } }), row('', 'plan', { accounts: 30 })]
  const snap = takeSnapshot(before)
  it('records every figure under canonical names', () => {
    expect(snap.get('T1')).toMatchObject({ accounts: 10, potential: 100, workloadHours: 50 })
    expect(snap.get('#plan')).toMatchObject({ accounts: 30 })
  })
  const cases: { name: string; r: TerritoryRow; metric: string; want: number | undefined }[] = [
    { name: 'a gain', r: row('T1', 'territory', { accounts: 14 }), metric: 'accounts', want: 4 },
    { name: 'a loss', r: row('T1', 'territory', { potential: 60 }), metric: 'potential', want: -40 },
    { name: 'no change', r: row('', 'plan', { accounts: 30 }), metric: 'accounts', want: 0 },
    { name: 'a node created during the gesture changed from nothing', r: row('T9', 'territory', { accounts: 3 }), metric: 'accounts', want: 3 },
    { name: 'a figure the snapshot lacks', r: row('T1', 'territory', { values: { areaKm2: 5 } }), metric: 'areaKm2', want: undefined },
    { name: 'a figure undefined now', r: row('T1', 'territory'), metric: 'utilisation', want: undefined },
  ]
  for (const c of cases) it(c.name, () => expect(changeSince(snap, c.r, c.metric)).toBe(c.want))
  it('is undefined without a snapshot', () => expect(changeSince(null, before[0], 'accounts')).toBeUndefined())
  it('snapshot is a copy: later rows do not change it', () => {
    const rows = [row('T1', 'territory', { accounts: 1 })]
    const s = takeSnapshot(rows)
    rows[0].accounts = 99
    expect(s.get('T1')!.accounts).toBe(1)
  })
})

describe('changeSinceBaseline', () => {
  it('subtracts the baseline figure', () => {
    expect(changeSinceBaseline(row('T1', 'territory', { accounts: 12, baseline: { accounts: 10 } }), 'accounts')).toBe(2)
  })
  it('is undefined when the baseline lacks the node', () => {
    expect(changeSinceBaseline(row('T1', 'territory', { accounts: 12 }), 'accounts')).toBeUndefined()
  })
})

describe('bandOf', () => {
  const cases: [number | undefined, number][] = [
    [0, 0],
    [0.049, 0],
    [0.05, 0],
    [-0.05, 0],
    [0.0501, 1],
    [-0.1, 1],
    [0.15, 2],
    [0.2, 2],
    [-0.2001, 3],
    [3, 3],
    [undefined, -1],
    [NaN, -1],
  ]
  for (const [dev, want] of cases) it(`${dev} → band ${want}`, () => expect(bandOf(dev)).toBe(want))
  it('takes other bands', () => expect(bandOf(0.3, [0.1, 0.5])).toBe(1))
})

describe('bandFor', () => {
  it("uses Go's band, which follows the plan's settings", () => {
    expect(bandFor(row('t', 'territory', { deviation: { revenue: 0.03 }, band: { revenue: 2 } }), 'revenue')).toBe(2)
  })
  it('falls back to the default bands of the deviation', () => {
    expect(bandFor(row('t', 'territory', { deviation: { revenue: 0.07 } }), 'revenue')).toBe(1)
  })
  it('is -1 for nodes other than territories and for figures without a deviation', () => {
    expect(bandFor(row('d', 'district', { band: { revenue: 2 } }), 'revenue')).toBe(-1)
    expect(bandFor(row('t', 'territory'), 'revenue')).toBe(-1)
  })
})

describe('formatting', () => {
  it('writes each kind of figure', () => {
    expect(formatMetric(1234567, 'potential', 'en', 'USD')).toBe('$1.23M')
    expect(formatMetric(1234567, 'potential', 'en', 'USD', false)).toBe('$1,234,567')
    expect(formatMetric(2227, 'accounts', 'en', 'USD')).toBe('2.23K')
    expect(formatMetric(0.875, 'utilisation', 'en', 'USD')).toBe('87.5%')
    expect(formatMetric(1500, 'workloadHours', 'en', 'USD')).toBe('1.5K h')
    expect(formatMetric(0.4123, 'compactness', 'en', 'USD')).toBe('0.41')
    expect(formatMetric(undefined, 'accounts', 'en', 'USD')).toBe('–')
  })
  it('writes changes with a sign', () => {
    expect(formatChange(12, 'accounts', 'en', 'USD')).toBe('+12')
    expect(formatChange(-1_200_000, 'potential', 'en', 'USD')).toBe('−$1.2M')
    expect(formatChange(0.2, 'accounts', 'en', 'USD')).toBe('±0')
    expect(formatChange(0.05, 'utilisation', 'en', 'USD')).toBe('+5%')
    expect(formatChange(-0.05, 'utilisation', 'en', 'USD')).toBe('−5%')
    expect(formatChange(undefined, 'accounts', 'en', 'USD')).toBe('')
  })
  it('writes ROI as a multiple (×) in both languages, in tables and in full; compactness stays an index', () => {
    expect(formatMetric(354.2213, 'roi', 'en', 'USD')).toBe('354×')
    expect(formatMetric(354.2213, 'roi', 'en', 'USD', false)).toBe('354.22×')
    expect(formatMetric(3.456, 'roi', 'zh-CN', 'CNY')).toBe('3.46×')
    expect(formatMetric(12.34, 'roi', 'zh-CN', 'CNY')).toBe('12.3×')
    expect(formatMetric(1234.5, 'roi', 'en', 'USD')).toBe('1,235×')
    expect(formatChange(-0.25, 'roi', 'en', 'USD')).toBe('−0.25×')
    expect(formatChange(0.001, 'roi', 'en', 'USD')).toBe('±0')
    expect(formatMetric(0.4123, 'compactness', 'en', 'USD')).toBe('0.41')
  })
  it('writes a figure Go reports in the unit "ratio" as a multiple, unless the page knows it by name', () => {
    learnMetrics([
      { name: 'marginOnCost', unit: 'ratio' },
      { name: 'compactness', unit: 'ratio' },
    ])
    expect(formatMetric(2.5, 'marginOnCost', 'en', 'USD')).toBe('2.50×')
    expect(formatMetric(0.5, 'compactness', 'en', 'USD')).toBe('0.50')
  })
  it('writes Chinese compact numbers', () => {
    expect(formatMetric(12000, 'accounts', 'zh-CN', 'USD')).toBe('1.2万')
  })
})

describe('spreadOf', () => {
  it('of equal values is zero', () => {
    expect(spreadOf([5, 5, 5])).toEqual({ mean: 5, cv: 0, gini: 0, maxAbsDeviation: 0 })
  })
  it('of 1, 2, 3, 6 (hand-checked)', () => {
    // mean 3; variance (4+1+0+9)/4 = 3.5; cv = √3.5/3; Gini = Σ(2i−n−1)x / (n² mean) = (−3·1 −1·2 +1·3 +3·6)/(16·3) = 16/48.
    const s = spreadOf([3, 1, 6, 2])
    expect(s.mean).toBe(3)
    expect(s.cv).toBeCloseTo(Math.sqrt(3.5) / 3, 12)
    expect(s.gini).toBeCloseTo(1 / 3, 12)
    expect(s.maxAbsDeviation).toBe(1)
  })
  it('of nothing, or a zero mean, is zero', () => {
    expect(spreadOf([])).toEqual({ mean: 0, cv: 0, gini: 0, maxAbsDeviation: 0 })
    expect(spreadOf([0, 0])).toEqual({ mean: 0, cv: 0, gini: 0, maxAbsDeviation: 0 })
  })
})

describe('balanceFor', () => {
  const rows = [
    row('a', 'territory', { potential: 1, deviation: { potential: -0.5 } }),
    row('b', 'territory', { potential: 3, deviation: { potential: 0.5 } }),
    row('d', 'district', { potential: 4 }),
  ]
  it("uses Go's balance when it has the metric", () => {
    const b = balanceFor('potential', { index: 80, metrics: { potential: { mean: 2, cv: 0.1, gini: 0.2, maxAbsDeviation: 0.3, weight: 30 } } }, rows)
    expect(b).toMatchObject({ cv: 0.1, gini: 0.2, maxAbsDeviation: 0.3, fromGo: true })
  })
  it('computes it from the territory rows otherwise, with Go’s deviations for max |dev|', () => {
    const b = balanceFor('potential', null, rows)
    expect(b.fromGo).toBe(false)
    expect(b.mean).toBe(2)
    expect(b.cv).toBeCloseTo(0.5, 12)
    expect(b.maxAbsDeviation).toBe(0.5)
  })
  it('finds the metric under an alias', () => {
    const b = balanceFor('workload', { index: 1, metrics: { workloadHours: { mean: 1, cv: 0.7, gini: 0, maxAbsDeviation: 0, weight: 1 } } }, rows)
    expect(b.cv).toBe(0.7)
  })
})

describe('metric sets and names', () => {
  it('falls back to the sales set', () => {
    expect(metricSet('nope').id).toBe('sales')
    expect(metricSet('shape').columns).toContain('compactness')
  })
  it('knows aliases, and unknown names are plain numbers', () => {
    expect(metricDef('area').name).toBe('areaKm2')
    expect(metricDef('unit.population').format).toBe('number')
  })
  it('lists the figures present, known ones first', () => {
    const rows = [row('a', 'territory', { values: { 'unit.population': 1, workloadHours: 2, accounts: 3 } })]
    expect(availableMetrics(rows)).toEqual(['accounts', 'units', 'potential', 'revenue', 'lifetimeValue', 'workloadHours', 'unit.population'])
  })
})
