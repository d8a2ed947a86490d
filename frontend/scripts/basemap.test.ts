import { describe, expect, it } from 'vitest'
import { cleanGeometry, fixAntimeridianRing, ringArea, splitLineAtAntimeridian } from './basemap.mjs'

type Ring = number[][]

const inRange = (r: Ring) => r.every(([x, y]) => x >= -180 && x <= 180 && y >= -90 && y <= 90)
const noJump = (r: Ring) => r.every((p, i) => i === 0 || Math.abs(p[0] - r[i - 1][0]) <= 180)
const closed = (r: Ring) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]
const area = (rs: Ring[]) => rs.reduce((s, r) => s + Math.abs(ringArea(r)), 0)

describe('fixAntimeridianRing', () => {
  it('leaves an ordinary ring whole', () => {
    const r = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    const out: Ring[] = fixAntimeridianRing(r)
    expect(out).toHaveLength(1)
    expect(Math.abs(ringArea(out[0]))).toBeCloseTo(100)
  })
  it('splits a ring crossing the antimeridian into two in-range rings of the same total area', () => {
    // A 4°×2° box from 178°E to 178°W, written the way spherical atlases do.
    const r = [[178, -17], [-178, -17], [-178, -15], [178, -15], [178, -17]]
    const out: Ring[] = fixAntimeridianRing(r)
    expect(out).toHaveLength(2)
    for (const piece of out) {
      expect(inRange(piece)).toBe(true)
      expect(noJump(piece)).toBe(true)
      expect(closed(piece)).toBe(true)
    }
    expect(area(out)).toBeCloseTo(8)
    const xs = out.flat().map((p) => p[0])
    expect(xs).toContain(180)
    expect(xs).toContain(-180)
  })
  it('closes a ring around the south pole over the pole', () => {
    // A coastline at 70°S all round the globe, in 8 steps.
    const r: Ring = []
    for (let lon = -180; lon < 180; lon += 45) r.push([lon, -70])
    r.push([-180, -70])
    const out: Ring[] = fixAntimeridianRing(r)
    expect(out.length).toBeGreaterThan(0)
    for (const piece of out) {
      expect(inRange(piece)).toBe(true)
      expect(closed(piece)).toBe(true)
    }
    expect(Math.min(...out.flat().map((p) => p[1]))).toBe(-90)
    expect(area(out)).toBeCloseTo(360 * 20)
  })
  it('closes a northern polar ring over the north pole', () => {
    const r: Ring = []
    for (let lon = 180; lon > -180; lon -= 60) r.push([lon, 80])
    r.push([180, 80])
    const out: Ring[] = fixAntimeridianRing(r)
    expect(Math.max(...out.flat().map((p) => p[1]))).toBe(90)
    expect(area(out)).toBeCloseTo(360 * 10)
  })
  const broken: [string, unknown][] = [
    ['too few points', [[0, 0], [1, 1], [0, 0]]],
    ['no area', [[0, 0], [1, 1], [2, 2], [0, 0]]],
    ['non-finite coordinate', [[0, 0], [1, NaN], [1, 1], [0, 0]]],
    ['a ring lying on the pole', [[-180, -89.999], [0, -89.999], [179, -89.999], [-180, -89.999]]],
    ['not an array', null],
  ]
  for (const [name, r] of broken) it(`drops ${name}`, () => expect(fixAntimeridianRing(r as Ring)).toEqual([]))
  it('closes an unclosed ring', () => {
    const out: Ring[] = fixAntimeridianRing([[0, 0], [10, 0], [10, 10], [0, 10]])
    expect(out).toHaveLength(1)
    expect(closed(out[0])).toBe(true)
  })
})

describe('cleanGeometry', () => {
  it('gives RFC 7946 winding: outer counter-clockwise, holes clockwise', () => {
    const outerCW = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]
    const holeCCW = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]
    const g = cleanGeometry({ type: 'Polygon', coordinates: [outerCW, holeCCW] })
    expect(g.type).toBe('Polygon')
    expect(ringArea(g.coordinates[0])).toBeGreaterThan(0)
    expect(ringArea(g.coordinates[1])).toBeLessThan(0)
  })
  it('turns a crossing polygon into a MultiPolygon', () => {
    const g = cleanGeometry({ type: 'Polygon', coordinates: [[[170, 0], [-170, 0], [-170, 5], [170, 5], [170, 0]]] })
    expect(g.type).toBe('MultiPolygon')
    expect(g.coordinates).toHaveLength(2)
  })
  it('returns null when every ring is broken', () => {
    expect(cleanGeometry({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] })).toBeNull()
  })
})

describe('splitLineAtAntimeridian', () => {
  it('splits at the crossing with the crossing point on both sides', () => {
    const parts = splitLineAtAntimeridian([[170, 0], [-170, 10]])
    expect(parts).toEqual([
      [[170, 0], [180, 5]],
      [[-180, 5], [-170, 10]],
    ])
  })
  it('keeps a line that does not cross', () => {
    expect(splitLineAtAntimeridian([[0, 0], [10, 10], [20, 0]])).toEqual([[[0, 0], [10, 10], [20, 0]]])
  })
})

describe('buildBasemap on the bundled atlases', () => {
  it('writes land with no ring spanning the map (edges along a pole excepted)', async () => {
    const { buildBasemap } = await import('./basemap.mjs')
    const { mkdtempSync, readFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'basemap-'))
    buildBasemap(dir)
    const land = JSON.parse(readFileSync(join(dir, 'land.geojson'), 'utf8'))
    let rings = 0
    const bad: number[][][] = []
    for (const f of land.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      for (const p of polys)
        for (const r of p as Ring[]) {
          rings++
          if (!inRange(r) || !closed(r)) bad.push(r)
          for (let i = 1; i < r.length; i++) {
            const polar = Math.abs(r[i][1]) === 90 && r[i][1] === r[i - 1][1]
            if (!polar && Math.abs(r[i][0] - r[i - 1][0]) > 180) bad.push([r[i - 1], r[i]])
          }
        }
    }
    expect(rings).toBeGreaterThan(1000)
    expect(bad).toEqual([])
    const borders = JSON.parse(readFileSync(join(dir, 'countries.geojson'), 'utf8'))
    for (const line of borders.features[0].geometry.coordinates as Ring[]) expect(noJump(line)).toBe(true)
  })
})
