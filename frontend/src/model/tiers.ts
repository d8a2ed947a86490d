// The customer mix of a node from its figures: counts per class ("tier.A",
// "tier.B", …) and per flag ("golden", "sleeping", "whiteSpace") in the
// rows' values.
import type { TerritoryRow } from '../api/types'

/** The flags counted per node, in display order. */
export const FLAGS = ['golden', 'sleeping', 'whiteSpace'] as const

/** Classes (in Go's order, or sorted) and flags of a row, with the number of accounts in its classes. */
export function tierMix(row: Pick<TerritoryRow, 'values'>): { classes: { name: string; count: number }[]; flags: { name: string; count: number }[]; total: number } {
  const v = row.values ?? {}
  const classes = Object.keys(v)
    .filter((k) => k.startsWith('tier.'))
    .map((k) => ({ name: k.slice(5), count: v[k] }))
    .filter((c) => Number.isFinite(c.count))
  const flags = FLAGS.filter((f) => Number.isFinite(v[f])).map((f) => ({ name: f, count: v[f] }))
  return { classes, flags, total: classes.reduce((s, c) => s + c.count, 0) }
}

/**
 * Columns of the panel's "Tiers" set: up to three classes from the figures
 * Go reports, then white space (or golden when there are fewer classes).
 */
export function tierColumns(metricNames: readonly string[]): string[] {
  const cls = metricNames.filter((m) => m.startsWith('tier.'))
  const out = cls.slice(0, 3)
  for (const f of ['whiteSpace', 'golden', 'sleeping']) if (out.length < 4 && metricNames.includes(f)) out.push(f)
  return out.length ? out : ['tier.A', 'tier.B', 'tier.C', 'whiteSpace']
}
