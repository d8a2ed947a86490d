// Bridge wrappers of the Go ExportService (see docs/bridge.md) and the
// browser-mode download.
import { callService, hasService, onRuntimeEvent } from './bridge'

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

const call = <T>(method: string, ...args: unknown[]) => callService<T>('ExportService', method, ...args)

/** True when the Go side offers ExportService. */
export function hasExportService(): boolean {
  return hasService('ExportService')
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
  return onRuntimeEvent<ExportProgress>('export:progress', cb)
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
