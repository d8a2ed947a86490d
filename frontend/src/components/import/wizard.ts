// Pure helpers of the import wizard, unit-tested without a DOM.
import type { BoundaryPreview, ImportField, ImportMapping, ImportOptions, ImportPreview, ImportReject, ImportReport } from '../../api/importApi'

/** The fields a kind offers, in the order Go lists them (none before a preview). */
export function kindFields(p: ImportPreview | null): ImportField[] {
  return p?.fields ?? []
}

/** Kinds whose rows may carry longitude and latitude. */
export function needsLocation(kind: string): boolean {
  return kind === 'accounts' || kind === 'reps'
}

/** The first n rejected values of a report, and how many more there are. */
export function rejectRows(r: ImportReport | null, n: number): { rows: ImportReject[]; more: number } {
  const all = r?.rejects ?? []
  const total = Math.max(r?.rejectsTotal ?? 0, all.length)
  const rows = all.slice(0, n)
  return { rows, more: total - rows.length }
}

/** What a template gives a table: a column per field, the extra and month columns, and what the table lacks. */
export interface AppliedTemplate {
  columns: Record<string, string>
  extra: string[]
  monthColumns: string[]
  coords: 'wgs84' | 'gcj02' | 'bd09'
  /** Columns the template names that the table does not have (their fields stay unmapped). */
  missing: string[]
}

/**
 * Applies a saved mapping to a table: every field of the kind gets the
 * template's column when the header has it, "" otherwise.
 */
export function applyTemplate(m: ImportMapping, header: string[], fields: ImportField[]): AppliedTemplate {
  const has = new Set(header)
  const missing: string[] = []
  const note = (h: string) => {
    if (!has.has(h) && !missing.includes(h)) missing.push(h)
  }
  const columns: Record<string, string> = {}
  for (const f of fields) {
    const col = m.columns?.[f.key] ?? ''
    if (col) note(col)
    columns[f.key] = col && has.has(col) ? col : ''
  }
  const keep = (list: string[] | undefined) => (list ?? []).filter((h) => (note(h), has.has(h)))
  const coords = m.coords === 'gcj02' || m.coords === 'bd09' ? m.coords : 'wgs84'
  return { columns, extra: keep(m.extra), monthColumns: keep(m.monthColumns), coords, missing }
}

/** The sheet and header row a template asks for when they differ from what the preview shows; null when they do not. */
export function templateTable(m: ImportMapping, p: ImportPreview): { sheet: string; headerRow: number } | null {
  const sheet = m.sheet && m.sheet !== p.sheet && p.sheets.includes(m.sheet) ? m.sheet : p.sheet
  const headerRow = m.headerRow && m.headerRow > 0 && m.headerRow !== p.headerRow ? m.headerRow : 0
  if (sheet === p.sheet && headerRow === 0) return null
  return { sheet, headerRow }
}

/** A template name proposed for a mapping file: its name without folder and extension. */
export function templateNameFromFile(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  return base.replace(/\.json$/i, '').trim()
}

/** The message key of a boundary pseudo-field ("@id", "@name", "@number"); null for an attribute. */
export function pseudoFieldKey(field: string): string | null {
  switch (field) {
    case '@id':
      return 'featureId'
    case '@name':
      return 'featureName'
    case '@number':
      return 'featureNumber'
  }
  return null
}

/** What the planner chose for a boundary layer. */
export interface BoundaryChoice {
  idField: string
  nameField: string
  level: string
  add: boolean
}

/** The options of a boundary run, dry or for real. */
export function boundaryOptions(c: BoundaryChoice, dryRun: boolean): ImportOptions {
  return {
    goodRows: false,
    dryRun,
    removeMissing: false,
    scenario: '',
    idField: c.idField,
    nameField: c.nameField,
    level: c.level.trim(),
    addUnits: c.add,
  }
}

/** Boundary fields ordered for the id picker: those whose values could be ids first, in file order. */
export function idFieldChoices(p: BoundaryPreview): { field: string; suits: boolean }[] {
  const suits = new Set(p.idFields)
  const first = p.fields.filter((f) => suits.has(f)).map((field) => ({ field, suits: true }))
  return first.concat(p.fields.filter((f) => !suits.has(f)).map((field) => ({ field, suits: false })))
}
