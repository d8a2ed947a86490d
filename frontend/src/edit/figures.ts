// The live figures of the side panel: which metrics exist, how each is
// formatted, changes since a gesture began or since the baseline, deviation
// bands and a plan-wide spread. Pure functions over TerritoryRow values.
import type { BalanceView, MetricBalance, TerritoryRow } from '../api/types'
import { formatCompact, formatCount, formatDeviation, formatMoney, formatShare } from '../format'

/** How a metric's numbers are written. */
/** 'ratio' is a plain index (compactness, 0..1); 'multiple' a quotient written with × (ROI: 3.5×). */
export type MetricFormat = 'count' | 'money' | 'hours' | 'percent' | 'area' | 'length' | 'ratio' | 'multiple' | 'number'

/** A figure the panel knows how to show. */
export interface MetricDef {
  /** Stable metric name as Go reports it in TerritoryRow.values (docs/model.md). */
  name: string
  format: MetricFormat
  /** Other names Go may use for the same figure. */
  aliases?: string[]
  /** The TerritoryRow field that holds the figure when values lacks it. */
  field?: 'accounts' | 'units' | 'potential' | 'revenue' | 'lifetimeValue'
}

/** Every figure of the live-figures pipeline, in display order. */
export const METRICS: readonly MetricDef[] = [
  { name: 'accounts', format: 'count', field: 'accounts' },
  { name: 'units', format: 'count', field: 'units' },
  { name: 'potential', format: 'money', field: 'potential' },
  { name: 'revenue', format: 'money', field: 'revenue' },
  { name: 'lifetimeValue', format: 'money', field: 'lifetimeValue', aliases: ['ltv'] },
  { name: 'visits', format: 'count', aliases: ['visitsPerYear'] },
  { name: 'workloadHours', format: 'hours', aliases: ['workload'] },
  { name: 'capacityHours', format: 'hours', aliases: ['capacity'] },
  { name: 'utilisation', format: 'percent', aliases: ['utilization'] },
  { name: 'areaKm2', format: 'area', aliases: ['area'] },
  { name: 'perimeterKm', format: 'length', aliases: ['perimeter'] },
  { name: 'compactness', format: 'ratio', aliases: ['polsbyPopper'] },
  { name: 'parts', format: 'count' },
]

/** Figures of the planning model known by name before Go reports its metrics. */
const MODEL_METRICS: readonly MetricDef[] = [{ name: 'roi', format: 'multiple' }]

const BY_NAME = new Map<string, MetricDef>()
for (const m of [...METRICS, ...MODEL_METRICS]) {
  BY_NAME.set(m.name, m)
  for (const a of m.aliases ?? []) BY_NAME.set(a, m)
}

/**
 * Number format of each unit Go reports in MetricInfo.unit. A "ratio" of
 * two amounts (ROI = projected revenue / cost) is written as a multiple;
 * compactness, also a "ratio", is known by name and stays a plain index.
 */
const UNIT_FORMATS: Record<string, MetricFormat> = {
  count: 'count',
  currency: 'money',
  visits: 'count',
  hours: 'hours',
  fraction: 'percent',
  km2: 'area',
  km: 'length',
  ratio: 'multiple',
}

/**
 * Learns the figures Go reports (EditService.Metrics) that the page does not
 * know by name, such as unit data ("population") or planning-model columns,
 * so they are formatted by their unit. Known names keep their definition.
 */
export function learnMetrics(infos: readonly { name: string; unit: string }[]): void {
  for (const m of infos) {
    if (BY_NAME.has(m.name)) continue
    BY_NAME.set(m.name, { name: m.name, format: UNIT_FORMATS[m.unit] ?? 'number' })
  }
}

/** The definition of a metric name (or alias); unknown names are plain numbers. */
export function metricDef(name: string): MetricDef {
  return BY_NAME.get(name) ?? { name, format: 'number' }
}

/** A group of figures the panel shows side by side. */
export interface MetricSet {
  id: 'sales' | 'workload' | 'shape' | 'revenue' | 'tiers'
  /** Metrics shown as columns. */
  columns: string[]
  /** The metric whose deviation fills the balance column. */
  balance: string
  /** Figures of the planning model: offered only when Go reports them. */
  model?: boolean
}

/** The panel's metric sets; "sales" is the default. */
export const METRIC_SETS: readonly MetricSet[] = [
  { id: 'sales', columns: ['accounts', 'potential', 'revenue', 'lifetimeValue'], balance: 'potential' },
  { id: 'workload', columns: ['visits', 'workloadHours', 'capacityHours', 'utilisation'], balance: 'workloadHours' },
  { id: 'shape', columns: ['units', 'areaKm2', 'compactness', 'parts'], balance: 'areaKm2' },
  { id: 'revenue', columns: ['projectedRevenue', 'revenueAtRisk', 'roi', 'repsNeeded'], balance: 'projectedRevenue', model: true },
  { id: 'tiers', columns: ['tier.A', 'tier.B', 'tier.C', 'whiteSpace'], balance: 'potential', model: true },
]

export type MetricSetId = MetricSet['id']

/** The metric set with that id (the first one for an unknown id). */
export function metricSet(id: string): MetricSet {
  return METRIC_SETS.find((s) => s.id === id) ?? METRIC_SETS[0]
}

/** Reads a figure from a map of values by name or alias; undefined when absent. */
function lookup(values: Record<string, number> | null | undefined, def: MetricDef): number | undefined {
  if (!values) return undefined
  for (const n of [def.name, ...(def.aliases ?? [])]) {
    const v = values[n]
    if (typeof v === 'number' && Number.isFinite(v)) return v
  }
  return undefined
}

/** A row's figure: values[metric], else the matching row field; undefined when the figure is not defined. */
export function valueOf(row: TerritoryRow, metric: string): number | undefined {
  const def = metricDef(metric)
  const v = lookup(row.values, def)
  if (v !== undefined) return v
  if (def.field) return row[def.field]
  return undefined
}

/** A territory's relative deviation from its target for metric; potential falls back to potentialDeviation. */
export function deviationOf(row: TerritoryRow, metric: string): number | undefined {
  const v = lookup(row.deviation, metricDef(metric))
  if (v !== undefined) return v
  if (metricDef(metric).name === 'potential' && row.kind === 'territory') return row.potentialDeviation
  return undefined
}

/** The node's figure in the baseline, when the baseline has the node and the figure. */
export function baselineOf(row: TerritoryRow, metric: string): number | undefined {
  return lookup(row.baseline, metricDef(metric))
}

/** Key identifying a row across reloads: the node id, or the kind for the plan and unassigned rows. */
export function rowKey(row: Pick<TerritoryRow, 'id' | 'kind'>): string {
  return row.kind === 'plan' || row.kind === 'unassigned' ? `#${row.kind}` : row.id
}

/** Figures of every row at one moment: row key → metric → value. */
export type Snapshot = Map<string, Record<string, number>>

/** Every figure of a row by canonical metric name (row fields included). */
export function figuresOf(row: TerritoryRow): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(row.values ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[metricDef(k).name] = v
  for (const m of METRICS) {
    if (m.field && out[m.name] === undefined) out[m.name] = row[m.field]
  }
  return out
}

/** The figures of rows, to compare later rows with (a gesture's starting point). */
export function takeSnapshot(rows: readonly TerritoryRow[]): Snapshot {
  const s: Snapshot = new Map()
  for (const r of rows) s.set(rowKey(r), figuresOf(r))
  return s
}

/**
 * Change of a row's figure since the snapshot: now − then. A node that did
 * not exist in the snapshot changed from 0; undefined when the figure is
 * undefined now or there is no snapshot.
 */
export function changeSince(snap: Snapshot | null, row: TerritoryRow, metric: string): number | undefined {
  if (!snap) return undefined
  const now = valueOf(row, metric)
  if (now === undefined) return undefined
  const before = snap.get(rowKey(row))
  if (!before) return now
  const then = before[metricDef(metric).name]
  return then === undefined ? undefined : now - then
}

/** Change of a row's figure since the baseline; undefined when the baseline lacks the node or figure. */
export function changeSinceBaseline(row: TerritoryRow, metric: string): number | undefined {
  const now = valueOf(row, metric)
  const then = baselineOf(row, metric)
  return now === undefined || then === undefined ? undefined : now - then
}

/** Default deviation bands: within ±5 %, ±10 %, ±20 %, beyond. */
export const DEFAULT_BANDS: readonly number[] = [0.05, 0.1, 0.2]

/**
 * The band of a relative deviation: 0 within ±bands[0], 1 within ±bands[1],
 * 2 within ±bands[2], 3 beyond; -1 when undefined. Edges belong to the
 * inner band (exactly 5 % is band 0).
 */
export function bandOf(dev: number | undefined, bands: readonly number[] = DEFAULT_BANDS): number {
  if (dev === undefined || !Number.isFinite(dev)) return -1
  const a = Math.abs(dev)
  for (let i = 0; i < bands.length; i++) if (a <= bands[i] + 1e-12) return i
  return bands.length
}

/** A territory's band for metric: Go's (which follows the plan's band settings), else from its deviation by the default bands. */
export function bandFor(row: TerritoryRow, metric: string): number {
  if (row.kind !== 'territory') return -1
  const b = lookup(row.band, metricDef(metric))
  if (b !== undefined) return b
  return bandOf(deviationOf(row, metric))
}

/** Background and text colours of each band (within 5 %, 10 %, 20 %, beyond). */
export const BAND_COLOURS: readonly { bg: string; fg: string; solid: string }[] = [
  { bg: '#dcfce7', fg: '#166534', solid: '#22c55e' },
  { bg: '#fef9c3', fg: '#854d0e', solid: '#eab308' },
  { bg: '#ffedd5', fg: '#9a3412', solid: '#f97316' },
  { bg: '#fee2e2', fg: '#991b1b', solid: '#ef4444' },
]

/** Writes a figure of metric in locale (compact for tables). */
export function formatMetric(value: number | undefined, metric: string, locale: string, currency: string, compact = true): string {
  if (value === undefined || !Number.isFinite(value)) return '–'
  switch (metricDef(metric).format) {
    case 'money':
      return formatMoney(value, currency, locale, compact)
    case 'count':
      return compact ? formatCompact(value, locale) : formatCount(value, locale)
    case 'hours':
      return `${compact ? formatCompact(value, locale) : formatCount(value, locale)} h`
    case 'percent':
      return formatShare(value, locale)
    case 'area':
      return `${compact ? formatCompact(value, locale) : formatCount(value, locale)} km²`
    case 'length':
      return `${compact ? formatCompact(value, locale) : formatCount(value, locale)} km`
    case 'ratio':
      return value.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 })
    case 'multiple':
      return `${formatMultiple(value, locale, compact)}×`
    default:
      return compact ? formatCompact(value, locale) : value.toLocaleString(locale, { maximumFractionDigits: 2 })
  }
}

/** A multiple without its sign: three significant digits in tables ("3.46", "219"), two decimals otherwise. */
function formatMultiple(value: number, locale: string, compact: boolean): string {
  if (!compact) return value.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 })
  const a = Math.abs(value)
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2
  return value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

/** A change of a figure with its sign ("+12", "−$1.2M", "±0"); "" when undefined. */
export function formatChange(delta: number | undefined, metric: string, locale: string, currency: string): string {
  if (delta === undefined || !Number.isFinite(delta)) return ''
  const def = metricDef(metric)
  const tiny = def.format === 'ratio' || def.format === 'percent' ? 0.0005 : def.format === 'multiple' ? 0.005 : 0.5
  if (Math.abs(delta) < tiny) return '±0'
  if (def.format === 'percent') return formatDeviation(delta, locale).replace('-', '−')
  return (delta > 0 ? '+' : '−') + formatMetric(Math.abs(delta), metric, locale, currency)
}

/** The spread of one metric across territories, as BalanceView reports it. */
export type Spread = Pick<MetricBalance, 'mean' | 'cv' | 'gini' | 'maxAbsDeviation'>

/**
 * Spread of values: mean, coefficient of variation (population standard
 * deviation / mean), Gini coefficient and the largest |value − mean| / mean.
 * Used until Go has reported a BalanceView for the scenario.
 */
export function spreadOf(values: readonly number[]): Spread {
  const n = values.length
  if (!n) return { mean: 0, cv: 0, gini: 0, maxAbsDeviation: 0 }
  const mean = values.reduce((s, v) => s + v, 0) / n
  if (mean === 0) return { mean, cv: 0, gini: 0, maxAbsDeviation: 0 }
  const variance = values.reduce((s, v) => s + (v - mean) * (v - mean), 0) / n
  const sorted = [...values].sort((a, b) => a - b)
  // Gini = Σ (2i − n − 1) x_i / (n Σ x), i = 1..n over sorted values.
  let g = 0
  sorted.forEach((v, i) => (g += (2 * (i + 1) - n - 1) * v))
  const gini = g / (n * n * mean)
  const maxAbsDeviation = Math.max(...values.map((v) => Math.abs(v - mean) / Math.abs(mean)))
  return { mean, cv: Math.sqrt(variance) / Math.abs(mean), gini, maxAbsDeviation }
}

/** The balance summary the panel shows for a metric: Go's when known, else computed from the territory rows. */
export function balanceFor(metric: string, balance: BalanceView | null, rows: readonly TerritoryRow[]): Spread & { fromGo: boolean } {
  const def = metricDef(metric)
  const m = balance?.metrics
  if (m) {
    for (const n of [def.name, ...(def.aliases ?? [])]) if (m[n]) return { ...m[n], fromGo: true }
  }
  const vals: number[] = []
  for (const r of rows) {
    if (r.kind !== 'territory') continue
    const v = valueOf(r, metric)
    if (v !== undefined) vals.push(v)
  }
  const s = spreadOf(vals)
  // Go's deviations (targets may differ from the mean) give max |deviation| when present.
  const devs = rows.filter((r) => r.kind === 'territory').map((r) => lookup(r.deviation, def))
  if (devs.length && devs.every((d) => d !== undefined)) s.maxAbsDeviation = Math.max(...devs.map((d) => Math.abs(d!)))
  return { ...s, fromGo: false }
}

/** Metric names to offer for colouring the map: known ones present in the rows, then any others Go reports. */
export function availableMetrics(rows: readonly TerritoryRow[]): string[] {
  const seen = new Set<string>()
  for (const r of rows) for (const k of Object.keys(r.values ?? {})) seen.add(metricDef(k).name)
  const out: string[] = []
  for (const m of METRICS) if (m.field || seen.has(m.name)) out.push(m.name)
  for (const k of [...seen].sort()) if (!out.includes(k)) out.push(k)
  return out
}
