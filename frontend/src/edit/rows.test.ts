import { describe, expect, it } from 'vitest'
import type { Alignment, HistoryEntry, TerritoryRow } from '../api/types'
import { applyUnitChanges, mergeRows, repsOf, undoStateFromHistory } from './rows'

function row(id: string, kind: string, accounts = 0): TerritoryRow {
  return { id, name: id, kind, parent: '', rep: '', color: '', depth: 0, accounts, units: 0, potential: 0, revenue: 0, lifetimeValue: 0, potentialShare: 0, potentialDeviation: 0 }
}
const keys = (rows: TerritoryRow[]) => rows.map((r) => `${r.kind}:${r.id}:${r.accounts}`)

describe('mergeRows', () => {
  const rows = [row('R', 'region', 10), row('T1', 'territory', 4), row('T2', 'territory', 6), row('', 'plan', 12)]
  const cases: { name: string; changed: TerritoryRow[] | null; want: string[] }[] = [
    { name: 'nothing changed', changed: null, want: keys(rows) },
    {
      name: 'changed rows replace theirs in place (a drag step)',
      changed: [row('T2', 'territory', 5), row('R', 'region', 9), row('', 'plan', 11)],
      want: ['region:R:9', 'territory:T1:4', 'territory:T2:5', 'plan::11'],
    },
    {
      name: 'an unassigned row appears before the plan row',
      changed: [row('', 'unassigned', 1)],
      want: ['region:R:10', 'territory:T1:4', 'territory:T2:6', 'unassigned::1', 'plan::12'],
    },
    {
      name: 'a new node goes before the summary rows',
      changed: [row('T3', 'territory', 2)],
      want: ['region:R:10', 'territory:T1:4', 'territory:T2:6', 'territory:T3:2', 'plan::12'],
    },
  ]
  for (const c of cases) it(c.name, () => expect(keys(mergeRows(rows, c.changed))).toEqual(c.want))
  it('does not modify its input', () => {
    const copy = keys(rows)
    mergeRows(rows, [row('T1', 'territory', 99)])
    expect(keys(rows)).toEqual(copy)
  })
})

describe('applyUnitChanges', () => {
  const al: Alignment = { scenarioId: 's', version: 3, territories: [], unitTerritory: [0, 0, 1, -1], borders: null }
  it('recolours the units and keeps the rest', () => {
    const out = applyUnitChanges(al, [
      { unit: 1, territory: 1 },
      { unit: 3, territory: 0 },
      { unit: 9, territory: 0 },
    ], 4)
    expect(out.unitTerritory).toEqual([0, 1, 1, 0])
    expect(out.version).toBe(4)
    expect(al.unitTerritory).toEqual([0, 0, 1, -1])
    expect(out).not.toBe(al)
  })
  it('keeps the version when none is given', () => expect(applyUnitChanges(al, null).version).toBe(3))
})

describe('undoStateFromHistory', () => {
  const e = (seq: number, kind: string, undone = false): HistoryEntry => ({ seq, kind, summary: '', at: '', undone })
  it('of no history', () => expect(undoStateFromHistory([])).toEqual({ canUndo: false, canRedo: false, undoKind: '', redoKind: '', undoCount: 0, redoCount: 0 }))
  it('undoes the newest applied edit and redoes the oldest undone one', () => {
    expect(undoStateFromHistory([e(1, 'paint'), e(2, 'merge'), e(3, 'reshape', true), e(4, 'split', true)])).toEqual({
      canUndo: true,
      canRedo: true,
      undoKind: 'merge',
      redoKind: 'reshape',
      undoCount: 2,
      redoCount: 2,
    })
  })
})

describe('repsOf', () => {
  it('lists each rep once, by name', () => {
    expect(
      repsOf([
        { repId: 'R2', rep: 'Zoe' },
        { repId: '', rep: '' },
        { repId: 'R1', rep: 'Ann' },
        { repId: 'R2', rep: 'Zoe' },
        { repId: 'R3', rep: '' },
      ]),
    ).toEqual([
      { id: 'R1', name: 'Ann' },
      { id: 'R3', name: 'R3' },
      { id: 'R2', name: 'Zoe' },
    ])
  })
})
