// Hierarchy logic for the territory table: rows from PlanService.Territories()
// arrive flat with parent ids; the panel shows them as a collapsible tree.
import type { TerritoryRow } from '../api/types'

/** One visible line of the tree. */
export interface FlatRow {
  row: TerritoryRow
  /** Indentation level: 0 for top-level nodes. */
  level: number
  hasChildren: boolean
  expanded: boolean
}

/** Rows that summarise the plan rather than a node of the hierarchy (kinds "plan" and "unassigned"). */
export function isSummaryRow(r: TerritoryRow): boolean {
  return r.kind === 'plan' || r.kind === 'unassigned'
}

/** Children of every node, in input order; summary rows are left out. */
export function childrenIndex(rows: readonly TerritoryRow[]): Map<string, TerritoryRow[]> {
  const ids = new Set<string>()
  for (const r of rows) if (!isSummaryRow(r)) ids.add(r.id)
  const kids = new Map<string, TerritoryRow[]>()
  for (const r of rows) {
    if (isSummaryRow(r)) continue
    // Orphans and self-parented rows hang from the root so none disappears.
    const parent = r.parent && r.parent !== r.id && ids.has(r.parent) ? r.parent : ''
    let list = kids.get(parent)
    if (!list) kids.set(parent, (list = []))
    list.push(r)
  }
  return kids
}

/**
 * Visible rows of the tree in display order: a depth-first walk from the
 * top-level nodes that skips the children of collapsed nodes. When filter is
 * given, only matching rows and their ancestors are shown, all expanded.
 * Cycles in the parent links are cut.
 */
export function flattenTree(
  rows: readonly TerritoryRow[],
  collapsed: ReadonlySet<string>,
  filter?: (r: TerritoryRow) => boolean,
): FlatRow[] {
  const kids = childrenIndex(rows)
  let keep: Set<string> | null = null
  if (filter) {
    keep = new Set()
    const byId = new Map(rows.filter((r) => !isSummaryRow(r)).map((r) => [r.id, r]))
    for (const r of rows) {
      if (isSummaryRow(r) || !filter(r)) continue
      let cur: TerritoryRow | undefined = r
      const seen = new Set<string>()
      while (cur && !seen.has(cur.id)) {
        seen.add(cur.id)
        keep.add(cur.id)
        cur = cur.parent ? byId.get(cur.parent) : undefined
      }
    }
  }
  const out: FlatRow[] = []
  const visited = new Set<string>()
  const walk = (parent: string, level: number) => {
    for (const r of kids.get(parent) ?? []) {
      if (visited.has(r.id)) continue
      visited.add(r.id)
      if (keep && !keep.has(r.id)) continue
      const children = (kids.get(r.id) ?? []).filter((c) => !keep || keep.has(c.id))
      const hasChildren = children.length > 0
      const expanded = hasChildren && (keep !== null || !collapsed.has(r.id))
      out.push({ row: r, level, hasChildren, expanded })
      if (expanded) walk(r.id, level + 1)
      else markVisited(r.id)
    }
  }
  // Collapsed subtrees are still marked visited so a cycle cannot re-enter them.
  const markVisited = (id: string) => {
    for (const c of kids.get(id) ?? []) {
      if (visited.has(c.id)) continue
      visited.add(c.id)
      markVisited(c.id)
    }
  }
  walk('', 0)
  return out
}

/** Ids of the ancestors of id, nearest first. */
export function ancestorsOf(rows: readonly TerritoryRow[], id: string): string[] {
  const byId = new Map(rows.filter((r) => !isSummaryRow(r)).map((r) => [r.id, r]))
  const out: string[] = []
  const seen = new Set<string>([id])
  let cur = byId.get(id)
  while (cur && cur.parent && !seen.has(cur.parent)) {
    const p = byId.get(cur.parent)
    if (!p) break
    out.push(p.id)
    seen.add(p.id)
    cur = p
  }
  return out
}

/** Ids of all nodes that have children (for "collapse all"). */
export function parentIds(rows: readonly TerritoryRow[]): string[] {
  const kids = childrenIndex(rows)
  return [...kids.keys()].filter((k) => k !== '')
}
