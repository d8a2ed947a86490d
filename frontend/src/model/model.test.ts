import { describe, expect, it } from 'vitest'
import type { Alert, QuotaRow, QuotaView } from '../api/modelApi'
import type { AlignmentTerritory } from '../api/types'
import { alertLimit, alertMarkerSpecs, alertText, alertValue, dayString, groupByRule, toneOf } from './alerts'
import { elasticityAtReference, responseCurve } from './curves'
import { fieldKey, metricLabel } from './labels'
import { monthNames, quotaCells, quotaColumns, reconcile } from './quotas'
import { tierColumns, tierMix } from './tiers'
import { DEFAULT_SETTINGS } from './settings'

const alert = (o: Partial<Alert>): Alert => ({ rule: 'balance', territory: 'T1', name: 'North', value: 0.3, threshold: 0.2, message: 'english', ...o })
const t = (k: string, a?: Record<string, unknown>) => `${k}${a ? JSON.stringify(a) : ''}`

describe('alerts', () => {
  it('groups by rule in the order Go sorts them, unknown rules last', () => {
    const g = groupByRule([alert({ rule: 'goldenOverdue' }), alert({ rule: 'zzz' }), alert({ rule: 'balance' }), alert({ rule: 'utilisationLow', territory: 'T2' }), alert({ rule: 'balance', territory: 'T3' })])
    expect(g.map((x) => [x.rule, x.count, x.territories.map((t) => t.territory)])).toEqual([
      ['balance', 2, ['T1', 'T3']],
      ['utilisationLow', 1, ['T2']],
      ['goldenOverdue', 1, ['T1']],
      ['zzz', 1, ['T1']],
    ])
  })
  it('keeps the alerts of one territory and rule together', () => {
    const g = groupByRule([alert({ metric: 'potential' }), alert({ metric: 'revenue' }), alert({ territory: 'T2' })])
    expect(g[0].territories.map((t) => [t.territory, t.alerts.map((a) => a.metric ?? '')])).toEqual([
      ['T1', ['potential', 'revenue']],
      ['T2', ['']],
    ])
  })
  const tones: [Partial<Alert>, string][] = [
    [{ rule: 'balance', value: 0.3 }, 'high'],
    [{ rule: 'balance', value: -0.3 }, 'low'],
    [{ rule: 'potentialShift', value: -0.2 }, 'low'],
    [{ rule: 'utilisationHigh', value: 1.4 }, 'high'],
    [{ rule: 'utilisationLow', value: 0.2 }, 'low'],
    [{ rule: 'goldenOverdue', value: 3 }, 'overdue'],
  ]
  for (const [a, want] of tones) it(`${a.rule} ${a.value} is ${want}`, () => expect(toneOf(alert(a))).toBe(want))

  it('writes values and limits by rule', () => {
    expect(alertValue(alert({ value: 0.304 }), 'en')).toBe('+30.4%')
    expect(alertLimit(alert({ threshold: 0.2 }), 'en')).toBe('±20%')
    expect(alertValue(alert({ rule: 'utilisationHigh', value: 1.25 }), 'en')).toBe('125%')
    expect(alertLimit(alert({ rule: 'utilisationHigh', threshold: 1.1 }), 'en')).toBe('110%')
    expect(alertValue(alert({ rule: 'goldenOverdue', value: 7 }), 'en')).toBe('7')
    expect(alertLimit(alert({ rule: 'goldenOverdue', threshold: 1.5 }), 'en')).toBe('1.5')
  })

  it('words an alert in the page language, falling back to Go text for an unknown rule', () => {
    const text = alertText(alert({ metric: 'potential' }), t, 'en', (m) => `<${m}>`)
    expect(text).toBe('model.alerts.line.balance{"value":"+30%","limit":"±20%","metric":"<potential>","n":0}')
    const none = (k: string) => k
    expect(alertText(alert({ rule: 'newRule' }), none, 'en', (m) => m)).toBe('english')
  })

  it('puts one marker per territory with a label point, the most pressing tone first', () => {
    const terr = (id: string, label: [number, number] | null): AlignmentTerritory => ({ id, name: id, kind: 'territory', parent: '', repId: '', rep: '', color: '#000', label })
    const specs = alertMarkerSpecs(
      [alert({ territory: 'T1', value: -0.4 }), alert({ territory: 'T1', rule: 'utilisationHigh', value: 1.3 }), alert({ territory: 'T2', rule: 'goldenOverdue' }), alert({ territory: 'T3' })],
      [terr('T1', [1, 2]), terr('T2', [3, 4]), terr('T3', null)],
      (k) => k,
    )
    expect(specs.map((s) => [s.id, s.count, s.tone, s.lngLat])).toEqual([
      ['T1', 2, 'high', [1, 2]],
      ['T2', 1, 'overdue', [3, 4]],
    ])
    expect(specs[0].title.split('\n')).toEqual(['T1', '• model.alerts.rule.balance', '• model.alerts.rule.utilisationHigh'])
  })

  it('writes days since 1970 as dates', () => {
    expect(dayString(0)).toBe('1970-01-01')
    expect(dayString(20454)).toBe('2026-01-01')
    expect(dayString(-1)).toBe('')
  })
})

describe('response curves', () => {
  for (const c of ['A', 'B', 'C'] as const) {
    const p = DEFAULT_SETTINGS.model.responses![c]
    it(`default curve ${c}: r(0) = retention, r(1) = 1, elasticity 0.34 at the reference`, () => {
      expect(responseCurve(p, 0)).toBeCloseTo(p.retention, 12)
      expect(responseCurve(p, 1)).toBeCloseTo(1, 12)
      expect(responseCurve(p, 1e6)).toBeCloseTo(p.saturation, 6)
      expect(elasticityAtReference(p)).toBeCloseTo(0.34, 9)
    })
  }
  it('a hand-computed point: b 0.5, a 1.5, c 2 at x = 2 gives 0.5 + 1·4/(1 + 4) = 1.3', () => {
    expect(responseCurve({ retention: 0.5, saturation: 1.5, shape: 2 }, 2)).toBeCloseTo(1.3, 12)
  })
  it('is not a number outside its domain', () => {
    expect(responseCurve({ retention: 1, saturation: 1.5, shape: 2 }, 1)).toBeNaN()
    expect(responseCurve({ retention: 0.5, saturation: 0.9, shape: 2 }, 1)).toBeNaN()
    expect(responseCurve({ retention: 0.5, saturation: 1.5, shape: 0 }, 1)).toBeNaN()
  })
})

describe('labels', () => {
  const te = (k: string) => ['model.flag.golden', 'edit.metric.potential', 'edit.metricShort.potential'].includes(k)
  const tr = (k: string, a?: Record<string, unknown>) => (a ? `${k}:${a.c}` : k)
  it('names classes, flags, known and unknown metrics', () => {
    expect(metricLabel('tier.A', tr, te)).toBe('model.tierClass:A')
    expect(metricLabel('tier.A', tr, te, true)).toBe('A')
    expect(metricLabel('golden', tr, te)).toBe('model.flag.golden')
    expect(metricLabel('potential', tr, te, true)).toBe('edit.metricShort.potential')
    expect(metricLabel('population', tr, te)).toBe('population')
  })
  it('field keys', () => {
    expect(fieldKey('model.travel.speedKmh')).toBe('model.fields.travelSpeedKmh')
    expect(fieldKey('bands.0')).toBe('model.fields.bands0')
    expect(fieldKey('weeksPerYear')).toBe('model.fields.weeksPerYear')
  })
})

describe('tiers', () => {
  it('reads the mix of a row', () => {
    const m = tierMix({ values: { 'tier.A': 5, 'tier.B': 10, 'tier.C': 85, golden: 3, whiteSpace: 2, potential: 9 } })
    expect(m.classes).toEqual([
      { name: 'A', count: 5 },
      { name: 'B', count: 10 },
      { name: 'C', count: 85 },
    ])
    expect(m.flags).toEqual([
      { name: 'golden', count: 3 },
      { name: 'whiteSpace', count: 2 },
    ])
    expect(m.total).toBe(100)
    expect(tierMix({ values: null }).total).toBe(0)
  })
  it('columns: three classes then white space; more flags when fewer classes', () => {
    expect(tierColumns(['potential', 'tier.A', 'tier.B', 'tier.C', 'tier.D', 'golden', 'sleeping', 'whiteSpace'])).toEqual(['tier.A', 'tier.B', 'tier.C', 'whiteSpace'])
    expect(tierColumns(['tier.Gold', 'tier.Silver', 'golden', 'whiteSpace'])).toEqual(['tier.Gold', 'tier.Silver', 'whiteSpace', 'golden'])
    expect(tierColumns([])).toEqual(['tier.A', 'tier.B', 'tier.C', 'whiteSpace'])
  })
})

describe('quotas', () => {
  const week = (isoWeek: number, month: number, quota: number, isoYear = 2026) => ({ isoYear, isoWeek, month, from: 0, to: 0, start: '2026-01-01', workingDays: 5, quota })
  const qrow = (o: Partial<QuotaRow>): QuotaRow => ({ id: 'T1', name: 'North', kind: 'territory', depth: 1, share: 0.5, year: 120, quarters: [30, 30, 30, 30], history: 100, potential: 0, ...o })
  const view = (rows: QuotaRow[], period = 'quarter', total = 240): QuotaView => ({
    scenarioId: 's',
    year: 2026,
    period,
    currency: 'USD',
    total,
    base: 200,
    growth: 0.2,
    weights: { history: 0.5, potential: 0.4, even: 0.1, ramp: 0.5 },
    seasonal: false,
    seasonality: [],
    monthWeights: [],
    rows,
  })
  const months = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]

  it('month names by locale', () => {
    expect(monthNames('en')[0]).toBe('Jan')
    expect(monthNames('zh-CN')[11]).toBe('12月')
  })
  it('columns per period; weeks split by months are told apart', () => {
    const rows = [qrow({ weeks: [week(53, 1, 5, 2025), week(1, 1, 5), week(5, 1, 5), week(5, 2, 5)] })]
    expect(quotaColumns(view(rows), 'en', (n) => `Q${n}`).map((c) => c.label)).toEqual(['Q1', 'Q2', 'Q3', 'Q4'])
    expect(quotaColumns(view(rows, 'month'), 'en', (n) => `Q${n}`)).toHaveLength(12)
    expect(quotaColumns(view(rows, 'week'), 'en', (n) => `Q${n}`).map((c) => c.label)).toEqual(['2025-W53', 'W1', 'W5 Jan', 'W5 Feb'])
  })
  it('cells per period', () => {
    const r = qrow({ months, weeks: [week(1, 1, 4)] })
    expect(quotaCells(r, 'quarter')).toEqual([30, 30, 30, 30])
    expect(quotaCells(r, 'month')).toEqual(months)
    expect(quotaCells(r, 'week')).toEqual([4])
  })
  it('reconciles every level, and names the first place that does not add up', () => {
    const ok = [qrow({ months }), qrow({ id: 'T2', months }), qrow({ id: '', kind: 'plan', year: 240, quarters: [60, 60, 60, 60], months: months.map((m) => 2 * m) })]
    expect(reconcile(view(ok, 'month'))).toBeNull()
    expect(reconcile(view(ok, 'month', 241))).toMatch(/territories 240 ≠ total 241/)
    const badQ = [qrow({ quarters: [30, 30, 30, 31] })]
    expect(reconcile(view(badQ, 'quarter', 120))).toMatch(/North: quarters 121 ≠ year 120/)
    const badM = [qrow({ months: [10, 10, 11, 9, 10, 10, 10, 10, 10, 10, 10, 10] })]
    expect(reconcile(view(badM, 'month', 120))).toMatch(/months of Q1 31 ≠ 30/)
    const badW = [qrow({ months, weeks: [week(1, 1, 9)] })]
    expect(reconcile(view(badW, 'week', 120))).toMatch(/weeks of month 1 9 ≠ 10/)
  })
})
