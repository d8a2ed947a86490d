// Translated labels of edit kinds ("paint", "move-accounts", ...) as Go
// reports them in EditResult.kind, UndoState and HistoryEntry.

type T = (key: string, args?: Record<string, unknown>) => string
type Te = (key: string) => boolean

/** Message key of an edit kind: "move-accounts" → "edit.kind.move-accounts". */
export function kindKey(kind: string): string {
  return `edit.kind.${kind}`
}

/** The translated label of an edit kind; an unknown kind is shown as "edit" (its raw name is Go's, not a sentence). */
export function kindLabel(kind: string, t: T, te: Te): string {
  if (kind && te(kindKey(kind))) return t(kindKey(kind))
  return t('edit.kind.other')
}
