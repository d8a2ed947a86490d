// Keyboard shortcuts of the editing tools: tool letters, Undo (Ctrl+Z),
// Redo (Ctrl+Shift+Z, Ctrl+Y), Escape to drop picks and tools; and the
// native Edit menu's undo/redo, which must not undo twice when the window
// also passes the key press to the page.
import { TOOLS, TOOL_KEYS, useEditStore } from '../stores/edit'

/** What a key press means for editing (pure, for tests). */
export type EditKey = { kind: 'undo' } | { kind: 'redo' } | { kind: 'tool'; tool: (typeof TOOLS)[number] } | { kind: 'escape' } | null

/** Whether the key press is aimed at a text field (its own undo and letters win). */
export function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || !!el.isContentEditable
}

/** Reads a key press: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z and Ctrl/⌘+Y redo, tool letters without modifiers, Escape. */
export function editKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): EditKey {
  const mod = e.ctrlKey || e.metaKey
  const k = e.key.toLowerCase()
  if (mod && !e.altKey) {
    if (k === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' }
    if (k === 'y' && !e.shiftKey) return { kind: 'redo' }
    return null
  }
  if (e.key === 'Escape') return { kind: 'escape' }
  if (e.altKey || e.shiftKey) return null
  const tool = TOOLS.find((t) => TOOL_KEYS[t] === k)
  return tool ? { kind: 'tool', tool } : null
}

/** Time within which a menu undo/redo after a key undo/redo (or the reverse) is the same request. */
export const DUPLICATE_MS = 400

/**
 * Folds a keyboard undo/redo and the native menu's accelerator for the same
 * key press into one: a second request of the same kind within DUPLICATE_MS
 * from the other source is dropped.
 */
export class UndoDebounce {
  private last: { kind: 'undo' | 'redo'; source: 'key' | 'menu'; at: number } | null = null

  /** True when the request should run. */
  accept(kind: 'undo' | 'redo', source: 'key' | 'menu', now: number): boolean {
    const l = this.last
    if (l && l.kind === kind && l.source !== source && now - l.at < DUPLICATE_MS) {
      this.last = null
      return false
    }
    this.last = { kind, source, at: now }
    return true
  }
}

const debounce = new UndoDebounce()

/**
 * Handles an editing key press; returns true when it did something (the
 * caller then prevents the default). Text fields keep their own keys.
 */
export function handleEditKey(e: KeyboardEvent): boolean {
  const edit = useEditStore()
  if (inTextField(e.target)) return false
  const k = editKey(e)
  if (!k) return false
  switch (k.kind) {
    case 'undo':
    case 'redo':
      if (!edit.available) return false
      if (debounce.accept(k.kind, 'key', Date.now())) void (k.kind === 'undo' ? edit.undoEdit() : edit.redoEdit())
      return true
    case 'tool':
      if (!edit.canEdit && k.tool !== 'select') return false
      edit.setTool(k.tool)
      return true
    case 'escape':
      if (edit.drag) return true
      if (edit.pickedUnits.length || edit.pickedAccounts.length) {
        edit.clearPicks()
        return true
      }
      if (edit.tool !== 'select') {
        edit.setTool('select')
        return true
      }
      return false
  }
}

/** Runs the native Edit menu's undo or redo (menu:action "undo"/"redo"). */
export function menuUndoRedo(kind: 'undo' | 'redo'): void {
  // In a text field the menu's accelerator means the field's own undo.
  if (inTextField(document.activeElement)) {
    document.execCommand(kind)
    return
  }
  if (!debounce.accept(kind, 'menu', Date.now())) return
  const edit = useEditStore()
  void (kind === 'undo' ? edit.undoEdit() : edit.redoEdit())
}
