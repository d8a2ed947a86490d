// Geometry for the editing tools, in plain [lon, lat] or screen [x, y]
// pairs: rings from boxes, hit tests against drawn arcs, and which drawn
// area a split line crosses.
import type { AreaProperties, DrawnArc, GeoJSONFeatureCollection } from '../api/types'

export type Pt = [number, number]

/** The closed ring of the box spanned by two corners, counter-clockwise. */
export function boxRing(a: Pt, b: Pt): Pt[] {
  const [x0, x1] = a[0] < b[0] ? [a[0], b[0]] : [b[0], a[0]]
  const [y0, y1] = a[1] < b[1] ? [a[1], b[1]] : [b[1], a[1]]
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ]
}

/**
 * ring with repeated consecutive points dropped and its first point repeated
 * at the end; fewer than 3 distinct points give [] (nothing to select or
 * draw).
 */
export function closeRing(ring: readonly Pt[]): Pt[] {
  const pts: Pt[] = []
  for (const p of ring) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue
    const last = pts[pts.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push([p[0], p[1]])
  }
  while (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop()
  if (new Set(pts.map((p) => `${p[0]},${p[1]}`)).size < 3) return []
  return [...pts, pts[0]]
}

/** The outer ring of a GeoJSON Polygon geometry, or of a feature's Polygon. */
export function outerRing(geometry: { type: string; coordinates: unknown } | null | undefined): Pt[] {
  if (!geometry) return []
  if (geometry.type === 'Polygon') return ((geometry.coordinates as Pt[][])[0] ?? []).map((p) => [p[0], p[1]])
  if (geometry.type === 'MultiPolygon') return ((geometry.coordinates as Pt[][][])[0]?.[0] ?? []).map((p) => [p[0], p[1]])
  return []
}

/** Whether p lies inside ring (even-odd rule; points on an edge may go either way). */
export function pointInRing(p: Pt, ring: readonly Pt[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]
    const [xj, yj] = ring[j]
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Whether p lies inside a Polygon or MultiPolygon (holes respected). */
export function pointInGeometry(p: Pt, geometry: { type: string; coordinates: unknown } | null | undefined): boolean {
  if (!geometry) return false
  const polys: Pt[][][] =
    geometry.type === 'Polygon' ? [geometry.coordinates as Pt[][]] : geometry.type === 'MultiPolygon' ? (geometry.coordinates as Pt[][][]) : []
  return polys.some((rings) => rings.length > 0 && pointInRing(p, rings[0]) && !rings.slice(1).some((h) => pointInRing(p, h)))
}

/** Nearest point of segment a–b to p: the parameter t in [0, 1] and the distance. */
export function nearestOnSegment(p: Pt, a: Pt, b: Pt): { t: number; dist: number; point: Pt } {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0
  t = Math.max(0, Math.min(1, t))
  const point: Pt = [a[0] + t * dx, a[1] + t * dy]
  return { t, dist: Math.hypot(p[0] - point[0], p[1] - point[1]), point }
}

/** A hit on a drawn arc: the arc, the vertex index after which a new vertex goes, and the distance. */
export interface ArcHit {
  arc: number
  after: number
  dist: number
  point: Pt
}

/**
 * The arc segment nearest to p within maxDist, in screen pixels. project maps
 * [lon, lat] to [x, y]. Locked arcs are skipped unless includeLocked.
 */
export function nearestArcSegment(
  p: Pt,
  arcs: readonly DrawnArc[],
  project: (ll: Pt) => Pt,
  maxDist: number,
  includeLocked = false,
): ArcHit | null {
  let best: ArcHit | null = null
  for (const arc of arcs) {
    if (arc.locked && !includeLocked) continue
    const px = arc.coords.map(project)
    for (let i = 0; i + 1 < px.length; i++) {
      const h = nearestOnSegment(p, px[i], px[i + 1])
      if (h.dist <= maxDist && (!best || h.dist < best.dist)) best = { arc: arc.id, after: i, dist: h.dist, point: h.point }
    }
  }
  return best
}

/** A hit on a drawn vertex: arc id, vertex index, and whether it is an arc's end (shared with other arcs). */
export interface VertexHit {
  arc: number
  index: number
  dist: number
  end: boolean
  locked: boolean
}

/** The vertex nearest to p within maxDist pixels; inner vertices win over ends at the same distance. */
export function nearestVertex(p: Pt, arcs: readonly DrawnArc[], project: (ll: Pt) => Pt, maxDist: number): VertexHit | null {
  let best: VertexHit | null = null
  for (const arc of arcs) {
    arc.coords.forEach((c, i) => {
      const q = project(c)
      const dist = Math.hypot(q[0] - p[0], q[1] - p[1])
      if (dist > maxDist) return
      const end = i === 0 || i === arc.coords.length - 1
      if (!best || dist < best.dist - 1e-9 || (Math.abs(dist - best.dist) <= 1e-9 && best.end && !end)) {
        best = { arc: arc.id, index: i, dist, end, locked: arc.locked }
      }
    })
  }
  return best
}

/** Every vertex of the drawn arcs as GeoJSON points (each shared end point once), for the vertex layer. */
export function vertexFeatures(arcs: readonly DrawnArc[]): GeoJSONFeatureCollection<{ arc: number; index: number; end: boolean; locked: boolean }> {
  const seen = new Set<string>()
  const features: GeoJSONFeatureCollection<{ arc: number; index: number; end: boolean; locked: boolean }>['features'] = []
  for (const arc of arcs) {
    arc.coords.forEach((c, i) => {
      const end = i === 0 || i === arc.coords.length - 1
      // A closed arc's last point repeats its first.
      if (i === arc.coords.length - 1 && arc.coords.length > 1 && c[0] === arc.coords[0][0] && c[1] === arc.coords[0][1]) return
      const key = `${c[0]},${c[1]}`
      if (end) {
        if (seen.has(key)) return
        seen.add(key)
      }
      features.push({
        type: 'Feature',
        properties: { arc: arc.id, index: i, end, locked: arc.locked },
        geometry: { type: 'Point', coordinates: [c[0], c[1]] },
      })
    })
  }
  return { type: 'FeatureCollection', features }
}

/** The arcs as GeoJSON lines (for highlighting them in vertex mode). */
export function arcFeatures(arcs: readonly DrawnArc[]): GeoJSONFeatureCollection<{ arc: number; locked: boolean }> {
  return {
    type: 'FeatureCollection',
    features: arcs.map((a) => ({
      type: 'Feature',
      id: a.id,
      properties: { arc: a.id, locked: a.locked },
      geometry: { type: 'LineString', coordinates: a.coords },
    })),
  }
}

/**
 * Moves every vertex at `from` (an arc's end is shared by the arcs meeting
 * there) to `to`; returns new arcs, the others unchanged. Used to show a
 * dragged vertex where the pointer is before Go answers.
 */
export function moveVertex(arcs: readonly DrawnArc[], ref: { arc: number; index: number }, to: Pt): DrawnArc[] {
  const arc = arcs.find((a) => a.id === ref.arc)
  const from = arc?.coords[ref.index]
  if (!arc || !from) return [...arcs]
  const end = ref.index === 0 || ref.index === arc.coords.length - 1
  return arcs.map((a) => {
    if (a.id !== ref.arc && !end) return a
    let changed = false
    const coords = a.coords.map((c, i) => {
      const hit = a.id === ref.arc ? i === ref.index || (end && c[0] === from[0] && c[1] === from[1]) : c[0] === from[0] && c[1] === from[1]
      if (!hit) return c
      changed = true
      return [to[0], to[1]] as Pt
    })
    return changed ? { ...a, coords } : a
  })
}

/**
 * The drawn area a split line cuts: the preferred id when it is drawn,
 * otherwise the area holding most of the points sampled along the line;
 * null when the line crosses none.
 */
export function areaCrossedBy(
  line: readonly Pt[],
  areas: GeoJSONFeatureCollection<AreaProperties> | null | undefined,
  preferred: string | null,
  samples = 64,
): string | null {
  const feats = areas?.features ?? []
  if (preferred && feats.some((f) => f.properties?.id === preferred)) return preferred
  if (line.length < 2 || !feats.length) return null
  const lens: number[] = []
  let total = 0
  for (let i = 0; i + 1 < line.length; i++) {
    const d = Math.hypot(line[i + 1][0] - line[i][0], line[i + 1][1] - line[i][1])
    lens.push(d)
    total += d
  }
  if (total <= 0) return null
  const counts = new Map<string, number>()
  for (let k = 1; k < samples; k++) {
    let s = (k / samples) * total
    let i = 0
    while (i < lens.length - 1 && s > lens[i]) s -= lens[i++]
    const t = lens[i] > 0 ? s / lens[i] : 0
    const p: Pt = [line[i][0] + t * (line[i + 1][0] - line[i][0]), line[i][1] + t * (line[i + 1][1] - line[i][1])]
    for (const f of feats) {
      if (pointInGeometry(p, f.geometry)) counts.set(f.properties.id, (counts.get(f.properties.id) ?? 0) + 1)
    }
  }
  let best: string | null = null
  let bestN = 0
  for (const [id, n] of counts) {
    if (n > bestN) {
      best = id
      bestN = n
    }
  }
  return best
}

/**
 * Replaces the features of fc whose id property appears in update (the
 * touched territories during a drag) and adds new ones; returns a new
 * collection.
 */
export function mergeAreas<P extends { id: string }>(
  fc: GeoJSONFeatureCollection<P> | null | undefined,
  update: GeoJSONFeatureCollection<P> | null | undefined,
): GeoJSONFeatureCollection<P> {
  const base = fc?.features ?? []
  const upd = update?.features ?? []
  if (!upd.length) return { type: 'FeatureCollection', features: [...base] }
  const byId = new Map(upd.map((f) => [f.properties.id, f]))
  const out = base.map((f) => byId.get(f.properties.id) ?? f)
  const have = new Set(base.map((f) => f.properties.id))
  for (const f of upd) if (!have.has(f.properties.id)) out.push(f)
  return { type: 'FeatureCollection', features: out }
}
