// Typed wrappers of PlanService and EditService and the page's events; bridge.ts is the only code that touches window.go and window.runtime.
import { callService, hasBridge, hasService, onRuntimeEvent } from './bridge'
import type {
  AccountSelection,
  Alignment,
  BalanceView,
  DragInfo,
  DrawnView,
  EditResult,
  EventName,
  EventPayloads,
  GeoJSONFeatureCollection,
  HistoryEntry,
  LiveUpdate,
  MetricInfo,
  NewTerritory,
  PlanInfo,
  PlanSettings,
  RepInfo,
  ScenarioInfo,
  Settings,
  TerritoryRow,
  TerritoryUpdate,
  UnitProperties,
  VertexRef,
} from './types'

export * from './types'
export { ApiError, BridgeMissingError, messageOf } from './errors'
export { hasBridge } from './bridge'

/** Waits up to timeoutMs for the bridge scripts to install window.go. */
export async function waitForBridge(timeoutMs = 1500): Promise<boolean> {
  const start = Date.now()
  while (!hasBridge()) {
    if (Date.now() - start >= timeoutMs) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

const call = callService

const plan = <T>(method: string, ...args: unknown[]) => call<T>('PlanService', method, ...args)

/** Typed wrappers for every PlanService method of docs/bridge.md. */
export const PlanService = {
  Info: () => plan<PlanInfo>('Info'),
  NewPlan: (path: string) => plan<PlanInfo>('NewPlan', path),
  OpenPlan: (path: string) => plan<PlanInfo>('OpenPlan', path),
  OpenDemo: () => plan<PlanInfo>('OpenDemo'),
  SaveAs: (path: string) => plan<PlanInfo>('SaveAs', path),
  /** "" when cancelled; rejects with ApiError.isNoDialog in browser mode. */
  ChooseOpenPath: () => plan<string>('ChooseOpenPath'),
  ChooseSavePath: () => plan<string>('ChooseSavePath'),
  RecentPlans: async () => (await plan<string[] | null>('RecentPlans')) ?? [],
  Scenarios: async () => (await plan<ScenarioInfo[] | null>('Scenarios')) ?? [],
  CreateScenario: (name: string) => plan<ScenarioInfo>('CreateScenario', name),
  CloneScenario: (id: string, name: string) => plan<ScenarioInfo>('CloneScenario', id, name),
  RenameScenario: (id: string, name: string) => plan<ScenarioInfo>('RenameScenario', id, name),
  DeleteScenario: (id: string) => plan<void>('DeleteScenario', id),
  SwitchScenario: (id: string) => plan<PlanInfo>('SwitchScenario', id),
  Units: () => plan<GeoJSONFeatureCollection<UnitProperties>>('Units'),
  Alignment: () => plan<Alignment>('Alignment'),
  Territories: async () => (await plan<TerritoryRow[] | null>('Territories')) ?? [],
  Settings: () => plan<Settings>('Settings'),
  SetLanguage: (lang: string) => plan<Settings>('SetLanguage', lang),
  SetBasemapURL: (url: string) => plan<Settings>('SetBasemapURL', url),
  Ready: (detail: string) => plan<void>('Ready', detail),
  /** The plan's reps and the territories each covers. */
  Reps: async () => (await plan<RepInfo[] | null>('Reps')) ?? [],
  Log: (level: string, message: string) => plan<void>('Log', level, message),
}

const edit = <T>(method: string, ...args: unknown[]) => call<T>('EditService', method, ...args)

/** A [lon, lat] ring or line as it crosses the bridge. */
export type LngLatList = [number, number][]

/** True when the Go side offers EditService (older builds and read-only tools may not). */
export function hasEditService(): boolean {
  return hasService('EditService')
}

/** Typed wrappers for every EditService method of docs/bridge.md. */
export const EditService = {
  /** Assigns units (by uid) to a territory; "" unassigns. */
  PaintUnits: (unitIds: string[], territoryId: string) => edit<EditResult>('PaintUnits', unitIds, territoryId),
  /** Overrides accounts into a territory; "" sends them back to their geography. */
  MoveAccounts: (accountIds: string[], territoryId: string) => edit<EditResult>('MoveAccounts', accountIds, territoryId),
  CreateTerritory: (t: NewTerritory) => edit<EditResult>('CreateTerritory', t),
  UpdateTerritory: (id: string, u: TerritoryUpdate) => edit<EditResult>('UpdateTerritory', id, u),
  DeleteTerritory: (id: string, moveTo: string) => edit<EditResult>('DeleteTerritory', id, moveTo),
  MergeTerritories: (into: string, others: string[]) => edit<EditResult>('MergeTerritories', into, others),
  /** Sets (or with an empty ring removes) a territory's free-drawn area. */
  DrawArea: (territoryId: string, ring: LngLatList) => edit<EditResult>('DrawArea', territoryId, ring),
  /** Cuts a drawn area along line; the part right of the line becomes territory name. */
  SplitTerritory: (id: string, line: LngLatList, name: string) => edit<EditResult>('SplitTerritory', id, line, name),
  InsertVertex: (arc: number, after: number, lon: number, lat: number) => edit<EditResult>('InsertVertex', arc, after, lon, lat),
  RemoveVertex: (v: VertexRef) => edit<EditResult>('RemoveVertex', v),
  BeginDrag: (v: VertexRef) => edit<DragInfo>('BeginDrag', v),
  DragTo: (lon: number, lat: number) => edit<LiveUpdate>('DragTo', lon, lat),
  EndDrag: (commit: boolean) => edit<EditResult>('EndDrag', commit),
  SetUnitLocks: (unitIds: string[], locked: boolean) => edit<EditResult>('SetUnitLocks', unitIds, locked),
  SetAccountLocks: (accountIds: string[], locked: boolean) => edit<EditResult>('SetAccountLocks', accountIds, locked),
  Undo: () => edit<EditResult>('Undo'),
  Redo: () => edit<EditResult>('Redo'),
  History: async () => (await edit<HistoryEntry[] | null>('History')) ?? [],
  Drawn: () => edit<DrawnView>('Drawn'),
  SelectUnits: async (ring: LngLatList) => (await edit<string[] | null>('SelectUnits', ring)) ?? [],
  SelectAccounts: async (ring: LngLatList, limit: number) => {
    const r = await edit<AccountSelection | null>('SelectAccounts', ring, limit)
    return { ids: r?.ids ?? [], count: r?.count ?? 0 }
  },
  /** The plan's assumptions (call plans, weeks, weights, targets, bands). */
  Settings: () => edit<PlanSettings>('Settings'),
  /** Changes the plan's assumptions as one undoable edit. */
  SetSettings: (s: PlanSettings) => edit<EditResult>('SetSettings', s),
  /** The plan-wide balance now, as edits return it. */
  Balance: () => edit<BalanceView>('Balance'),
  /** The figures rows carry, with their units. */
  Metrics: async () => (await edit<MetricInfo[] | null>('Metrics')) ?? [],
  /** Compares figures with another scenario; "" = this scenario before its first edit. */
  SetBaseline: async (scenarioId: string) => (await edit<TerritoryRow[] | null>('SetBaseline', scenarioId)) ?? [],
}

/**
 * Subscribes to a Go runtime event; returns a function that unsubscribes.
 * Without the bridge it does nothing.
 */
export function onEvent<N extends EventName>(name: N, cb: (payload: EventPayloads[N]) => void): () => void {
  return onRuntimeEvent<EventPayloads[N]>(name, cb)
}

/** URL template of account vector tiles for the territoria:// protocol. */
export function accountTilesURL(scenario: string, version: number): string {
  return `territoria://accounts/{z}/{x}/{y}?s=${encodeURIComponent(scenario)}&v=${encodeURIComponent(String(version))}`
}

/** Maps a territoria://accounts/... URL to the HTTP path served by Go. */
export function tileFetchPath(url: string): string {
  const m = /^territoria:\/\/accounts\/(\d+)\/(\d+)\/(\d+)(\?.*)?$/.exec(url)
  if (!m) throw new Error(`not an account tile URL: ${url}`)
  return `/tiles/accounts/${m[1]}/${m[2]}/${m[3]}.pbf${m[4] ?? ''}`
}
