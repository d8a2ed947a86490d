// Reps as the Reps table shows them: one line per rep with the figures Go
// sums over the territories the rep covers (PlanService.Reps), the change of
// projected revenue against the baseline, the totals over every rep, the
// territories no rep covers, sorting, and the utilisation's colour by the
// alert rule thresholds.
import type { RepInfo, TerritoryRow } from '../api/types'
import { formatDeviation, formatMoney } from '../format'

/** Summed figures of the table: a total is the sum over the reps. */
export const SUMMED_FIGURES = [
  'workloadHours',
  'capacityHours',
  'projectedRevenue',
  'revenueAtRisk',
  'revenueLost',
  'repsNeeded',
  'repCost',
  'travelCost',
] as const

/** One rep of the table. */
export interface RepLine {
  id: string
  name: string
  /** Ids of the territories the rep covers in the active scenario. */
  territories: string[]
  /** True when the rep covers no territory. */
  idle: boolean
  /** The rep's figures by metric name; a figure Go left out is absent. */
  values: Record<string, number>
  /** The same figures in the baseline; null without a baseline, empty when the rep covered nothing there. */
  baseline: Record<string, number> | null
  /** Projected revenue now − in the baseline; undefined without a baseline. */
  change: number | undefined
  /** change relative to the baseline's projected revenue; undefined without a baseline or from nothing to something. */
  changePct: number | undefined
}

/** The totals row: summed figures over every rep, utilisation and ROI over those sums. */
export interface RepTotals {
  values: Record<string, number>
  baseline: Record<string, number> | null
  change: number | undefined
  changePct: number | undefined
  /** Number of reps, and of those covering no territory. */
  reps: number
  idle: number
}

/**
 * The change from then to now, absolute and relative to |then|. Without a
 * baseline figure both are undefined; from 0 to 0 is no change, from 0 to
 * anything else has no percentage.
 */
export function changeOf(now: number | undefined, then: number | undefined): { abs: number | undefined; pct: number | undefined } {
  if (then === undefined || !Number.isFinite(then) || now === undefined || !Number.isFinite(now)) return { abs: undefined, pct: undefined }
  const abs = now - then
  if (then === 0) return { abs, pct: abs === 0 ? 0 : undefined }
  return { abs, pct: abs / Math.abs(then) }
}

/** Copies the finite numbers of a figure map (Go leaves undefined figures out; null and odd values are dropped too). */
function finite(m: Record<string, number> | null | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(m ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v
  return out
}

/** The table's lines from Go's reps, in Go's order. A rep without territories projects no revenue. */
export function repLines(reps: readonly RepInfo[]): RepLine[] {
  return reps.map((r) => {
    const territories = r.territories ?? []
    const values = finite(r.values)
    const baseline = r.baseline ? finite(r.baseline) : null
    const { abs, pct } = baseline ? changeOf(values.projectedRevenue ?? 0, baseline.projectedRevenue ?? 0) : { abs: undefined, pct: undefined }
    return { id: r.id, name: r.name || r.id, territories, idle: territories.length === 0, values, baseline, change: abs, changePct: pct }
  })
}

/** Sums of the summed figures of maps, with utilisation and ROI over the sums (as Go does for a district or a rep). */
function sumFigures(maps: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of SUMMED_FIGURES) {
    let s = 0
    let any = false
    for (const m of maps) {
      if (m[k] === undefined) continue
      s += m[k]
      any = true
    }
    if (any) out[k] = s
  }
  if (out.capacityHours > 0 && out.workloadHours !== undefined) out.utilisation = out.workloadHours / out.capacityHours
  const cost = (out.repCost ?? 0) + (out.travelCost ?? 0)
  if (cost > 0 && out.projectedRevenue !== undefined) out.roi = out.projectedRevenue / cost
  return out
}

/** The totals over lines: each summed figure is the sum of the reps'; a baseline when every rep has one. */
export function repTotals(lines: readonly RepLine[]): RepTotals {
  const values = sumFigures(lines.map((l) => l.values))
  const withBase = lines.length > 0 && lines.every((l) => l.baseline !== null)
  const baseline = withBase ? sumFigures(lines.map((l) => l.baseline!)) : null
  const { abs, pct } = baseline ? changeOf(values.projectedRevenue ?? 0, baseline.projectedRevenue ?? 0) : { abs: undefined, pct: undefined }
  return { values, baseline, change: abs, changePct: pct, reps: lines.length, idle: lines.filter((l) => l.idle).length }
}

/** Columns the table sorts by. */
export type RepSortKey =
  | 'name'
  | 'territories'
  | 'workloadHours'
  | 'capacityHours'
  | 'utilisation'
  | 'projectedRevenue'
  | 'change'
  | 'changePct'
  | 'revenueAtRisk'
  | 'revenueLost'
  | 'roi'
  | 'repsNeeded'

/** Sort direction: ascending or descending. */
export type SortDir = 'asc' | 'desc'

/** True for the columns holding text. */
export function isTextKey(key: RepSortKey): boolean {
  return key === 'name' || key === 'territories'
}

/** The direction a column sorts in on its first click: text A→Z, figures largest first. */
export function firstDir(key: RepSortKey): SortDir {
  return isTextKey(key) ? 'asc' : 'desc'
}

/** A line's value in a numeric column; undefined when the rep has no such figure. */
export function sortValue(l: RepLine, key: RepSortKey): number | undefined {
  if (key === 'change') return l.change
  if (key === 'changePct') return l.changePct
  if (key === 'name' || key === 'territories') return undefined
  return l.values[key]
}

/**
 * Lines sorted by key in dir. Text compares in locale with numbers in
 * order ("T2" before "T10"); territories by the first territory's name.
 * Lines without the figure come last in either direction; ties keep the
 * rep's name and id order.
 */
export function sortLines(
  lines: readonly RepLine[],
  key: RepSortKey,
  dir: SortDir,
  locale: string,
  territoryName: (id: string) => string = (id) => id,
): RepLine[] {
  const coll = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' })
  const sign = dir === 'asc' ? 1 : -1
  const byName = (a: RepLine, b: RepLine) => coll.compare(a.name, b.name) || coll.compare(a.id, b.id)
  const firstTerritory = (l: RepLine) =>
    l.territories
      .map(territoryName)
      .sort(coll.compare)[0]
  return [...lines].sort((a, b) => {
    if (key === 'name') return sign * byName(a, b)
    if (key === 'territories') {
      const ta = firstTerritory(a)
      const tb = firstTerritory(b)
      if (ta === undefined || tb === undefined) return ta === tb ? byName(a, b) : ta === undefined ? 1 : -1
      return sign * coll.compare(ta, tb) || byName(a, b)
    }
    const va = sortValue(a, key)
    const vb = sortValue(b, key)
    if (va === undefined || vb === undefined) return va === vb ? byName(a, b) : va === undefined ? 1 : -1
    return sign * (va - vb) || byName(a, b)
  })
}

/** The territories no rep covers (from the plan's rows): how many, their names and their projected revenue. */
export function territoriesWithoutRep(rows: readonly TerritoryRow[]): { count: number; names: string[]; projectedRevenue: number } {
  const vacant = rows.filter((r) => r.kind === 'territory' && !r.repId)
  const projectedRevenue = vacant.reduce((s, r) => s + (r.values?.projectedRevenue ?? 0), 0)
  return { count: vacant.length, names: vacant.map((r) => r.name || r.id), projectedRevenue }
}

/** How a utilisation reads against the alert rule thresholds (strictly below low, strictly above high, as the rules fire). */
export type UtilisationTone = 'low' | 'ok' | 'high' | ''

/** The tone of utilisation u by the alert thresholds; '' when u is undefined. */
export function utilisationTone(u: number | undefined, low: number, high: number): UtilisationTone {
  if (u === undefined || !Number.isFinite(u)) return ''
  if (u > high) return 'high'
  if (u < low) return 'low'
  return 'ok'
}

/** A change of money with its sign, compact for tables ("+$1.2M", "−$350K", "±0"); "–" when undefined. */
export function formatMoneyChange(delta: number | undefined, currency: string, locale: string, compact = true): string {
  if (delta === undefined || !Number.isFinite(delta)) return '–'
  if (Math.abs(delta) < 0.5) return '±0'
  return (delta > 0 ? '+' : '−') + formatMoney(Math.abs(delta), currency, locale, compact)
}

/** A relative change with its sign ("+8.4%", "−3%", "0%"); "–" when undefined. */
export function formatPctChange(pct: number | undefined, locale: string): string {
  if (pct === undefined || !Number.isFinite(pct)) return '–'
  return formatDeviation(pct, locale).replace('-', '−')
}
