// Builds the offline basemap: converts the world-atlas and us-atlas TopoJSON
// files into cleaned GeoJSON under public/basemap/.
//
// The atlases are made for spherical renderers, so a few rings cross the
// antimeridian (Russia, Fiji) or wind around a pole (Antarctica). A planar
// renderer such as MapLibre draws those as bands across the whole world, so
// every ring is unwrapped, closed over the pole when it encircles one, and cut
// into pieces that each lie within [-180, 180]. Degenerate rings are dropped.
//
// Usage: node scripts/basemap.mjs [outDir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import * as topojson from 'topojson-client'

const POLE_EPS = 0.01
const AREA_EPS = 1e-9

/** Signed planar area of a ring (positive when counter-clockwise). */
export function ringArea(ring) {
  let a = 0
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1])
  }
  return a / 2
}

function finite(p) {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1])
}

function samePoint(a, b) {
  return a[0] === b[0] && a[1] === b[1]
}

/** Removes consecutive duplicates and makes sure the ring is closed. */
function tidyRing(ring) {
  const out = []
  for (const p of ring) {
    if (!out.length || !samePoint(out[out.length - 1], p)) out.push([p[0], p[1]])
  }
  if (out.length && !samePoint(out[0], out[out.length - 1])) out.push([out[0][0], out[0][1]])
  return out
}

/**
 * Makes longitudes continuous: every step of more than 180° is taken the short
 * way round, so the result may leave [-180, 180].
 */
export function unwrapRing(ring) {
  const out = [[ring[0][0], ring[0][1]]]
  let shift = 0
  for (let i = 1; i < ring.length; i++) {
    const d = ring[i][0] - ring[i - 1][0]
    if (d > 180) shift -= 360
    else if (d < -180) shift += 360
    out.push([ring[i][0] + shift, ring[i][1]])
  }
  return out
}

/** Sutherland–Hodgman clip of a closed ring to lo <= x <= hi. */
function clipX(ring, lo, hi) {
  const edge = (pts, inside, cross) => {
    const out = []
    for (let i = 0; i < pts.length - 1; i++) {
      const a = pts[i]
      const b = pts[i + 1]
      const ina = inside(a)
      const inb = inside(b)
      if (ina) out.push(a)
      if (ina !== inb) out.push(cross(a, b))
    }
    if (out.length) out.push(out[0])
    return out
  }
  const at = (x) => (a, b) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])]
  let r = edge(ring, (p) => p[0] >= lo, at(lo))
  if (r.length) r = edge(r, (p) => p[0] <= hi, at(hi))
  return r
}

function isDegenerate(ring, checkArea = true) {
  if (ring.length < 4) return true
  if (checkArea && Math.abs(ringArea(ring)) < AREA_EPS) return true
  // A ring running along a pole (the atlases close polar caps with one) has no area on a flat map.
  if (ring.every((p) => Math.abs(Math.abs(p[1]) - 90) < POLE_EPS)) return true
  return false
}

/**
 * Splits one ring into rings that each lie within [-180, 180].
 * A ring that winds around a pole is closed over that pole first.
 * Degenerate rings (fewer than four points, no area, or lying on a pole) give [].
 * @param {number[][]} ring closed ring of [lon, lat]
 * @returns {number[][][]}
 */
export function fixAntimeridianRing(ring) {
  if (!Array.isArray(ring) || !ring.every(finite)) return []
  let r = tidyRing(ring)
  // Area is only meaningful once the ring is unwrapped and closed over a pole.
  if (isDegenerate(r, false)) return []
  r = unwrapRing(r)
  const first = r[0]
  const last = r[r.length - 1]
  if (last[0] !== first[0]) {
    // Winds around a pole: close it over the pole nearer its mean latitude.
    const mean = r.reduce((s, p) => s + p[1], 0) / r.length
    const pole = mean < 0 ? -90 : 90
    r = r.slice(0, -1)
    r.push([last[0], last[1]], [last[0], pole], [first[0], pole], [first[0], first[1]])
  }
  let min = Infinity
  let max = -Infinity
  for (const p of r) {
    if (p[0] < min) min = p[0]
    if (p[0] > max) max = p[0]
  }
  const out = []
  for (let k = Math.floor((min + 180) / 360); k <= Math.ceil((max - 180) / 360); k++) {
    const lo = -180 + 360 * k
    const hi = 180 + 360 * k
    if (max <= lo || min >= hi) continue
    const piece = clipX(r, lo, hi)
    if (!piece.length) continue
    const shifted = tidyRing(piece.map((p) => [p[0] - 360 * k, p[1]]))
    if (!isDegenerate(shifted)) out.push(shifted)
  }
  return out
}

function rewind(ring, ccw) {
  const a = ringArea(ring)
  return (a > 0) === ccw ? ring : ring.slice().reverse()
}

/** Which window [-180+360k, 180+360k] a fixed piece came from is lost, so holes go to the outer that contains them. */
function contains(ring, p) {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]
    const [xj, yj] = ring[j]
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/**
 * Cleans one polygon (outer ring then holes) into zero or more polygons that
 * MapLibre draws correctly: no ring crosses the antimeridian, outer rings are
 * counter-clockwise and holes clockwise (RFC 7946).
 * @param {number[][][]} polygon
 * @returns {number[][][][]}
 */
export function cleanPolygon(polygon) {
  if (!Array.isArray(polygon) || !polygon.length) return []
  const outers = fixAntimeridianRing(polygon[0]).map((r) => [rewind(r, true)])
  if (!outers.length) return []
  for (const hole of polygon.slice(1)) {
    for (const piece of fixAntimeridianRing(hole)) {
      const probe = piece[0]
      const home = outers.find((o) => contains(o[0], probe)) ?? outers[0]
      home.push(rewind(piece, false))
    }
  }
  return outers
}

/** Cleans a Polygon or MultiPolygon geometry; returns null when nothing is left. */
export function cleanGeometry(geometry) {
  if (!geometry) return null
  let polys
  if (geometry.type === 'Polygon') polys = [geometry.coordinates]
  else if (geometry.type === 'MultiPolygon') polys = geometry.coordinates
  else return geometry
  const out = polys.flatMap(cleanPolygon)
  if (!out.length) return null
  return out.length === 1 ? { type: 'Polygon', coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out }
}

/**
 * Splits a line where it crosses the antimeridian, adding the crossing point
 * on both sides, so no segment spans the map.
 * @param {number[][]} line
 * @returns {number[][][]}
 */
export function splitLineAtAntimeridian(line) {
  const parts = []
  let cur = []
  for (let i = 0; i < line.length; i++) {
    const p = line[i]
    if (!finite(p)) continue
    if (cur.length) {
      const a = cur[cur.length - 1]
      const d = p[0] - a[0]
      if (Math.abs(d) > 180) {
        const edge = d < 0 ? 180 : -180 // crossing eastwards goes through +180
        const bx = p[0] + (d < 0 ? 360 : -360)
        const t = (edge - a[0]) / (bx - a[0])
        const y = a[1] + t * (p[1] - a[1])
        cur.push([edge, y])
        if (cur.length > 1) parts.push(cur)
        cur = [[-edge, y]]
      }
    }
    cur.push([p[0], p[1]])
  }
  if (cur.length > 1) parts.push(cur)
  return parts
}

function round(x) {
  return Math.round(x * 1e5) / 1e5
}

function roundCoords(c) {
  return typeof c[0] === 'number' ? [round(c[0]), round(c[1])] : c.map(roundCoords)
}

function polygonsFC(topo, object, props = () => ({})) {
  const fc = topojson.feature(topo, topo.objects[object])
  const feats = fc.type === 'FeatureCollection' ? fc.features : [fc]
  const out = []
  for (const f of feats) {
    const g = cleanGeometry(f.geometry)
    if (!g) continue
    out.push({ type: 'Feature', properties: props(f), geometry: { type: g.type, coordinates: roundCoords(g.coordinates) } })
  }
  return { type: 'FeatureCollection', features: out }
}

function bordersFC(topo, object, kind) {
  const mesh = topojson.mesh(topo, topo.objects[object], (a, b) => a !== b)
  const lines = mesh.coordinates.flatMap(splitLineAtAntimeridian).map(roundCoords)
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { kind }, geometry: { type: 'MultiLineString', coordinates: lines } }],
  }
}

/** Writes land, country borders, US nation and US state lines into outDir. */
export function buildBasemap(outDir) {
  const require = createRequire(import.meta.url)
  const load = (p) => JSON.parse(readFileSync(require.resolve(p), 'utf8'))
  const land = load('world-atlas/land-50m.json')
  const countries = load('world-atlas/countries-50m.json')
  const states = load('us-atlas/states-10m.json')
  const nation = load('us-atlas/nation-10m.json')
  mkdirSync(outDir, { recursive: true })
  const files = {
    'land.geojson': polygonsFC(land, 'land'),
    'countries.geojson': bordersFC(countries, 'countries', 'country'),
    'nation.geojson': polygonsFC(nation, 'nation'),
    'states.geojson': bordersFC(states, 'states', 'state'),
  }
  for (const [name, fc] of Object.entries(files)) writeFileSync(join(outDir, name), JSON.stringify(fc))
  return Object.keys(files)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url))
  const outDir = resolve(process.argv[2] ?? join(here, '..', 'public', 'basemap'))
  const names = buildBasemap(outDir)
  console.log(`basemap: wrote ${names.join(', ')} to ${outDir}`)
}
