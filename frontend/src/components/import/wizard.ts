// Pure helpers of the import wizard, unit-tested without a DOM.
import type { ImportField, ImportPreview, ImportReject, ImportReport } from '../../api/importApi'

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
