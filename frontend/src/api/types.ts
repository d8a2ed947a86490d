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
}

/** The user's preferences (app.Settings). */
export interface Settings {
  language: string
  basemapUrl: string
  recentPlans: string[] | null
}

/** Payloads of the runtime events Go sends to the page. */
export interface EventPayloads {
  'plan:changed': PlanInfo
  'scenarios:changed': ScenarioInfo[]
  'menu:action': string
}
export type EventName = keyof EventPayloads
