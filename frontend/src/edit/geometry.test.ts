import { describe, expect, it } from 'vitest'
import type { DrawnArc, GeoJSONFeatureCollection, AreaProperties } from '../api/types'
import {
  areaCrossedBy,
  boxRing,
  closeRing,
  mergeAreas,
  moveVertex,
  nearestArcSegment,
  nearestOnSegment,
  nearestVertex,
  pointInGeometry,
  pointInRing,
  vertexFeatures,
  type Pt,
} from './geometry'

const id = (p: Pt): Pt => p

describe('rings', () => {
  it('boxRing is closed and ordered whatever the corners', () => {
    expect(boxRing([2, 3], [0, 1])).toEqual([
      [0, 1],
      [2, 1],
      [2, 3],
      [0, 3],
      [0, 1],
    ])
  })
  it('closeRing closes open rings, keeps closed ones, drops degenerate ones', () => {
    expect(closeRing([[0, 0], [1, 0], [1, 1]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]])
    expect(closeRing([[0, 0], [1, 0], [1, 1], [0, 0]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]])
    expect(closeRing([[0, 0], [1, 0], [0, 0]])).toEqual([])
    expect(closeRing([[0, 0], [NaN, 0], [1, 1], [2, 2]])).toEqual([[0, 0], [1, 1], [2, 2], [0, 0]])
    // A lasso that never moved: the same point over and over.
    expect(closeRing([[3, 4], [3, 4], [3, 4], [3, 4]])).toEqual([])
    expect(closeRing([[0, 0], [0, 0], [1, 0], [1, 0], [1, 1], [0, 0], [0, 0]])).toEqual([[0, 0], [1, 0], [1, 1], [0, 0]])
  })
  it('pointInRing and pointInGeometry respect holes', () => {
    const outer: Pt[] = boxRing([0, 0], [10, 10])
    const hole: Pt[] = boxRing([4, 4], [6, 6])
    expect(pointInRing([5, 5], outer)).toBe(true)
    expect(pointInRing([11, 5], outer)).toBe(false)
    const poly = { type: 'Polygon', coordinates: [outer, hole] }
    expect(pointInGeometry([2, 2], poly)).toBe(true)
    expect(pointInGeometry([5, 5], poly)).toBe(false)
    expect(pointInGeometry([5, 5], { type: 'MultiPolygon', coordinates: [[hole]] })).toBe(true)
    expect(pointInGeometry([5, 5], null)).toBe(false)
  })
})

describe('hit tests', () => {
  const arcs: DrawnArc[] = [
    { id: 7, coords: [[0, 0], [10, 0], [10, 10]], territories: ['A', 'B'], locked: false },
    { id: 8, coords: [[10, 10], [0, 10], [0, 0]], territories: ['A'], locked: false },
    { id: 9, coords: [[20, 0], [30, 0]], territories: ['C'], locked: true },
  ]
  it('nearestOnSegment clamps to the ends', () => {
    expect(nearestOnSegment([5, 3], [0, 0], [10, 0])).toEqual({ t: 0.5, dist: 3, point: [5, 0] })
    expect(nearestOnSegment([-4, 3], [0, 0], [10, 0]).dist).toBe(5)
  })
  it('nearestArcSegment finds the segment and where a vertex would go', () => {
    expect(nearestArcSegment([10.5, 4], arcs, id, 2)).toMatchObject({ arc: 7, after: 1, point: [10, 4] })
    expect(nearestArcSegment([5, 5], arcs, id, 2)).toBeNull()
  })
  it('skips locked arcs unless asked', () => {
    expect(nearestArcSegment([25, 0.5], arcs, id, 2)).toBeNull()
    expect(nearestArcSegment([25, 0.5], arcs, id, 2, true)).toMatchObject({ arc: 9, after: 0 })
  })
  it('nearestVertex prefers the closest, then an inner vertex over a shared end', () => {
    expect(nearestVertex([9.5, 0.5], arcs, id, 2)).toMatchObject({ arc: 7, index: 1, end: false })
    expect(nearestVertex([10, 10], arcs, id, 2)).toMatchObject({ end: true })
    expect(nearestVertex([20, 0], arcs, id, 1)).toMatchObject({ arc: 9, locked: true })
    expect(nearestVertex([50, 50], arcs, id, 2)).toBeNull()
  })
  it('vertexFeatures lists shared ends once', () => {
    const f = vertexFeatures(arcs).features.map((x) => (x.geometry!.coordinates as number[]).join(','))
    expect(f.sort()).toEqual(['0,0', '0,10', '10,0', '10,10', '20,0', '30,0'].sort())
  })
})

describe('moveVertex', () => {
  const arcs: DrawnArc[] = [
    { id: 1, coords: [[0, 0], [5, 1], [10, 0]], territories: ['A', 'B'], locked: false },
    { id: 2, coords: [[10, 0], [10, 10]], territories: ['A'], locked: false },
    { id: 3, coords: [[10, 0], [20, 0]], territories: ['B'], locked: false },
  ]
  it('moves an inner vertex of its arc only', () => {
    const out = moveVertex(arcs, { arc: 1, index: 1 }, [5, 3])
    expect(out[0].coords[1]).toEqual([5, 3])
    expect(out[1]).toBe(arcs[1])
    expect(arcs[0].coords[1]).toEqual([5, 1])
  })
  it('moves a shared end in every arc meeting there', () => {
    const out = moveVertex(arcs, { arc: 1, index: 2 }, [11, 1])
    expect(out.map((a) => a.coords.filter((c) => c[0] === 11 && c[1] === 1).length)).toEqual([1, 1, 1])
  })
})

describe('areaCrossedBy', () => {
  const areas: GeoJSONFeatureCollection<AreaProperties> = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'A', color: '#000' }, geometry: { type: 'Polygon', coordinates: [boxRing([0, 0], [10, 10])] } },
      { type: 'Feature', properties: { id: 'B', color: '#000' }, geometry: { type: 'Polygon', coordinates: [boxRing([10, 0], [12, 10])] } },
    ],
  }
  it('is the area holding most of the line', () => {
    expect(areaCrossedBy([[-1, 5], [11, 5]], areas, null)).toBe('A')
    expect(areaCrossedBy([[11, -1], [11, 11]], areas, null)).toBe('B')
  })
  it('is the preferred territory when it has an area', () => {
    expect(areaCrossedBy([[-1, 5], [11, 5]], areas, 'B')).toBe('B')
    expect(areaCrossedBy([[-1, 5], [11, 5]], areas, 'Z')).toBe('A')
  })
  it('is null off every area', () => {
    expect(areaCrossedBy([[20, 20], [30, 30]], areas, null)).toBeNull()
    expect(areaCrossedBy([[1, 1]], areas, null)).toBeNull()
  })
})

describe('mergeAreas', () => {
  const f = (id: string, color: string) => ({ type: 'Feature' as const, properties: { id, color }, geometry: null })
  it('replaces touched features and adds new ones', () => {
    const out = mergeAreas({ type: 'FeatureCollection', features: [f('A', '1'), f('B', '1')] }, { type: 'FeatureCollection', features: [f('B', '2'), f('C', '2')] })
    expect(out.features.map((x) => `${x.properties.id}${x.properties.color}`)).toEqual(['A1', 'B2', 'C2'])
  })
  it('copes with nothing', () => expect(mergeAreas(null, null).features).toEqual([]))
})
