// Bridge wrappers of the Go OptimizeService (see docs/bridge.md, "OptimizeService")
// and the shapes of its request, progress and report (engine/optimize/report.go).
import { callService, hasService, onRuntimeEvent } from './bridge'
import type { ScenarioInfo } from './types'

/** What the optimizer is asked for. Percentages are written as percent (5 = 5 %). */
export interface OptimizeRequest {
  /** Scenario id or name to start from; "" builds from nothing. */
  from: string
  /** Name of the new scenario. */
  into: string
  mode: 'build' | 'rebalance' | ''
  level: 'units' | 'accounts' | ''
  territories: number
  /** Metric name → weight. */
  balance: Record<string, number>
  tolerance: number
  contiguous: boolean
  /** 0 balances as closely as possible, 100 keeps the shortest borders. */
  compactness: number
  /** 0..100: keep territories near their rep's home. */
  homeDistance: number
  /** One territory anchored at each rep's home (a build). */
  repHomes: boolean
  repCapacity: boolean
  maxMovedRevenue: number
  maxMovedAccounts: number
  maxMovedRevenueTerritory: number
  maxMovedAccountsTerritory: number
  targets: Record<string, number>
  focus: string[]
  seed: number
  effort: number
}

/** optimize:progress: how far the search has come, and the best so far. */
export interface OptimizeProgress {
  /** "build", "search", "polish" or "report". */
  phase: string
  fraction: number
  restart: number
  restarts: number
  objective: number
  feasible: boolean
  /** Largest deviation from target of the best so far (a fraction). */
  maxDeviation: number
}

/** Balance of one metric across territories (fractions). */
export interface Spread {
  maxAbsDeviation: number
  meanAbsDeviation: number
  within: number
}

export interface MetricReport {
  metric: string
  /** Normalized: the weights sum to 1. */
  weight: number
  before: Spread
  after: Spread
  largest: string
  largestShare: number
  /** Lower bound on the largest deviation the item sizes allow (0 when none is known). */
  bound: number
  boundItem?: string
}

export interface TerritoryReport {
  id: string
  name: string
  /** Deviation per metric (order of Report.metrics) after, and before (null for a new territory). */
  deviation: number[] | null
  deviationBefore: number[] | null
  parts: number
  forced: boolean
  compactness: number
  accountsOut: number
  revenueOut: number
}

export interface MoveReason {
  /** "balance", "shape", "distance", "chain" or "build". */
  code: string
  text: string
  over?: string
  under?: string
  overBy?: number
  underBy?: number
}

export interface Move {
  kind: 'unit' | 'account'
  id: string
  name: string
  from: string
  to: string
  accounts: number
  revenue: number
  reason: MoveReason
}

export interface ReportNote {
  code: string
  text: string
  territory?: string
  metric?: string
  item?: string
  value?: number
}

/** The optimizer's report (territoria optimize --json's "report"). */
export interface OptimizeReport {
  mode: string
  level: string
  /** A fraction (0.05 = ±5 %). */
  tolerance: number
  territories: number
  movable: number
  metrics: MetricReport[] | null
  indexBefore: number
  indexAfter: number
  hasBefore: boolean
  withinBefore: number
  withinAfter: number
  feasible: boolean
  cutEdgesBefore: number
  cutEdgesAfter: number
  borderKmBefore: number
  borderKmAfter: number
  hasBorders: boolean
  compactnessBefore: number
  compactnessAfter: number
  nonContiguousBefore: number
  nonContiguousAfter: number
  forcedIslands: number
  accountsMoved: number
  accountsMovedShare: number
  revenueMoved: number
  revenueMovedShare: number
  unitsMoved: number
  /** Projected revenue of the territories under the planning model, before and after (with the revenue at risk of rep changes). */
  projectedRevenueBefore?: number
  projectedRevenueAfter?: number
  /** False when the figures carry no planning model. */
  hasProjected?: boolean
  limitsExceeded: number
  rows: TerritoryReport[] | null
  moves: Move[] | null
  movesOmitted: number
  notes: ReportNote[] | null
  iterations: number
  restarts: number
  objective: number
  cancelled: boolean
}

export interface OptimizeResult {
  scenario: ScenarioInfo
  report: OptimizeReport
  millis: number
}

const call = <T>(method: string, ...args: unknown[]) => callService<T>('OptimizeService', method, ...args)

/** True when the Go side offers OptimizeService. */
export function hasOptimizeService(): boolean {
  return hasService('OptimizeService')
}

export const OptimizeService = {
  /** The metrics a request may balance on the open plan (unit data such as population included). */
  Metrics: async () => (await call<string[] | null>('Metrics')) ?? [],
  /** Designs territories and saves them as a new scenario; resolves when done or cancelled. */
  Run: (req: OptimizeRequest) => call<OptimizeResult>('Run', req),
  /** Stops the running optimization; Run then resolves with the best so far. */
  Cancel: () => call<void>('Cancel'),
}

/** Subscribes to optimize:progress; returns the unsubscribe function. */
export function onOptimizeProgress(cb: (p: OptimizeProgress) => void): () => void {
  return onRuntimeEvent<OptimizeProgress>('optimize:progress', cb)
}
