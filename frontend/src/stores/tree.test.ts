import { describe, expect, it } from 'vitest'
import type { TerritoryRow } from '../api/types'
import { ancestorsOf, flattenTree, parentIds } from './tree'

function row(id: string, kind: string, parent = ''): TerritoryRow {
  return { id, name: id.toUpperCase(), kind, parent, rep: '', color: '', depth: 0, accounts: 0, units: 0, potential: 0, revenue: 0, lifetimeValue: 0, potentialShare: 0, potentialDeviation: 0 }
}

// plan > (east > (ne > t1, t2), se > t3), west > t4 ; plus an unassigned summary row
const rows: TerritoryRow[] = [
  row('', 'plan'),
  row('east', 'region'),
  row('ne', 'district', 'east'),
  row('t1', 'territory', 'ne'),
  row('t2', 'territory', 'ne'),
  row('se', 'district', 'east'),
  row('t3', 'territory', 'se'),
  row('west', 'region'),
  row('t4', 'territory', 'west'),
  row('', 'unassigned'),
]

const ids = (f: ReturnType<typeof flattenTree>) => f.map((x) => `${'  '.repeat(x.level)}${x.row.id}`)

describe('flattenTree', () => {
  it('walks depth-first in input order, leaving out summary rows', () => {
    expect(ids(flattenTree(rows, new Set()))).toEqual(['east', '  ne', '    t1', '    t2', '  se', '    t3', 'west', '  t4'])
  })
  it('hides the children of collapsed nodes', () => {
    const f = flattenTree(rows, new Set(['ne', 'west']))
    expect(ids(f)).toEqual(['east', '  ne', '  se', '    t3', 'west'])
    expect(f.find((x) => x.row.id === 'ne')).toMatchObject({ hasChildren: true, expanded: false })
    expect(f.find((x) => x.row.id === 't3')).toMatchObject({ hasChildren: false, expanded: false })
  })
  it('a collapsed leaf id changes nothing', () => {
    expect(ids(flattenTree(rows, new Set(['t1'])))).toEqual(ids(flattenTree(rows, new Set())))
  })
  it('filter keeps matches with their ancestors, expanded even when collapsed', () => {
    const f = flattenTree(rows, new Set(['east', 'ne']), (r) => r.id === 't2')
    expect(ids(f)).toEqual(['east', '  ne', '    t2'])
    expect(f[0].expanded).toBe(true)
  })
  it('filter with no match gives nothing', () => {
    expect(flattenTree(rows, new Set(), () => false)).toEqual([])
  })
  it('orphans hang from the root', () => {
    const f = flattenTree([row('a', 'region'), row('x', 'territory', 'missing')], new Set())
    expect(ids(f)).toEqual(['a', 'x'])
  })
  it('cycles in parent links do not loop or duplicate', () => {
    const f = flattenTree([row('r', 'region'), row('a', 'district', 'b'), row('b', 'district', 'a'), row('s', 'territory', 's')], new Set())
    const seen = f.map((x) => x.row.id)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toContain('r')
    expect(seen).toContain('s')
  })
})

describe('ancestorsOf', () => {
  it('lists parents nearest first', () => expect(ancestorsOf(rows, 't1')).toEqual(['ne', 'east']))
  it('top-level node has none', () => expect(ancestorsOf(rows, 'east')).toEqual([]))
  it('unknown id has none', () => expect(ancestorsOf(rows, 'nope')).toEqual([]))
  it('stops on a cycle', () => expect(ancestorsOf([row('a', 'district', 'b'), row('b', 'district', 'a')], 'a')).toEqual(['b']))
})

describe('parentIds', () => {
  it('lists nodes with children', () => expect(parentIds(rows).sort()).toEqual(['east', 'ne', 'se', 'west']))
})
