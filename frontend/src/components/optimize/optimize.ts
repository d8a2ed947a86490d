// What the optimizer dialog offers, the request it sends, and how the
// report's figures, moves and notes are put into words. No Vue here, so
// every rule is tested on its own (optimize.test.ts).
import type { Move, OptimizeProgress, OptimizeReport, OptimizeRequest, ReportNote } from '../../api/optimizeApi'

/** Build k territories afresh, or rebalance the scenario shown. */
export type OptimizeMode = 'build' | 'rebalance'

/** Default balance weights (percent): workload 60, potential 30, revenue 10. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = { workloadHours: 60, potential: 30, revenue: 10 }

/** Search effort levels the dialog offers (OptimizeRequest.effort). */
export const EFFORTS = [
  { id: 'quick', value: 0.5 },
  { id: 'normal', value: 1 },
  { id: 'thorough', value: 3 },
  { id: 'exhaustive', value: 10 },
] as const

/** Reason codes of moves, in the order the filter lists them. */
export const REASONS = ['balance', 'shape', 'distance', 'chain', 'build'] as const

/** Everything the dialog asks for. Percentages are percent (5 = 5 %). */
export interface OptimizeChoices {
  mode: OptimizeMode
  /** Territories to build. */
  territories: number
  /** Build: one territory anchored at each rep's home. */
  repHomes: boolean
  /** Build: compare with the scenario shown and keep its locks. */
  compare: boolean
  /** Metric → weight (percent, or any positive numbers: Go normalizes them). */
  weights: Record<string, number>
  tolerance: number
  contiguous: boolean
  compactness: number
  homeDistance: number
  /** Rebalance: caps on the share changing territory (0 = none). */
  maxMovedRevenue: number
  maxMovedAccounts: number
  seed: number
  effort: number
  /** Name of the new scenario. */
  name: string
  /** Show the new scenario on the map when done. */
  switchTo: boolean
}

/** What the dialog knows about the open plan. */
export interface PlanContext {
  /** Id of the scenario shown ("" without one). */
  activeId: string
  activeName: string
  /** Territories of the scenario shown. */
  activeTerritories: number
  scenarioNames: string[]
  /** Reps with a home (anchors for a build). */
  repsWithHome: number
  /** Building blocks of the plan (0: accounts only). */
  units: number
  accounts: number
}

/** Weights for the metrics Go offers: the defaults where they apply, 0 elsewhere. */
export function weightsFor(metrics: readonly string[], previous?: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of metrics) out[m] = previous && m in previous ? previous[m] : DEFAULT_WEIGHTS[m] ?? 0
  // A plan without some default metric still balances on something.
  if (!Object.values(out).some((w) => w > 0) && metrics.length) out[metrics.includes('potential') ? 'potential' : metrics[0]] = 100
  return out
}

/** A name not yet used by any scenario: base, "base 2", "base 3", ... */
export function uniqueName(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((n) => n.trim().toLowerCase()))
  if (!used.has(base.trim().toLowerCase())) return base
  for (let i = 2; ; i++) {
    const n = `${base} ${i}`
    if (!used.has(n.toLowerCase())) return n
  }
}

/** The dialog's first choices for mode in the plan described by ctx. */
export function defaultChoices(mode: OptimizeMode, ctx: PlanContext, metrics: readonly string[]): OptimizeChoices {
  const k = ctx.activeTerritories > 0 ? ctx.activeTerritories : Math.max(ctx.repsWithHome, 10)
  return {
    mode,
    territories: k,
    repHomes: false,
    compare: false,
    weights: weightsFor(metrics),
    tolerance: 5,
    contiguous: ctx.units > 0,
    compactness: 50,
    homeDistance: 0,
    maxMovedRevenue: 10,
    maxMovedAccounts: 0,
    seed: 1,
    effort: 1,
    name: '',
    switchTo: true,
  }
}

/** Territories a build makes: the reps with a home when anchoring one per rep and none is given. */
export function buildTerritories(c: OptimizeChoices, ctx: PlanContext): number {
  return c.repHomes && !(c.territories > 0) ? ctx.repsWithHome : c.territories
}

/** A problem with the choices as an i18n key with its values; null when they can run. */
export function problemOf(c: OptimizeChoices, ctx: PlanContext): { key: string; values?: Record<string, unknown> } | null {
  const isInt = (n: number) => Number.isInteger(n)
  const pct = (n: number) => Number.isFinite(n) && n >= 0 && n <= 100
  if (c.mode === 'rebalance' && (!ctx.activeId || ctx.activeTerritories < 2)) return { key: 'optimize.problem.nothingToRebalance' }
  if (c.mode === 'build') {
    const k = buildTerritories(c, ctx)
    const max = Math.max(ctx.units || ctx.accounts, 1)
    if (!isInt(k) || k < 2 || k > Math.min(max, 10000)) return { key: 'optimize.problem.territories', values: { max: Math.min(max, 10000) } }
    if (c.repHomes && ctx.repsWithHome === 0) return { key: 'optimize.problem.noHomes' }
    if (c.repHomes && k < ctx.repsWithHome) return { key: 'optimize.problem.fewerThanReps', values: { n: ctx.repsWithHome } }
  }
  const ws = Object.values(c.weights)
  if (ws.some((w) => !Number.isFinite(w) || w < 0) || !ws.some((w) => w > 0)) return { key: 'optimize.problem.weights' }
  if (!pct(c.tolerance)) return { key: 'optimize.problem.tolerance' }
  if (c.mode === 'rebalance' && (!pct(c.maxMovedRevenue) || !pct(c.maxMovedAccounts))) return { key: 'optimize.problem.caps' }
  if (!isInt(c.seed) || c.seed < 0 || c.seed > Number.MAX_SAFE_INTEGER) return { key: 'optimize.problem.seed' }
  const name = c.name.trim()
  if (!name) return { key: 'optimize.problem.name' }
  if (ctx.scenarioNames.some((n) => n.trim().toLowerCase() === name.toLowerCase())) return { key: 'optimize.problem.nameTaken', values: { name } }
  return null
}

/** The request for Go; options the mode does not use are left at their zero values. */
export function requestOf(c: OptimizeChoices, ctx: PlanContext): OptimizeRequest {
  const build = c.mode === 'build'
  const balance: Record<string, number> = {}
  for (const [m, w] of Object.entries(c.weights)) if (w > 0) balance[m] = w
  return {
    from: build ? (c.compare ? ctx.activeId : '') : ctx.activeId,
    into: c.name.trim(),
    mode: c.mode,
    level: '',
    territories: build ? buildTerritories(c, ctx) : 0,
    balance,
    tolerance: c.tolerance,
    contiguous: c.contiguous,
    compactness: c.compactness,
    // A build keeps territories near homes only when it anchors them there.
    homeDistance: build && !c.repHomes ? 0 : c.homeDistance,
    repHomes: build && c.repHomes,
    repCapacity: false,
    maxMovedRevenue: build ? 0 : c.maxMovedRevenue,
    maxMovedAccounts: build ? 0 : c.maxMovedAccounts,
    maxMovedRevenueTerritory: 0,
    maxMovedAccountsTerritory: 0,
    targets: {},
    focus: [],
    seed: c.seed,
    effort: c.effort,
  }
}

/** Weights as shares of their sum (for "60 %" next to each). */
export function weightShares(weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((s, w) => s + (w > 0 && Number.isFinite(w) ? w : 0), 0)
  const out: Record<string, number> = {}
  for (const [m, w] of Object.entries(weights)) out[m] = sum > 0 && w > 0 ? w / sum : 0
  return out
}

/** 0–100 for the progress bar. */
export function percentOf(p: OptimizeProgress | null): number {
  if (!p || !Number.isFinite(p.fraction)) return 0
  return Math.max(0, Math.min(100, 100 * p.fraction))
}

/** Elapsed time as m:ss (or h:mm:ss). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** Territory id → name, from the starting scenario and the result (the result wins for ids in both). */
export function territoryNames(report: OptimizeReport, before: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>(Object.entries(before))
  for (const r of report.rows ?? []) if (r.name) out.set(r.id, r.name)
  return out
}

export interface MoveFilter {
  text: string
  /** A reason code, or "" for all. */
  reason: string
}

/** The moves matching the filter: text in the item's name or id or a territory's name or id. */
export function filterMoves(moves: readonly Move[], f: MoveFilter, names: Map<string, string>): Move[] {
  const q = f.text.trim().toLowerCase()
  return moves.filter((m) => {
    if (f.reason && m.reason?.code !== f.reason) return false
    if (!q) return true
    return [m.name, m.id, m.from, m.to, names.get(m.from) ?? '', names.get(m.to) ?? ''].some((s) => s.toLowerCase().includes(q))
  })
}

/** How many moves each reason explains. */
export function reasonCounts(moves: readonly Move[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const m of moves) out[m.reason?.code ?? ''] = (out[m.reason?.code ?? ''] ?? 0) + 1
  return out
}

/** A message to translate: i18n key and values, or Go's English text when the code is not known. */
export type Message = { key: string; values: Record<string, unknown> } | { text: string }

/** Formatting the report's messages needs. */
export interface Wording {
  territory: (id: string) => string
  metric: (name: string) => string
  item: (id: string) => string
  /** A fraction as a percentage ("41.2 %"). */
  pct: (fraction: number) => string
  /** The tolerance as a fraction. */
  tolerance: number
}

/** Why a unit or account moved, in the page's words. */
export function reasonMessage(m: Move, w: Wording): Message {
  const r = m.reason
  const from = w.territory(m.from)
  const to = w.territory(m.to)
  switch (r?.code) {
    case 'balance': {
      const over = r.overBy ?? 0
      const under = -(r.underBy ?? 0) // underBy is −(deviation of the receiving territory)
      return {
        key: `optimize.reason.balance.${over >= 0 ? 'over' : 'under'}${under >= 0 ? 'Over' : 'Under'}`,
        values: { from: w.territory(r.over || m.from), to: w.territory(r.under || m.to), by: w.pct(Math.abs(over)), toBy: w.pct(Math.abs(under)) },
      }
    }
    case 'shape':
      return { key: 'optimize.reason.shape', values: { to } }
    case 'distance':
      return { key: 'optimize.reason.distance', values: { to } }
    case 'chain':
      return { key: 'optimize.reason.chain', values: { to } }
    case 'build':
      return /no longer exists/.test(r.text ?? '') ? { key: 'optimize.reason.gone', values: { from } } : { key: 'optimize.reason.build', values: { to } }
  }
  return { text: r?.text ?? '' }
}

/** A note of the report (a bound, an ignored option, a limit) in the page's words. */
export function noteMessage(n: ReportNote, w: Wording): Message {
  const metric = n.metric ? w.metric(n.metric) : ''
  const v = n.value ?? 0
  switch (n.code) {
    case 'item-too-large':
      return {
        key: 'optimize.note.itemTooLarge',
        values: { metric, item: w.item(n.item ?? ''), share: w.pct(v), tolerance: w.pct(w.tolerance), bound: w.pct(Math.max(0, v - 1)) },
      }
    case 'others-short':
      return { key: 'optimize.note.othersShort', values: { metric, short: w.pct(v) } }
    case 'unit-cannot-combine':
      return { key: 'optimize.note.cannotCombine', values: { metric, item: w.item(n.item ?? ''), tolerance: w.pct(w.tolerance), bound: w.pct(v) } }
    case 'not-contiguous':
      return { key: 'optimize.note.notContiguous', values: { n: v } }
    case 'nothing-to-balance':
      return { key: 'optimize.note.nothingToBalance', values: { metric } }
    case 'caps-ignored':
      return { key: 'optimize.note.capsIgnored', values: {} }
    case 'limit-exceeded':
      return { key: 'optimize.note.limitExceeded', values: { territory: w.territory(n.territory ?? ''), metric } }
  }
  return { text: n.text }
}

/** The report's notes that explain why the tolerance cannot be met (bounds), and the others. */
export function splitNotes(notes: readonly ReportNote[] | null): { bounds: ReportNote[]; other: ReportNote[] } {
  const bound = new Set(['item-too-large', 'others-short', 'unit-cannot-combine'])
  const all = notes ?? []
  return { bounds: all.filter((n) => bound.has(n.code)), other: all.filter((n) => !bound.has(n.code)) }
}

/** Index of the metric with the largest weight (the territory table's default column). */
export function heaviestMetric(report: OptimizeReport): number {
  let best = 0
  ;(report.metrics ?? []).forEach((m, i, all) => {
    if (m.weight > all[best].weight) best = i
  })
  return best
}

/** True when the tolerance cannot be met because of the item sizes (some metric's bound exceeds it). */
export function boundExceedsTolerance(report: OptimizeReport): boolean {
  return (report.metrics ?? []).some((m) => m.bound > report.tolerance + 1e-12)
}
