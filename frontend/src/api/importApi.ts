// Bridge wrappers of the Go ImportService (see docs/bridge.md) and the
// browser-mode upload.
import { ApiError } from './errors'
import { callService, hasService, onRuntimeEvent } from './bridge'

export type ImportKind = 'accounts' | 'reps' | 'sales' | 'visits' | 'alignment' | 'unit-data' | 'boundaries'

export interface ImportField {
  key: string
  required: boolean
  type: 'text' | 'number' | 'date' | 'month'
}

export interface ImportMapping {
  kind: string
  columns: Record<string, string>
  extra?: string[]
  monthColumns?: string[]
  coords?: '' | 'wgs84' | 'gcj02' | 'bd09'
  headerRow?: number
  sheet?: string
}

export interface ImportPreview {
  file: string
  format: string
  sheets: string[]
  sheet: string
  encoding: string
  delimiter: string
  headerRow: number
  header: string[]
  rows: string[][]
  nums: number[]
  fields: ImportField[]
  suggested: ImportMapping
}

export interface ImportOptions {
  goodRows: boolean
  dryRun: boolean
  removeMissing: boolean
  scenario: string
  /** Boundary imports: the fields of the unit ids and names, the level ("" detects them). */
  idField: string
  nameField: string
  level: string
  /** Boundary imports: add the file's units to the plan's instead of replacing them. */
  addUnits?: boolean
}

/** A boundary layer as the wizard first shows it (ImportService.InspectBoundaries). */
export interface BoundaryPreview {
  file: string
  format: string
  layer: string
  crs: string
  encoding: string
  features: number
  skipped: number
  /** Attributes, then "@id", "@name" when the features have them, and "@number". */
  fields: string[]
  /** The fields whose values could be unit ids. */
  idFields: string[]
  idField: string
  nameField: string
  level: string
  sample: string[][]
  numbers: number[]
  notes: string[]
  planUnits: number
}

export interface BoundaryIssue {
  feature: number
  id: string
  code: string
  message: string
}

export interface BoundaryDrop {
  scenario: string
  unit: string
  territory: string
  locked: boolean
}

/** What a boundary import read and (would) change, besides the report's counts. */
export interface BoundaryDetail {
  format: string
  layer: string
  crs: string
  encoding: string
  idField: string
  nameField: string
  level: string
  units: number
  neighbours: number
  add: boolean
  repaired: number
  repairs: BoundaryIssue[] | null
  merged: number
  dropped: BoundaryDrop[] | null
  droppedTotal: number
  scenarios: { scenario: string; units: number }[] | null
  historiesCleared: string[] | null
}

/** A column mapping saved under a name (the JSON `territoria import --mapping` reads). */
export interface ImportTemplate {
  name: string
  kind: string
  mapping: ImportMapping
}

/** A file written for the user: at path (desktop) or offered at download (browser mode). */
export interface ImportFile {
  path: string
  download: string
  name: string
  bytes: number
}

export interface ImportReject {
  row: number
  column: string
  value: string
  code: string
  reason: string
}

export interface ImportReport {
  kind: string
  file: string
  sheet: string
  encoding: string
  delimiter: string
  headerRow: number
  rows: number
  accepted: number
  rejected: number
  added: number
  updated: number
  unchanged: number
  removed: number
  committed: boolean
  dryRun: boolean
  rejects: ImportReject[] | null
  rejectsTotal: number
  warnings: string[] | null
  boundary?: BoundaryDetail | null
  millis: number
}

export interface ImportProgress {
  done: number
  total: number
  rows: number
}

const call = <T>(method: string, ...args: unknown[]) => callService<T>('ImportService', method, ...args)

/** True when the Go side offers ImportService. */
export function hasImportService(): boolean {
  return hasService('ImportService')
}

export const ImportService = {
  /** "" when cancelled; rejects with ApiError.isNoDialog in browser mode. */
  ChooseImportFile: () => call<string>('ChooseImportFile'),
  ChooseReportPath: () => call<string>('ChooseReportPath'),
  Inspect: (kind: string, path: string, sheet: string, headerRow: number) => call<ImportPreview>('Inspect', kind, path, sheet, headerRow),
  Run: (kind: string, path: string, mapping: ImportMapping, opts: ImportOptions) => call<ImportReport>('Run', kind, path, mapping, opts),
  Cancel: () => call<void>('Cancel'),
  /** Returns the path written (a relative name goes to the user's data folder). */
  SaveReport: (path: string) => call<string>('SaveReport', path),
  /** Browser mode: the rejected rows as an .xlsx kept for download. */
  ReportDownload: () => call<ImportFile>('ReportDownload'),
  InspectBoundaries: (path: string) => call<BoundaryPreview>('InspectBoundaries', path),
  /** Saved templates of kind ("" for all). */
  Templates: (kind: string) => call<ImportTemplate[]>('Templates', kind),
  /** Saves mapping under name; returns the templates of its kind. */
  SaveTemplate: (name: string, mapping: ImportMapping) => call<ImportTemplate[]>('SaveTemplate', name, mapping),
  DeleteTemplate: (kind: string, name: string) => call<ImportTemplate[]>('DeleteTemplate', kind, name),
  /** "" when cancelled; rejects with ApiError.isNoDialog in browser mode. */
  ChooseTemplateFile: () => call<string>('ChooseTemplateFile'),
  ReadTemplateFile: (path: string) => call<ImportMapping>('ReadTemplateFile', path),
  /** "" when cancelled; rejects with ApiError.isNoDialog in browser mode. */
  ChooseTemplatePath: (name: string) => call<string>('ChooseTemplatePath', name),
  /** Writes the template at path, or with "" keeps it for download. */
  ExportTemplate: (kind: string, name: string, path: string) => call<ImportFile>('ExportTemplate', kind, name, path),
}

/** Subscribes to import progress; returns the unsubscribe function. */
export function onImportProgress(cb: (p: ImportProgress) => void): () => void {
  return onRuntimeEvent<ImportProgress>('import:progress', cb)
}

/** Browser mode: sends a chosen file to the server and returns the path it was stored at. */
export async function uploadFile(file: File): Promise<string> {
  const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, credentials: 'same-origin' })
  let body: { path?: string; error?: string } = {}
  try {
    body = await res.json()
  } catch {
    /* not JSON */
  }
  if (!res.ok || !body.path) throw new ApiError('upload', body.error || `upload failed (${res.status})`)
  return body.path
}
