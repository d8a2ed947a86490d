// Bridge wrappers of the Go ModelService (the planning model: segments,
// quotas and alerts; see docs/bridge.md) and the JSON shapes of the planning
// model's assumptions inside EditService.Settings() (PlanSettings.model).
// Field names mirror the Go json tags (app/model.go, engine/model/params.go).
import { callService, hasService } from './bridge'
import type { CallPlan, PlanSettings } from './types'

/** What the ABC classes rank accounts by. */
export type SegmentBasis = 'potential' | 'revenue' | 'blend' | 'tier'

/** How accounts are sorted into classes and flags (model.SegmentParams). */
export interface SegmentParams {
  basis: SegmentBasis | string
  /** Weight of potential in the blend basis, 0..1. */
  blendPotential: number
  /** Cumulative shares of the basis that classes A and B reach (0.8 = 80 %). */
  cutA: number
  cutB: number
  /** Window of recent revenue, in months. */
  recentMonths: number
  /** Revenue share of potential below which an A or B account is white space. */
  whiteSpaceShare: number
}

/** Travel per territory (model.TravelParams); mode "territory" or "perVisit". */
export interface TravelParams {
  mode: 'territory' | 'perVisit' | string
  detourFactor: number
  speedKmh: number
  visitsPerDay: number
  overnightHours: number
  tourConstant: number
  costPerKm: number
}

/** A sales-response curve (model.ResponseParams). */
export interface ResponseParams {
  retention: number
  saturation: number
  shape: number
  referenceVisits: number
}

/** Quota weights, ramp, new reps and growth (model.QuotaParams). */
export interface QuotaParams {
  history: number
  potential: number
  even: number
  ramp: number
  newReps: string[] | null
  growth: number
}

/** Alert thresholds and the rules switched off (model.AlertParams). */
export interface AlertParams {
  balanceDeviation: number
  utilisationLow: number
  utilisationHigh: number
  potentialShift: number
  overdueFactor: number
  off: string[] | null
}

/** The planning model's assumptions with every default filled in (model.Params). */
export interface ModelParams {
  segments: SegmentParams
  accountCallPlans: Record<string, CallPlan> | null
  travel: TravelParams
  adminShare: number
  responses: Record<string, ResponseParams> | null
  defaultResponse: ResponseParams
  disruptionShare: number
  /** Standard rep's weekly hours for sizing; 0 = the mean of the plan's reps. */
  repHoursPerWeek: number
  quota: QuotaParams
  alerts: AlertParams
}

/** PlanSettings as a Go side with the planning model reports them. */
export type ModelSettings = PlanSettings & { model?: ModelParams | null }

/** The alert rules, in the order Go sorts alerts. */
export const ALERT_RULES = ['balance', 'utilisationLow', 'utilisationHigh', 'potentialShift', 'goldenOverdue'] as const
export type AlertRule = (typeof ALERT_RULES)[number]

/** A golden account overdue for a visit (model.OverdueAccount). */
export interface OverdueAccount {
  id: string
  name: string
  /** Day of the last logged visit (days since 1970-01-01), −1 when none. */
  lastVisit: number
  /** Days since the last visit, −1 when never visited. */
  daysSince: number
  /** Planned days between visits. */
  interval: number
}

/** One rule broken by one territory (model.Alert). */
export interface Alert {
  rule: AlertRule | string
  territory: string
  name: string
  /** The figure of a balance alert. */
  metric?: string
  /** A deviation or utilisation (fractions), or the number of overdue golden accounts. */
  value: number
  threshold: number
  accounts?: OverdueAccount[] | null
  /** English text for logs and the command line. */
  message: string
}

/** The alerts of a scenario (app.AlertsView). */
export interface AlertsView {
  scenarioId: string
  /** The day visits are measured to (YYYY-MM-DD). */
  now: string
  alerts: Alert[] | null
  /** False when the plan has no visit log (overdue golden accounts cannot be found). */
  visitLog: boolean
  counts: Record<string, number> | null
}

/** Accounts of one class or flag (segment.Group). */
export interface SegmentGroup {
  name: string
  accounts: number
  potential: number
  revenue: number
}

/** The accounts' segments (app.TiersView). */
export interface TiersView {
  scenarioId: string
  basis: string
  cutA: number
  cutB: number
  recentMonths: number
  whiteSpaceShare: number
  classes: SegmentGroup[] | null
  flags: SegmentGroup[] | null
  /** Names of the per-territory count figures in the rows' values ("tier.A", "golden", …). */
  metrics: string[] | null
}

/** The finest breakdown of a quota. */
export type QuotaPeriod = 'quarter' | 'month' | 'week'

/** What to split (app.QuotaRequest). */
export interface QuotaRequest {
  period: QuotaPeriod
  /** Plan total; 0 = last 12 months' revenue × (1 + growth). */
  total: number
  /** Growth over the last 12 months (0.05 = +5 %); null = the plan's setting. */
  growth: number | null
  /** Calendar year; 0 = the first full year after the history. */
  year: number
}

/** The part of a month in one ISO week (quota.Week). */
export interface QuotaWeek {
  isoYear: number
  isoWeek: number
  month: number
  from: number
  to: number
  /** First day, YYYY-MM-DD. */
  start: string
  workingDays: number
  quota: number
}

/** One node's quota (app.QuotaRow). */
export interface QuotaRow {
  id: string
  name: string
  kind: string
  depth: number
  rep?: string
  share: number
  ramp?: boolean
  year: number
  quarters: number[]
  months?: number[] | null
  weeks?: QuotaWeek[] | null
  history: number
  potential: number
}

/** Quotas of a scenario (app.QuotaView). */
export interface QuotaView {
  scenarioId: string
  year: number
  period: QuotaPeriod | string
  currency: string
  total: number
  base: number
  growth: number
  weights: { history: number; potential: number; even: number; ramp: number }
  seasonal: boolean
  seasonality: number[]
  monthWeights: number[]
  rows: QuotaRow[] | null
}

const call = <T>(method: string, ...args: unknown[]) => callService<T>('ModelService', method, ...args)

/** True when the Go side offers ModelService (or one of its methods). */
export function hasModelService(method?: string): boolean {
  return hasService('ModelService', method)
}

/** True when EditService offers method (e.g. "DefaultSettings"). */
export function hasEditMethod(method: string): boolean {
  return hasService('EditService', method)
}

/** Typed wrappers of ModelService (docs/bridge.md). */
export const ModelService = {
  /** The accounts' segments in force. */
  Tiers: () => call<TiersView>('Tiers'),
  /** Quotas of the active scenario's territories. */
  Quotas: (req: QuotaRequest) => call<QuotaView>('Quotas', req),
  /** The alert rules evaluated on the active scenario now. */
  Alerts: () => call<AlertsView>('Alerts'),
}

/** The documented defaults, from Go when it offers them (EditService.DefaultSettings). */
export async function defaultSettingsFromGo(): Promise<ModelSettings | null> {
  if (!hasEditMethod('DefaultSettings')) return null
  try {
    return await callService<ModelSettings>('EditService', 'DefaultSettings')
  } catch {
    return null
  }
}
