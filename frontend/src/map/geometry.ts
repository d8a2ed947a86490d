// Small geometry helpers for the map: bounding boxes of unit features.
import type { GeoJSONFeatureCollection } from '../api/types'

export type BBox = [number, number, number, number]

function walk(c: unknown, box: number[]): void {
  if (!Array.isArray(c)) return
  if (typeof c[0] === 'number' && typeof c[1] === 'number') {
    const x = c[0] as number
    const y = c[1] as number
    if (x < box[0]) box[0] = x
    if (y < box[1]) box[1] = y
    if (x > box[2]) box[2] = x
    if (y > box[3]) box[3] = y
    return
  }
  for (const k of c) walk(k, box)
}

/** Bounding box of every feature, indexed by feature id (unit index); empty geometries give null. */
export function featureBBoxes(fc: GeoJSONFeatureCollection<object>): (BBox | null)[] {
  const out: (BBox | null)[] = []
  fc.features.forEach((f, i) => {
    const id = typeof f.id === 'number' ? f.id : i
    const box = [Infinity, Infinity, -Infinity, -Infinity]
    walk(f.geometry?.coordinates, box)
    out[id] = Number.isFinite(box[0]) ? (box as BBox) : null
  })
  return out
}

/** Union of the boxes of the given indices; null when none has a box. */
export function unionBBox(boxes: readonly (BBox | null)[], indices: Iterable<number>): BBox | null {
  const u: BBox = [Infinity, Infinity, -Infinity, -Infinity]
  for (const i of indices) {
    const b = boxes[i]
    if (!b) continue
    u[0] = Math.min(u[0], b[0])
    u[1] = Math.min(u[1], b[1])
    u[2] = Math.max(u[2], b[2])
    u[3] = Math.max(u[3], b[3])
  }
  return Number.isFinite(u[0]) ? u : null
}

/** Whether a [minLon, minLat, maxLon, maxLat] box is usable for fitBounds. */
export function validBounds(b: readonly number[] | null | undefined): b is BBox {
  return (
    !!b &&
    b.length === 4 &&
    b.every(Number.isFinite) &&
    b[2] > b[0] &&
    b[3] > b[1] &&
    b[0] >= -180 &&
    b[2] <= 180 &&
    b[1] >= -90 &&
    b[3] <= 90
  )
}

/** Pixels reserved along each edge of the map container. */
export interface Insets {
  top: number
  right: number
  bottom: number
  left: number
}

/**
 * Padding for fitBounds in a w×h container: a margin proportional to the
 * container plus the overlay insets, reduced when together they would leave
 * less than half of either dimension for the bounds.
 */
export function fitPadding(w: number, h: number, insets: Partial<Insets>): Insets {
  const m = Math.max(12, Math.min(48, Math.round(Math.min(w, h) * 0.05)))
  const at = (v: number | undefined) => m + (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0)
  const p: Insets = { top: at(insets.top), right: at(insets.right), bottom: at(insets.bottom), left: at(insets.left) }
  const kx = Math.min(1, (w * 0.5) / Math.max(1, p.left + p.right))
  const ky = Math.min(1, (h * 0.5) / Math.max(1, p.top + p.bottom))
  return {
    top: Math.floor(p.top * ky),
    right: Math.floor(p.right * kx),
    bottom: Math.floor(p.bottom * ky),
    left: Math.floor(p.left * kx),
  }
}

/**
 * b widened by k times its width and height on every side, kept within
 * longitude ±180 and the latitudes a Web Mercator map can show.
 */
export function expandBounds(b: BBox, k: number): BBox {
  const dx = (b[2] - b[0]) * k
  const dy = (b[3] - b[1]) * k
  return [Math.max(-180, b[0] - dx), Math.max(-85, b[1] - dy), Math.min(180, b[2] + dx), Math.min(85, b[3] + dy)]
}
