import { describe, expect, it } from 'vitest'
import { DUPLICATE_MS, UndoDebounce, editKey, inTextField } from './keys'
import { DRAG_ACCOUNTS, DRAG_NODE, DRAG_UNITS, canDrop, dragType } from './dnd'

const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('editKey', () => {
  const cases: [string, ReturnType<typeof k>, unknown][] = [
    ['Ctrl+Z undoes', k('z', { ctrlKey: true }), { kind: 'undo' }],
    ['⌘Z undoes', k('z', { metaKey: true }), { kind: 'undo' }],
    ['Ctrl+Shift+Z redoes', k('Z', { ctrlKey: true, shiftKey: true }), { kind: 'redo' }],
    ['Ctrl+Y redoes', k('y', { ctrlKey: true }), { kind: 'redo' }],
    ['Ctrl+Alt+Z is not ours', k('z', { ctrlKey: true, altKey: true }), null],
    ['Ctrl+O is not ours', k('o', { ctrlKey: true }), null],
    ['B picks Paint', k('b'), { kind: 'tool', tool: 'paint' }],
    ['E picks vertices', k('E'), { kind: 'tool', tool: 'vertex' }],
    ['Shift+B is not a tool', k('B', { shiftKey: true }), null],
    ['Escape', k('Escape'), { kind: 'escape' }],
    ['Q is nothing', k('q'), null],
  ]
  for (const [name, e, want] of cases) it(name, () => expect(editKey(e)).toEqual(want))
})

describe('inTextField', () => {
  it('knows inputs, selects, text areas and editable elements', () => {
    expect(inTextField(document.createElement('input'))).toBe(true)
    expect(inTextField(document.createElement('select'))).toBe(true)
    expect(inTextField(document.createElement('textarea'))).toBe(true)
    expect(inTextField(document.createElement('div'))).toBe(false)
    expect(inTextField(null)).toBe(false)
  })
})

describe('UndoDebounce', () => {
  it('folds a key press and the menu accelerator it triggers into one undo', () => {
    const d = new UndoDebounce()
    expect(d.accept('undo', 'key', 1000)).toBe(true)
    expect(d.accept('undo', 'menu', 1000 + DUPLICATE_MS - 1)).toBe(false)
    // The next press is a real second undo.
    expect(d.accept('undo', 'key', 1200)).toBe(true)
  })
  it('lets repeated presses from one source through', () => {
    const d = new UndoDebounce()
    expect(d.accept('undo', 'key', 0)).toBe(true)
    expect(d.accept('undo', 'key', 10)).toBe(true)
    expect(d.accept('undo', 'menu', 10 + DUPLICATE_MS)).toBe(true)
  })
  it('does not fold undo with redo', () => {
    const d = new UndoDebounce()
    expect(d.accept('undo', 'menu', 0)).toBe(true)
    expect(d.accept('redo', 'key', 5)).toBe(true)
  })
})

describe('drag and drop', () => {
  const isDescendant = (id: string, of: string) => id === 'T1' && of === 'D1'
  const cases: [string, string, string, Parameters<typeof canDrop>[2], boolean][] = [
    ['a territory onto a district', DRAG_NODE, 'district', { dragged: { id: 'T1', kind: 'territory' }, targetId: 'D2' }, true],
    ['a territory onto a region', DRAG_NODE, 'region', { dragged: { id: 'T1', kind: 'territory' }, targetId: 'R1' }, true],
    ['a territory onto a territory', DRAG_NODE, 'territory', { dragged: { id: 'T1', kind: 'territory' }, targetId: 'T2' }, false],
    ['a district onto a region', DRAG_NODE, 'region', { dragged: { id: 'D1', kind: 'district' }, targetId: 'R1' }, true],
    ['a district onto a district', DRAG_NODE, 'district', { dragged: { id: 'D1', kind: 'district' }, targetId: 'D2' }, false],
    ['a district into its own subtree', DRAG_NODE, 'region', { dragged: { id: 'D1', kind: 'district' }, targetId: 'T1', isDescendant }, false],
    ['a node onto itself', DRAG_NODE, 'district', { dragged: { id: 'D1', kind: 'territory' }, targetId: 'D1' }, false],
    ['picked units onto a territory', DRAG_UNITS, 'territory', {}, true],
    ['picked units onto a district', DRAG_UNITS, 'district', {}, false],
    ['picked accounts onto a territory', DRAG_ACCOUNTS, 'territory', {}, true],
    ['something else', 'text/plain', 'territory', {}, false],
  ]
  for (const [name, type, kind, opts, want] of cases) it(name, () => expect(canDrop(type, kind, opts)).toBe(want))
  it('dragType finds our type among others', () => {
    expect(dragType(['text/plain', DRAG_UNITS])).toBe(DRAG_UNITS)
    expect(dragType(['text/plain'])).toBe('')
    expect(dragType(null)).toBe('')
  })
})
