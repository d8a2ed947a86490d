// Bridge wrappers of the Go ExportService (see docs/bridge.md) and the
// browser-mode download.
import { ApiError, BridgeMissingError, messageOf } from './errors'

export type ExportFormat = 'xlsx' | 'csv' | 'geojson' | 'kml' | 'shp' | 'share' | 'png' | 'svg' | 'pdf'

export interface ExportRequest {
  format: ExportFormat
  /** Where to write; "" in browser mode (the file is offered for download). */
  path: string
  /** Scenario id; "" = the active one. */
  scenario: string
  /** Scenario id to compare with; "" = the panel's baseline; "none". */
  baseline: string
  noAccounts: boolean
  width: number
  height: number
  dpi: number
  /** Metric name; "" = territory colours. */
  colorBy: string
  title: string
  perRegion: boolean
  allScenarios: boolean
  anonymise: boolean
  readOnly: boolean
  lang: string
}

export interface ExportResult {
  format: ExportFormat
  path: string
  files: string[] | null
  /** Browser mode: the URL to fetch the file from. */
  download: string
  name: string
  bytes: number
  millis: number
  layers?: Record<string, number> | null
  notes: string[] | null
}

export interface ExportProgress {
  format: string
  stage: string
  done: number
  total: number
}

export interface ProvenanceInfo {
  exportedBy: string
  exportedAt: string
  fromScenario: string
  readOnly: boolean
}

type Method = (...args: unknown[]) => Promise<unknown>
interface Bridge {
  go?: { app?: Record<string, Record<string, Method> | undefined> }
  runtime?: { EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void; EventsOff?: (name: string) => void }
}
const w = () => window as unknown as Bridge

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const fn = w().go?.app?.ExportService?.[method]
  if (typeof fn !== 'function') {
    if (typeof w().go?.app?.PlanService !== 'object') throw new BridgeMissingError()
    throw new ApiError(`ExportService.${method}`, `ExportService.${method} is not available`)
  }
  try {
    return (await fn(...args)) as T
  } catch (e) {
    throw new ApiError(`ExportService.${method}`, messageOf(e))
  }
}

/** True when the Go side offers ExportService. */
export function hasExportService(): boolean {
  return typeof w().go?.app?.ExportService === 'object'
}

export const ExportService = {
  /** "" when cancelled; rejects with ApiError.isNoDialog in browser mode. */
  ChoosePath: (format: ExportFormat) => call<string>('ChoosePath', format),
  Export: (req: ExportRequest) => call<ExportResult>('Export', req),
  Cancel: () => call<void>('Cancel'),
  /** Where a shared copy came from; null for a plan that was not exported. */
  Provenance: () => call<ProvenanceInfo | null>('Provenance'),
}

/** Subscribes to export progress; returns the unsubscribe function. */
export function onExportProgress(cb: (p: ExportProgress) => void): () => void {
  const rt = w().runtime
  if (!rt?.EventsOn) return () => {}
  const off = rt.EventsOn('export:progress', (...data: unknown[]) => cb(data[0] as ExportProgress))
  return () => {
    if (typeof off === 'function') off()
    else rt.EventsOff?.('export:progress')
  }
}

/** Browser mode: makes the browser save a finished export. */
export function startDownload(url: string, name: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
