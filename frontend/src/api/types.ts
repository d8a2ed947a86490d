// TypeScript mirrors of the JSON values in app/dto.go. Keep field names and
// shapes identical to the Go json tags.

/** The open plan (app.PlanInfo). */
export interface PlanInfo {
  open: boolean
  path: string
  name: string
  currency: string
  schemaVersion: number
  readOnly: boolean
  accounts: number
  reps: number
  units: number
  scenarios: ScenarioInfo[] | null
  /** Id of the scenario being shown and edited. */
  activeScenario: string
  /** [minLon, minLat, maxLon, maxLat] of the plan's units and accounts. */
  bounds: [number, number, number, number]
}

/** One scenario in a list (app.ScenarioInfo). */
export interface ScenarioInfo {
  id: string
  name: string
  territories: number
}

/** Level of a node of the sales hierarchy. */
export type NodeKind = 'region' | 'district' | 'territory'

/** One node of the hierarchy as the map draws it (app.AlignmentTerritory). */
export interface AlignmentTerritory {
  id: string
  name: string
  kind: NodeKind | string
  parent: string
  repId: string
  rep: string
  color: string
  /** [lon, lat] of a point inside the territory; null for regions and districts. */
  label: [number, number] | null
}

/** GeoJSON types as they cross the bridge. */
export interface GeoJSONGeometry {
  type: string
  coordinates: unknown
}
export interface GeoJSONFeature<P = Record<string, unknown>> {
  type: 'Feature'
  id?: number | string
  properties: P
  geometry: GeoJSONGeometry | null
}
export interface GeoJSONFeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection'
  features: GeoJSONFeature<P>[]
}

/** Properties of one feature of PlanService.Units(); the feature id is the unit index. */
export interface UnitProperties {
  uid: string
  name: string
  level: string
}

/** Properties of one feature of Alignment.borders. */
export interface BorderProperties {
  kind: 'territory' | 'edge' | string
}

/** The active scenario as the map needs it (app.Alignment). */
export interface Alignment {
  scenarioId: string
  /** Changes whenever the alignment changes; account tiles are requested with it. */
  version: number
  territories: AlignmentTerritory[] | null
  /** unitTerritory[i] is the index into territories of unit i, -1 when unassigned. */
  unitTerritory: number[] | null
  borders: GeoJSONFeatureCollection<BorderProperties> | null
}

/** Tallies of one node of the hierarchy (app.Figures). */
export interface Figures {
  accounts: number
  units: number
  potential: number
  /** Trailing 12 months. */
  revenue: number
  lifetimeValue: number
}

/**
 * One line of the side panel (app.TerritoryRow): a node of the hierarchy,
 * what no territory holds (kind "unassigned", id ""), or the whole plan (kind "plan", id "").
 */
export interface TerritoryRow extends Figures {
  id: string
  name: string
  kind: NodeKind | 'plan' | 'unassigned' | string
  parent: string
  rep: string
  color: string
  depth: number
  /** Share of plan potential, 0..1. */
  potentialShare: number
  /** (potential − mean territory potential)/mean for territories, 0 otherwise. */
  potentialDeviation: number
  /** Id of the node's rep ("" when vacant). */
  repId?: string
  /** A locked node refuses every edit that would change it. */
  locked?: boolean
  /** Every live figure by metric name (docs/model.md); an undefined figure is absent. */
  values?: Record<string, number> | null
  /** Territories: each metric's relative deviation from its target. */
  deviation?: Record<string, number> | null
  /** Territories: each deviation's band (0 within ±5 %, 1 within ±10 %, 2 within ±20 %, 3 beyond, by the plan's bands). */
  band?: Record<string, number> | null
  /** The same node's figures in the baseline (absent when the node does not exist there). */
  baseline?: Record<string, number> | null
}

/** The user's preferences (app.Settings). */
export interface Settings {
  language: string
  basemapUrl: string
  recentPlans: string[] | null
}

/** One vertex of the free-drawn topology (app.VertexRef). */
export interface VertexRef {
  arc: number
  index: number
}

/** A node to create (app.NewTerritory). */
export interface NewTerritory {
  name: string
  /** "territory" (default), "district" or "region". */
  kind: NodeKind
  /** Id of the parent node, "" for top level. */
  parent: string
  /** "#rrggbb"; "" picks an unused colour. */
  color: string
  repId: string
  /** The free-drawn area as [lon, lat] points, or null. */
  ring: [number, number][] | null
}

/** Fields of a node to change (app.TerritoryUpdate); absent fields are kept. */
export interface TerritoryUpdate {
  name?: string
  color?: string
  repId?: string
  parent?: string
  locked?: boolean
}

/** A unit whose territory changed: territory is an index into Alignment.territories, -1 when unassigned. */
export interface UnitChange {
  unit: number
  territory: number
}

/** What Undo and Redo would do (app.UndoState). */
export interface UndoState {
  canUndo: boolean
  canRedo: boolean
  /** Kind of edit ("paint", "move-accounts", "reshape", ...) for a translated label. */
  undoKind: string
  redoKind: string
  undoCount: number
  redoCount: number
}

/** The spread of one metric across territories (app.MetricBalance). */
export interface MetricBalance {
  mean: number
  cv: number
  gini: number
  maxAbsDeviation: number
  weight: number
}

/** The plan-wide balance (app.BalanceView). */
export interface BalanceView {
  /** Composite balance index 0–100 (100 = perfectly balanced). */
  index: number
  metrics: Record<string, MetricBalance> | null
}

/** What an edit, an undo or a redo changed (app.EditResult). */
export interface EditResult {
  kind: string
  /** New alignment version; account tiles are requested with it. */
  version: number
  units: UnitChange[] | null
  accountsMoved: number
  /** Nodes were created, deleted, renamed, recoloured, locked or moved: re-read Alignment. */
  structure: boolean
  /** Free-drawn areas changed: re-read Drawn. */
  drawn: boolean
  /** Id of a node the edit created. */
  created?: string
  /** The plan's assumptions changed: every figure changed (re-read Settings and Metrics). */
  settings?: boolean
  /** The side panel rows after the edit. */
  rows: TerritoryRow[] | null
  balance: BalanceView
  undo: UndoState
}

/** Properties of a free-drawn area feature. */
export interface AreaProperties {
  id: string
  name?: string
  color: string
  locked?: boolean
}

/** The state during a vertex drag, before it is committed (app.LiveUpdate). */
export interface LiveUpdate {
  /** Rows that changed since the drag began. */
  rows: TerritoryRow[] | null
  balance: BalanceView
  /** The touched territories' free-drawn polygons at this step. */
  areas: GeoJSONFeatureCollection<AreaProperties> | null
  accountsMoved: number
}

/** Answer of BeginDrag (app.DragInfo). */
export interface DragInfo {
  vertex: VertexRef
  /** Ids of the territories whose outline moves. */
  territories: string[] | null
  /** [lon, lat] of the vertex at the start. */
  point: [number, number]
}

/** One shared piece of free-drawn boundary (app.DrawnArc). */
export interface DrawnArc {
  id: number
  coords: [number, number][]
  /** Ids of the one or two territories it bounds. */
  territories: string[] | null
  /** True when a territory it bounds is locked. */
  locked: boolean
}

/** The free-drawn topology of the active scenario (app.DrawnView). */
export interface DrawnView {
  areas: GeoJSONFeatureCollection<AreaProperties> | null
  arcs: DrawnArc[] | null
}

/** Accounts inside a ring (app.AccountSelection). */
export interface AccountSelection {
  ids: string[] | null
  /** Number of accounts inside the ring; may exceed ids.length. */
  count: number
}

/** One step of the undo history (app.HistoryEntry). */
export interface HistoryEntry {
  seq: number
  kind: string
  /** Short English summary, for the CLI and logs. */
  summary: string
  /** RFC 3339 time of the edit. */
  at: string
  /** True for redo-able entries. */
  undone: boolean
}

/** A rep of the plan and the territories it covers in the active scenario (app.RepInfo). */
export interface RepInfo {
  id: string
  name: string
  /** [lon, lat] of the rep's home. */
  home: [number, number]
  /** Selling hours per week. */
  capacityHours: number
  /** Annual cost. */
  cost: number
  territories: string[] | null
  /** The rep's figures summed over its territories (named as in EditService.Metrics); empty without territories. */
  values?: Record<string, number> | null
  /** The same figures in the baseline: absent without a baseline, empty when the rep covered nothing there. */
  baseline?: Record<string, number> | null
}

/** One figure the rows carry (app.MetricInfo). */
export interface MetricInfo {
  name: string
  /** "count", "currency", "visits", "hours", "fraction", "km2", "km", "ratio", or "" for unit data of unknown unit. */
  unit: string
  /** A parent's value is the sum of its children's. */
  summed: boolean
  /** Its balance across territories is measured. */
  balanced: boolean
}

/** How often and how long an account of a tier is visited (app.CallPlan). */
export interface CallPlan {
  visitsPerYear: number
  visitMinutes: number
  travelMinutes: number
}

/** The plan's assumptions behind the figures, defaults filled in (app.PlanSettings). */
export interface PlanSettings {
  callPlans: Record<string, CallPlan> | null
  defaultCallPlan: CallPlan
  weeksPerYear: number
  /** Weights of metrics in the composite balance index. */
  weights: Record<string, number> | null
  /** Per-territory target shares (territory id → share). */
  targets: Record<string, number> | null
  /** Deviation bands as fractions (0.05 = ±5 %). */
  bands: number[] | null
}

/** Payloads of the runtime events Go sends to the page. */
export interface EventPayloads {
  'plan:changed': PlanInfo
  'scenarios:changed': ScenarioInfo[]
  'menu:action': string
}
export type EventName = keyof EventPayloads
