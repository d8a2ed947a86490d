// The only frontend code that touches window.go and window.runtime.
import { ApiError, BridgeMissingError, messageOf } from './errors'
import type {
  Alignment,
  EventName,
  EventPayloads,
  GeoJSONFeatureCollection,
  PlanInfo,
  ScenarioInfo,
  Settings,
  TerritoryRow,
  UnitProperties,
} from './types'

export * from './types'
export { ApiError, BridgeMissingError, messageOf } from './errors'

type Method = (...args: unknown[]) => Promise<unknown>

interface Bridge {
  go?: { app?: Record<string, Record<string, Method> | undefined> }
  runtime?: {
    EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void
    EventsOff?: (name: string, ...more: string[]) => void
  }
}

function bridge(): Bridge {
  return window as unknown as Bridge
}

/** True when the Go services are reachable. */
export function hasBridge(): boolean {
  return typeof bridge().go?.app?.PlanService === 'object'
}

/** Waits up to timeoutMs for the bridge scripts to install window.go. */
export async function waitForBridge(timeoutMs = 1500): Promise<boolean> {
  const start = Date.now()
  while (!hasBridge()) {
    if (Date.now() - start >= timeoutMs) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}

async function call<T>(service: string, method: string, ...args: unknown[]): Promise<T> {
  const fn = bridge().go?.app?.[service]?.[method]
  if (typeof fn !== 'function') {
    if (!hasBridge()) throw new BridgeMissingError()
    throw new ApiError(`${service}.${method}`, `${service}.${method} is not available`)
  }
  try {
    return (await fn(...args)) as T
  } catch (e) {
    throw new ApiError(`${service}.${method}`, messageOf(e))
  }
}

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
}

/**
 * Subscribes to a Go runtime event; returns a function that unsubscribes.
 * Without the bridge it does nothing.
 */
export function onEvent<N extends EventName>(name: N, cb: (payload: EventPayloads[N]) => void): () => void {
  const rt = bridge().runtime
  if (!rt?.EventsOn) return () => {}
  let active = true
  const off = rt.EventsOn(name, (...data: unknown[]) => {
    if (active) cb(data[0] as EventPayloads[N])
  })
  return () => {
    active = false
    if (typeof off === 'function') off()
  }
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
