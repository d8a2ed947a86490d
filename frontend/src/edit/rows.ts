// Keeping the panel rows and the alignment current from what edits return,
// without re-reading everything: merging changed rows, recolouring units,
// and the undo state implied by the history.
import type { Alignment, HistoryEntry, TerritoryRow, UndoState, UnitChange } from '../api/types'
import { rowKey } from './figures'

/**
 * rows with every row of changed put in place of the row with the same key
 * (node id; kind for the plan and unassigned rows). A changed row not in rows
 * is added: an unassigned row goes before the plan row, others at the end of
 * the nodes. The input is not modified.
 */
export function mergeRows(rows: readonly TerritoryRow[], changed: readonly TerritoryRow[] | null | undefined): TerritoryRow[] {
  if (!changed?.length) return [...rows]
  const byKey = new Map(changed.map((r) => [rowKey(r), r]))
  const out = rows.map((r) => {
    const c = byKey.get(rowKey(r))
    if (!c) return r
    byKey.delete(rowKey(r))
    return c
  })
  for (const r of byKey.values()) {
    let at = out.length
    const firstSummary = out.findIndex((x) => x.kind === 'unassigned' || x.kind === 'plan')
    if (r.kind === 'unassigned') {
      const plan = out.findIndex((x) => x.kind === 'plan')
      at = plan >= 0 ? plan : out.length
    } else if (r.kind !== 'plan' && firstSummary >= 0) at = firstSummary
    out.splice(at, 0, r)
  }
  return out
}

/**
 * An alignment with the unit changes applied (a new object; borders and the
 * rest are kept until the alignment is re-read). Out-of-range units are
 * ignored.
 */
export function applyUnitChanges(al: Alignment, changes: readonly UnitChange[] | null | undefined, version?: number): Alignment {
  const ut = [...(al.unitTerritory ?? [])]
  for (const c of changes ?? []) if (c.unit >= 0 && c.unit < ut.length) ut[c.unit] = c.territory
  return { ...al, unitTerritory: ut, version: version ?? al.version }
}

/** What Undo and Redo would do, as implied by the history (oldest first). */
export function undoStateFromHistory(h: readonly HistoryEntry[]): UndoState {
  const done = h.filter((e) => !e.undone)
  const undone = h.filter((e) => e.undone)
  return {
    canUndo: done.length > 0,
    canRedo: undone.length > 0,
    undoKind: done.length ? done[done.length - 1].kind : '',
    // The next redo is the oldest undone edit.
    redoKind: undone.length ? undone[0].kind : '',
    undoCount: done.length,
    redoCount: undone.length,
  }
}

/** An empty undo state (no plan, or no history yet). */
export const NO_UNDO: UndoState = { canUndo: false, canRedo: false, undoKind: '', redoKind: '', undoCount: 0, redoCount: 0 }

/** Reps known from the alignment: unique (repId, rep name) pairs, sorted by name. */
export function repsOf(territories: readonly { repId: string; rep: string }[] | null | undefined): { id: string; name: string }[] {
  const m = new Map<string, string>()
  for (const t of territories ?? []) if (t.repId && !m.has(t.repId)) m.set(t.repId, t.rep || t.repId)
  return [...m].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))
}
