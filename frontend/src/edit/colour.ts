// Colouring territories on the map by a metric: a sequential ramp over the
// territories' values, or diverging colours by deviation band.
import type { TerritoryRow } from '../api/types'
import { bandFor, bandOf, deviationOf, valueOf, DEFAULT_BANDS } from './figures'

/** Sequential ramp, low to high (ColorBrewer YlGnBu, 5 classes). */
export const RAMP: readonly string[] = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494']

/** Colours by deviation band, from far below target to far above (blue below, orange above, grey within the first band). */
export const DEVIATION_COLOURS: readonly string[] = ['#1d4ed8', '#60a5fa', '#bfdbfe', '#eef0f3', '#fed7aa', '#fb923c', '#c2410c']

/** Colour for metric values missing on a territory (utilisation without a rep). */
export const NO_VALUE = '#d1d5db'

function hex(c: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number]
}

/** The ramp colour at t in [0, 1], interpolated between its stops. */
export function rampColour(t: number, ramp: readonly string[] = RAMP): string {
  if (!Number.isFinite(t)) return NO_VALUE
  const x = Math.max(0, Math.min(1, t)) * (ramp.length - 1)
  const i = Math.min(ramp.length - 2, Math.floor(x))
  const k = x - i
  const a = hex(ramp[i])
  const b = hex(ramp[i + 1])
  return `#${a.map((v, j) => Math.round(v + (b[j] - v) * k).toString(16).padStart(2, '0')).join('')}`
}

/** Colour of a signed deviation by band: index 3 is within the first band. */
export function deviationBandColour(dev: number | undefined, bands: readonly number[] = DEFAULT_BANDS): string {
  return bandColour(bandOf(dev, bands), dev ?? 0)
}

/** Colour of band b (-1 = no value) on the side of the target that dev's sign says. */
export function bandColour(b: number, dev: number): string {
  if (b < 0) return NO_VALUE
  const mid = (DEVIATION_COLOURS.length - 1) / 2
  if (b === 0) return DEVIATION_COLOURS[mid]
  return DEVIATION_COLOURS[dev < 0 ? mid - Math.min(b, mid) : mid + Math.min(b, mid)]
}

/** Range of a metric over territory rows (min, max), or null when no territory has it. */
export function metricRange(rows: Iterable<TerritoryRow>, metric: string): [number, number] | null {
  let lo = Infinity
  let hi = -Infinity
  for (const r of rows) {
    if (r.kind !== 'territory') continue
    const v = valueOf(r, metric)
    if (v === undefined) continue
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  return Number.isFinite(lo) ? [lo, hi] : null
}

/** How the map colours territories by a metric. */
export interface MetricColouring {
  metric: string
  by: 'value' | 'deviation'
}

/**
 * The colour of each territory (by its index in ids) for a metric colouring;
 * rows are looked up by id. Nodes other than territories keep null.
 */
export function metricColours(ids: readonly string[], rowById: ReadonlyMap<string, TerritoryRow>, c: MetricColouring): (string | null)[] {
  const range = c.by === 'value' ? metricRange(rowById.values(), c.metric) : null
  return ids.map((id) => {
    const r = rowById.get(id)
    if (!r || r.kind !== 'territory') return null
    if (c.by === 'deviation') return bandColour(bandFor(r, c.metric), deviationOf(r, c.metric) ?? 0)
    const v = valueOf(r, c.metric)
    if (v === undefined || !range) return NO_VALUE
    return rampColour(range[1] > range[0] ? (v - range[0]) / (range[1] - range[0]) : 0.5)
  })
}
