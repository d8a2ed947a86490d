// What the export dialog offers for each format, and the request it sends.
import type { ExportFormat, ExportProgress, ExportRequest, ProvenanceInfo } from '../../api/exportApi'

/** The formats in the order the dialog lists them, grouped. */
export const FORMAT_GROUPS: { group: 'tables' | 'gis' | 'share' | 'pictures'; formats: ExportFormat[] }[] = [
  { group: 'tables', formats: ['xlsx', 'csv'] },
  { group: 'gis', formats: ['geojson', 'kml', 'shp'] },
  { group: 'share', formats: ['share'] },
  { group: 'pictures', formats: ['png', 'svg', 'pdf'] },
]

/** Which options a format uses. */
export interface FormatOptions {
  baseline: boolean
  accounts: boolean
  picture: boolean
  pixels: boolean
  perRegion: boolean
  share: boolean
}

export function optionsFor(f: ExportFormat): FormatOptions {
  return {
    baseline: f === 'xlsx' || f === 'pdf',
    accounts: f === 'geojson' || f === 'kml' || f === 'shp',
    picture: f === 'png' || f === 'svg' || f === 'pdf',
    pixels: f === 'png' || f === 'svg',
    perRegion: f === 'pdf',
    share: f === 'share',
  }
}

export interface ExportChoices {
  format: ExportFormat
  scenario: string
  baseline: string
  noAccounts: boolean
  width: number
  height: number
  dpi: number
  colorBy: string
  title: string
  perRegion: boolean
  allScenarios: boolean
  anonymise: boolean
  readOnly: boolean
}

export function defaultChoices(format: ExportFormat = 'xlsx'): ExportChoices {
  return {
    format,
    scenario: '',
    baseline: '',
    noAccounts: false,
    width: 1600,
    height: 1000,
    dpi: 144,
    colorBy: '',
    title: '',
    perRegion: false,
    allScenarios: false,
    anonymise: false,
    readOnly: true,
  }
}

/** Checks the choices; returns the i18n key of the first problem, or "". */
export function problemOf(c: ExportChoices): string {
  const o = optionsFor(c.format)
  if (o.pixels) {
    const ok = (n: number) => Number.isInteger(n) && n >= 100 && n <= 20000
    if (!ok(c.width) || !ok(c.height)) return 'export.badSize'
    if (!(c.dpi >= 30 && c.dpi <= 2400)) return 'export.badDpi'
  }
  return ''
}

/** The request for Go: options the format does not use are left at their defaults. */
export function requestOf(c: ExportChoices, path: string, lang: string): ExportRequest {
  const o = optionsFor(c.format)
  return {
    format: c.format,
    path,
    scenario: c.scenario,
    baseline: o.baseline ? c.baseline : '',
    noAccounts: o.accounts ? c.noAccounts : false,
    width: o.pixels ? c.width : 0,
    height: o.pixels ? c.height : 0,
    dpi: o.pixels ? c.dpi : 0,
    colorBy: o.picture ? c.colorBy : '',
    title: o.picture ? c.title.trim() : '',
    perRegion: o.perRegion ? c.perRegion : false,
    allScenarios: o.share ? c.allScenarios : false,
    anonymise: o.share ? c.anonymise : false,
    readOnly: o.share ? c.readOnly : false,
    lang,
  }
}

/** 0–100 for a bar, or null when the total is unknown. */
export function percentOf(p: ExportProgress | null): number | null {
  if (!p || p.total <= 1) return null
  return Math.max(0, Math.min(100, (100 * p.done) / p.total))
}

/** A file size for people. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} kB`
  return `${bytes} B`
}

/** The message shown when a shared copy opens, as i18n key and values; null for an ordinary plan. */
export function provenanceMessage(p: ProvenanceInfo | null, scenarioName: (id: string) => string, date: (iso: string) => string):
  | { key: string; values: Record<string, string> }
  | null {
  if (!p) return null
  const values = { who: p.exportedBy || '?', when: p.exportedAt ? date(p.exportedAt) : '?', scenario: scenarioName(p.fromScenario) || p.fromScenario || '?' }
  return { key: p.readOnly ? 'export.provenanceReadOnly' : 'export.provenance', values }
}
