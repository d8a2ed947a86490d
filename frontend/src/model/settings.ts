// The plan's assumptions as the Assumptions panel edits them: the documented
// defaults, the scalar fields with their units, which values differ from the
// defaults, where a message from Go belongs, and the PlanSettings that Apply
// sends. Pure functions; the panel keeps a draft and Go keeps the plan.
import type { CallPlan } from '../api/types'
import type { ModelParams, ModelSettings } from '../api/modelApi'

/** The tabs of the Assumptions panel. */
export const SECTIONS = ['workload', 'balance', 'segments', 'revenue', 'quotas', 'alerts'] as const
export type Section = (typeof SECTIONS)[number]

/**
 * The documented defaults (docs/model.md; `territoria settings` of a new
 * plan). Used when the Go side does not offer EditService.DefaultSettings;
 * an end-to-end test checks them against a new plan's settings.
 */
export const DEFAULT_SETTINGS: ModelSettings & { model: ModelParams } = {
  callPlans: {
    A: { visitsPerYear: 24, visitMinutes: 60, travelMinutes: 30 },
    B: { visitsPerYear: 12, visitMinutes: 45, travelMinutes: 30 },
    C: { visitsPerYear: 4, visitMinutes: 30, travelMinutes: 30 },
  },
  defaultCallPlan: { visitsPerYear: 4, visitMinutes: 30, travelMinutes: 30 },
  weeksPerYear: 46,
  weights: { potential: 30, revenue: 10, workloadHours: 60 },
  targets: {},
  bands: [0.05, 0.1, 0.2],
  model: {
    segments: { basis: 'potential', blendPotential: 0.5, cutA: 0.8, cutB: 0.95, recentMonths: 6, whiteSpaceShare: 0.1 },
    accountCallPlans: {},
    travel: { mode: 'territory', detourFactor: 1.3, speedKmh: 50, visitsPerDay: 4.3, overnightHours: 2, tourConstant: 0.7124, costPerKm: 0 },
    adminShare: 0,
    responses: {
      A: { retention: 0.6, saturation: 1.3, shape: 1.9833333333333332, referenceVisits: 24 },
      B: { retention: 0.7, saturation: 1.3, shape: 2.2666666666666666, referenceVisits: 12 },
      C: { retention: 0.8, saturation: 1.2, shape: 3.400000000000001, referenceVisits: 4 },
    },
    defaultResponse: { retention: 0.8, saturation: 1.2, shape: 3.400000000000001, referenceVisits: 4 },
    disruptionShare: 0.15,
    repHoursPerWeek: 0,
    quota: { history: 0.5, potential: 0.4, even: 0.1, ramp: 0.5, newReps: [], growth: 0 },
    alerts: { balanceDeviation: 0.2, utilisationLow: 0.7, utilisationHigh: 1.1, potentialShift: 0.1, overdueFactor: 1.5, off: [] },
  },
}

/** How a scalar is entered: as is, as a percentage of a fraction, as a whole number, or picked. */
export type FieldKind = 'number' | 'percent' | 'int' | 'select'

/** A scalar assumption of the panel. */
export interface FieldDef {
  /** Dotted path into PlanSettings ("model.travel.speedKmh", "bands.0"). */
  path: string
  section: Section
  kind: FieldKind
  /** Message key of the unit shown after the input (model.unit.*), if any. */
  unit?: string
  min?: number
  max?: number
  step?: number
  options?: readonly string[]
  /** Shown only when this returns true for the draft. */
  when?: (s: ModelSettings) => boolean
}

const isBlend = (s: ModelSettings) => s.model?.segments.basis === 'blend'
const isTerritoryTravel = (s: ModelSettings) => (s.model?.travel.mode ?? 'territory') === 'territory'

/** The scalar fields, by section, in display order. Tables (call plans, weights, targets, curves) have their own editors. */
export const FIELDS: readonly FieldDef[] = [
  { path: 'weeksPerYear', section: 'workload', kind: 'number', unit: 'weeks', min: 1, max: 53, step: 1 },
  { path: 'model.adminShare', section: 'workload', kind: 'percent', unit: 'percent', min: 0, max: 99, step: 1 },
  { path: 'model.repHoursPerWeek', section: 'workload', kind: 'number', unit: 'hoursPerWeek', min: 0, max: 168, step: 1 },
  { path: 'model.travel.mode', section: 'workload', kind: 'select', options: ['territory', 'perVisit'] },
  { path: 'model.travel.detourFactor', section: 'workload', kind: 'number', unit: 'factor', min: 1, step: 0.05, when: isTerritoryTravel },
  { path: 'model.travel.speedKmh', section: 'workload', kind: 'number', unit: 'kmh', min: 1, step: 5, when: isTerritoryTravel },
  { path: 'model.travel.visitsPerDay', section: 'workload', kind: 'number', unit: 'perDay', min: 0.1, step: 0.1, when: isTerritoryTravel },
  { path: 'model.travel.overnightHours', section: 'workload', kind: 'number', unit: 'hours', min: 0.1, step: 0.5, when: isTerritoryTravel },
  { path: 'model.travel.tourConstant', section: 'workload', kind: 'number', unit: 'factor', min: 0.01, step: 0.01, when: isTerritoryTravel },
  { path: 'model.travel.costPerKm', section: 'workload', kind: 'number', unit: 'currencyPerKm', min: 0, step: 0.05 },
  { path: 'bands.0', section: 'balance', kind: 'percent', unit: 'percent', min: 0.1, step: 1 },
  { path: 'bands.1', section: 'balance', kind: 'percent', unit: 'percent', min: 0.1, step: 1 },
  { path: 'bands.2', section: 'balance', kind: 'percent', unit: 'percent', min: 0.1, step: 1 },
  { path: 'model.segments.basis', section: 'segments', kind: 'select', options: ['potential', 'revenue', 'blend', 'tier'] },
  { path: 'model.segments.blendPotential', section: 'segments', kind: 'percent', unit: 'percent', min: 0, max: 100, step: 5, when: isBlend },
  { path: 'model.segments.cutA', section: 'segments', kind: 'percent', unit: 'percentCumulative', min: 1, max: 99, step: 1 },
  { path: 'model.segments.cutB', section: 'segments', kind: 'percent', unit: 'percentCumulative', min: 1, max: 100, step: 1 },
  { path: 'model.segments.recentMonths', section: 'segments', kind: 'int', unit: 'months', min: 1, max: 120, step: 1 },
  { path: 'model.segments.whiteSpaceShare', section: 'segments', kind: 'percent', unit: 'percentOfPotential', min: 0, max: 100, step: 1 },
  { path: 'model.disruptionShare', section: 'revenue', kind: 'percent', unit: 'percentOfRevenue', min: 0, max: 100, step: 1 },
  { path: 'model.quota.history', section: 'quotas', kind: 'number', unit: 'weight', min: 0, step: 0.05 },
  { path: 'model.quota.potential', section: 'quotas', kind: 'number', unit: 'weight', min: 0, step: 0.05 },
  { path: 'model.quota.even', section: 'quotas', kind: 'number', unit: 'weight', min: 0, step: 0.05 },
  { path: 'model.quota.ramp', section: 'quotas', kind: 'percent', unit: 'percentOfShare', min: 1, max: 100, step: 5 },
  { path: 'model.quota.growth', section: 'quotas', kind: 'percent', unit: 'percent', min: -99, step: 1 },
  { path: 'model.alerts.balanceDeviation', section: 'alerts', kind: 'percent', unit: 'percent', min: 0.1, step: 1 },
  { path: 'model.alerts.utilisationLow', section: 'alerts', kind: 'percent', unit: 'percent', min: 0.1, step: 5 },
  { path: 'model.alerts.utilisationHigh', section: 'alerts', kind: 'percent', unit: 'percent', min: 0.1, step: 5 },
  { path: 'model.alerts.potentialShift', section: 'alerts', kind: 'percent', unit: 'percent', min: 0.1, step: 1 },
  { path: 'model.alerts.overdueFactor', section: 'alerts', kind: 'number', unit: 'intervals', min: 0.1, step: 0.1 },
]

/** The scalar fields of a section that apply to the draft. */
export function fieldsOf(section: Section, s: ModelSettings): FieldDef[] {
  return FIELDS.filter((f) => f.section === section && (!f.when || f.when(s)))
}

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/** The value at a dotted path, undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const k of splitPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

/** Sets the value at a dotted path (creating objects on the way); undefined deletes the key. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = splitPath(path)
  let cur: Record<string, unknown> = obj
  for (const k of keys.slice(0, -1)) {
    const next = cur[k]
    if (next === null || typeof next !== 'object') cur[k] = {}
    cur = cur[k] as Record<string, unknown>
  }
  const last = keys[keys.length - 1]
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1)
    else delete cur[last]
  } else cur[last] = value
}

/**
 * Splits a dotted path. Map keys (tier names, territory and account ids) may
 * themselves contain dots: write them in brackets, "targets[T.1]".
 */
export function splitPath(path: string): string[] {
  const out: string[] = []
  const re = /\[([^\]]*)\]|([^.[\]]+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(path))) out.push(m[1] ?? m[2])
  return out
}

/** The path of a map entry's field: key('targets', 'T.1') → "targets[T.1]". */
export function key(prefix: string, k: string, ...rest: string[]): string {
  return [`${prefix}[${k}]`, ...rest].join('.')
}

/** Two numbers equal up to rounding in the last digits (so 0.1 + 0.2 equals 0.3). */
export function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b)
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}

/** Maps whose missing entries mean 0 (a metric without weight). */
const ZERO_MAPS = new Set(['weights'])
/** Lists compared as sets. */
const SET_LISTS = new Set(['model.quota.newReps', 'model.alerts.off'])

/**
 * The paths of every leaf value that differs between a and b: changed
 * numbers and words, entries only one side has (an absent weight is 0, an
 * absent target or call plan is absent), and lists of names compared as sets.
 */
export function diffPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (SET_LISTS.has(prefix)) {
    const x = new Set((Array.isArray(a) ? a : []).map(String))
    const y = new Set((Array.isArray(b) ? b : []).map(String))
    return x.size === y.size && [...x].every((v) => y.has(v)) ? [] : [prefix]
  }
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a === 'number' && typeof b === 'number') return sameNumber(a, b) ? [] : [prefix]
    if (ZERO_MAPS.has(parentOf(prefix)) && (a ?? 0) === 0 && (b ?? 0) === 0) return []
    return [prefix]
  }
  const objA = a !== null && typeof a === 'object'
  const objB = b !== null && typeof b === 'object'
  if (objA || objB) {
    const ra = (objA ? a : {}) as Record<string, unknown>
    const rb = (objB ? b : {}) as Record<string, unknown>
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])]
    const out: string[] = []
    for (const k of keys) {
      const p = !prefix ? k : isMapPrefix(prefix) ? `${prefix}[${k}]` : `${prefix}.${k}`
      const va = ra[k]
      const vb = rb[k]
      if ((va === undefined || vb === undefined) && isMapPrefix(prefix) && !ZERO_MAPS.has(prefix)) {
        out.push(p)
        continue
      }
      out.push(...diffPaths(va, vb, p))
    }
    return out
  }
  if ((a ?? '') === (b ?? '')) return []
  return [prefix]
}

/** Maps keyed by names the planner chooses (their keys are written in brackets). */
const MAP_PREFIXES = new Set(['callPlans', 'weights', 'targets', 'model.responses', 'model.accountCallPlans'])
function isMapPrefix(prefix: string): boolean {
  return MAP_PREFIXES.has(prefix)
}
function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['))
  return i < 0 ? '' : path.slice(0, i)
}

/** The section a path belongs to. */
export function sectionOf(path: string): Section {
  const p = path.replace(/\[.*$/, '')
  if (/^(callPlans|defaultCallPlan|weeksPerYear|model\.(adminShare|repHoursPerWeek|travel|accountCallPlans))/.test(p)) return 'workload'
  if (/^(weights|bands|targets)/.test(p)) return 'balance'
  if (p.startsWith('model.segments')) return 'segments'
  if (/^model\.(responses|defaultResponse|disruptionShare)/.test(p)) return 'revenue'
  if (p.startsWith('model.quota')) return 'quotas'
  if (p.startsWith('model.alerts')) return 'alerts'
  return 'workload'
}

/** True when path (or any value under it) differs between the draft and the defaults. */
export function differs(changed: readonly string[], path: string): boolean {
  return changed.some((c) => c === path || c.startsWith(`${path}.`) || c.startsWith(`${path}[`))
}

/** Number of differing values per section. */
export function changesBySection(changed: readonly string[]): Record<Section, number> {
  const out = Object.fromEntries(SECTIONS.map((s) => [s, 0])) as Record<Section, number>
  for (const p of changed) out[sectionOf(p)]++
  return out
}

/** Puts the default of path back into the draft (removes entries the defaults do not have). */
export function resetPath(draft: ModelSettings, defaults: ModelSettings, path: string): void {
  const d = getPath(defaults, path)
  setPath(draft as unknown as Record<string, unknown>, path, d === undefined ? undefined : clone(d))
}

/** A complete draft from Go's settings: maps and lists never null, the model filled from the defaults when Go has none. */
export function normalise(s: ModelSettings, defaults: ModelSettings = DEFAULT_SETTINGS): ModelSettings {
  const out = clone(s)
  out.callPlans ??= {}
  out.weights ??= {}
  out.targets ??= {}
  out.bands = out.bands?.length ? out.bands : clone(defaults.bands)
  if (out.model) {
    const m = out.model
    m.accountCallPlans ??= {}
    m.responses ??= {}
    m.quota.newReps ??= []
    m.alerts.off ??= []
  }
  return out
}

/** The first value of the draft the page itself can tell is wrong: a number left empty or not a number. */
export function firstInvalid(draft: ModelSettings): string | null {
  const walk = (v: unknown, path: string): string | null => {
    if (typeof v === 'number') return Number.isFinite(v) ? null : path
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = !path ? k : isMapPrefix(path) ? `${path}[${k}]` : `${path}.${k}`
        const bad = walk(x, p)
        if (bad) return bad
      }
    }
    return null
  }
  return walk(draft, '')
}

/**
 * The PlanSettings Apply sends: weights without the zero ones, targets
 * without empty ones, everything else as drafted. A Go side without the
 * planning model gets no model.
 */
export function toRequest(draft: ModelSettings, withModel: boolean): ModelSettings {
  const out = clone(draft)
  out.weights = Object.fromEntries(Object.entries(out.weights ?? {}).filter(([, w]) => Number.isFinite(w) && w > 0))
  out.targets = Object.fromEntries(Object.entries(out.targets ?? {}).filter(([, s]) => Number.isFinite(s) && s > 0))
  if (!withModel) delete out.model
  return out
}

/**
 * Where a message from Go belongs: the path of the value it names (or of
 * its table), else null. Go's messages are in English (docs/model.md lists
 * the rules); see engine/metrics, engine/segment and engine/model.
 */
export function errorPath(message: string): string | null {
  const m = message
  let x: RegExpExecArray | null
  if ((x = /call plan for tier "([^"]*)"/.exec(m))) return key('callPlans', x[1])
  if (/call plan for other tiers/.test(m)) return 'defaultCallPlan'
  if ((x = /call plan (?:of|for) account "([^"]*)"/.exec(m))) return key('model.accountCallPlans', x[1])
  if (/weeks per year/.test(m)) return 'weeksPerYear'
  if ((x = /deviation band (\d+)/.exec(m))) return `bands.${Number(x[1]) - 1}`
  if (/deviation bands/.test(m)) return 'bands'
  if ((x = /target share of territory "([^"]*)"/.exec(m))) return key('targets', x[1])
  if ((x = /weight (?:of|for(?: unknown metric)?) "([^"]*)"/.exec(m))) return key('weights', x[1])
  if (/segments: basis/.test(m)) return 'model.segments.basis'
  if (/blend weight/.test(m)) return 'model.segments.blendPotential'
  if ((x = /cut-offs A ([^\s,]+) and B ([^\s,]+)/.exec(m))) {
    const [a, b] = [Number(x[1]), Number(x[2])]
    return a > 0 && a < 1 && !(b <= 1) ? 'model.segments.cutB' : 'model.segments.cutA'
  }
  if (/cut-offs/.test(m)) return 'model.segments.cutA'
  if (/recent months/.test(m)) return 'model.segments.recentMonths'
  if (/white-space/.test(m)) return 'model.segments.whiteSpaceShare'
  if (/travel mode/.test(m)) return 'model.travel.mode'
  const travel: Record<string, string> = {
    'detour factor': 'detourFactor',
    speed: 'speedKmh',
    'visits per day': 'visitsPerDay',
    'overnight hours': 'overnightHours',
    'tour constant': 'tourConstant',
  }
  if ((x = /travel (detour factor|speed|visits per day|overnight hours|tour constant)/.exec(m))) return `model.travel.${travel[x[1]]}`
  if (/cost per km/.test(m)) return 'model.travel.costPerKm'
  if (/admin share/.test(m)) return 'model.adminShare'
  if (/disruption share/.test(m)) return 'model.disruptionShare'
  if (/rep hours per (week|year)/.test(m)) return 'model.repHoursPerWeek'
  if ((x = /response curve of class "([^"]*)"/.exec(m))) return key('model.responses', x[1])
  if (/default response curve/.test(m)) return 'model.defaultResponse'
  if ((x = /quota weight of (history|potential|even)/.exec(m))) return `model.quota.${x[1]}`
  if (/quota weights/.test(m)) return 'model.quota.history'
  if (/ramp factor/.test(m)) return 'model.quota.ramp'
  if (/quota growth/.test(m)) return 'model.quota.growth'
  const alerts: Record<string, string> = {
    'balance deviation': 'balanceDeviation',
    'low utilisation': 'utilisationLow',
    'high utilisation': 'utilisationHigh',
    'potential shift': 'potentialShift',
    'overdue factor': 'overdueFactor',
  }
  if ((x = /alert threshold (balance deviation|low utilisation|high utilisation|potential shift|overdue factor)/.exec(m))) return `model.alerts.${alerts[x[1]]}`
  if (/alert thresholds: low utilisation/.test(m)) return 'model.alerts.utilisationLow'
  if (/alert rule/.test(m)) return 'model.alerts.off'
  return null
}

/** Writes a stored value for an input: percentages ×100, at most 4 decimals, no trailing zeros. */
export function toInput(v: number | undefined, kind: FieldKind): string {
  if (v === undefined || !Number.isFinite(v)) return ''
  const x = kind === 'percent' ? v * 100 : v
  return String(Math.round(x * 1e4) / 1e4)
}

/** Reads an input back into a stored value; NaN when it is not a number. */
export function fromInput(text: string, kind: FieldKind): number {
  const s = text.trim().replace(/\s/g, '').replace(',', '.').replace(/%$/, '').replace(/^−/, '-')
  if (!s || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN
  const v = Number(s)
  if (kind === 'int') return Number.isInteger(v) ? v : NaN
  return kind === 'percent' ? v / 100 : v
}

/** The flag call plans a planner may add (CallPlans keys that override an account's class plan). */
export const FLAG_PLANS = ['golden', 'sleeping', 'whiteSpace'] as const

/** Call plan rows in display order: A, B, C and other tiers sorted, then flag plans. */
export function callPlanKeys(plans: Record<string, CallPlan> | null | undefined): string[] {
  const ks = Object.keys(plans ?? {})
  const flags = FLAG_PLANS.filter((f) => ks.includes(f))
  const tiers = ks.filter((k) => !(FLAG_PLANS as readonly string[]).includes(k)).sort((a, b) => a.localeCompare(b))
  return [...tiers, ...flags]
}

/** Yearly hours of one account under a call plan: visits × (visit + travel minutes) / 60. */
export function hoursPerYear(cp: CallPlan): number {
  return (cp.visitsPerYear * (cp.visitMinutes + cp.travelMinutes)) / 60
}

/**
 * Target shares as the panel shows them: each territory's own share, or the
 * even share 1/K of the total the others leave when it has none; the sum of
 * the set ones and whether the whole adds up to 100 %.
 */
export function targetSummary(ids: readonly string[], targets: Record<string, number>): { set: number; even: number; total: number } {
  const own = ids.map((id) => targets[id]).filter((v) => Number.isFinite(v) && v > 0)
  const set = own.reduce((s, v) => s + v, 0)
  const even = ids.length ? 1 / ids.length : 0
  const total = set + (ids.length - own.length) * even
  return { set, even, total }
}
