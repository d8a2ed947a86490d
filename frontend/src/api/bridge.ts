// The Go bridge as the page sees it: window.go.app.<Service>.<Method> and
// window.runtime's events (Wails in the desktop window, a shim in the
// browser mode). Every service wrapper calls through here.
import { ApiError, BridgeMissingError, messageOf } from './errors'

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

/** True when the Go side offers service (and, when given, its method). */
export function hasService(service: string, method?: string): boolean {
  const s = bridge().go?.app?.[service]
  if (typeof s !== 'object' || !s) return false
  return method ? typeof s[method] === 'function' : true
}

/**
 * Calls service.method with args. Rejects with BridgeMissingError without
 * the Go side, and with an ApiError naming the method when it is missing or
 * Go refuses.
 */
export async function callService<T>(service: string, method: string, ...args: unknown[]): Promise<T> {
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

/**
 * Subscribes to a Go runtime event with the first payload; returns a
 * function that unsubscribes (no callback runs after it). Without the
 * bridge it does nothing.
 */
export function onRuntimeEvent<T>(name: string, cb: (payload: T) => void): () => void {
  const rt = bridge().runtime
  if (!rt?.EventsOn) return () => {}
  let active = true
  const off = rt.EventsOn(name, (...data: unknown[]) => {
    if (active) cb(data[0] as T)
  })
  return () => {
    active = false
    if (typeof off === 'function') off()
  }
}
