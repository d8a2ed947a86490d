// HTML5 drag-and-drop in the side panel: what is dragged (a node, the picked
// units, the picked accounts) and where it may be dropped.

/** DataTransfer type of a dragged node of the hierarchy (value: its id). */
export const DRAG_NODE = 'application/x-territoria-node'
/** DataTransfer type of the picked units chip. */
export const DRAG_UNITS = 'application/x-territoria-units'
/** DataTransfer type of the picked accounts chip. */
export const DRAG_ACCOUNTS = 'application/x-territoria-accounts'

/** Levels a node of each kind may be moved under. */
const PARENT_KINDS: Record<string, readonly string[]> = {
  territory: ['district', 'region'],
  district: ['region'],
  region: [],
}

/**
 * Whether a dragged payload may drop on a row of kind targetKind: a node
 * onto a possible parent (not itself or one of its descendants), picked
 * units or accounts onto a territory.
 */
export function canDrop(
  type: string,
  targetKind: string,
  opts: { dragged?: { id: string; kind: string }; targetId?: string; isDescendant?: (id: string, of: string) => boolean } = {},
): boolean {
  if (type === DRAG_UNITS || type === DRAG_ACCOUNTS) return targetKind === 'territory'
  if (type !== DRAG_NODE || !opts.dragged) return false
  if (!(PARENT_KINDS[opts.dragged.kind] ?? []).includes(targetKind)) return false
  if (opts.targetId === opts.dragged.id) return false
  if (opts.targetId && opts.isDescendant?.(opts.targetId, opts.dragged.id)) return false
  return true
}

/** The first of our types a DataTransfer carries ("" for none); types are all a dragover can read. */
export function dragType(types: readonly string[] | DOMStringList | null | undefined): string {
  const list = types ? Array.from(types as ArrayLike<string>) : []
  for (const t of [DRAG_NODE, DRAG_UNITS, DRAG_ACCOUNTS]) if (list.includes(t)) return t
  return ''
}
