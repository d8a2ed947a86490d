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
