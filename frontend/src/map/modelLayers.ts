// The planning model on the map: account circles coloured and filtered by
// customer segment, a heat map of potential, white-space rings (all over the
// account vector tiles) and alert markers at the territories' label points.
import maplibregl from 'maplibre-gl'
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'

/**
 * Tile properties of a single account's segment. The account tiles carry
 * the imported tier ("tier"); a Go side that also writes the class in force
 * ("c") and the flags as bits ("f": 1 golden, 2 sleeping, 4 white space)
 * lets the map follow the plan's segmentation.
 */
export const TILE_CLASS = 'c'
export const TILE_FLAGS = 'f'

/** Bits of the flags property, in segment.FlagNames order. */
export const FLAG_BITS: Readonly<Record<string, number>> = { golden: 1, sleeping: 2, whiteSpace: 4 }

export const HEAT_LAYER = 'accounts-heat'
export const WHITE_SPACE_LAYER = 'accounts-white-space'

/** Colours of the ABC classes; other classes take the extra colours in order. */
export const CLASS_COLOURS: Readonly<Record<string, string>> = { A: '#b91c1c', B: '#0f766e', C: '#cbd5e1' }
const EXTRA_COLOURS = ['#7c3aed', '#059669', '#db2777', '#ca8a04', '#0891b2', '#4d7c0f', '#9f1239', '#475569']
/** Colour of aggregated accounts (their tiles hold no class). */
export const GROUP_COLOUR = '#6b7280'
export const WHITE_SPACE_COLOUR = '#a21caf'

/** The colour of each class, in the order given (A, B, C fixed; others from a palette). */
export function classColours(classes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  let k = 0
  for (const c of classes) out[c] = CLASS_COLOURS[c.trim().toUpperCase()] ?? EXTRA_COLOURS[k++ % EXTRA_COLOURS.length]
  return out
}

const N = ['to-number', ['get', 'n'], 1] as unknown as ExpressionSpecification
const IS_GROUP = ['>', N, 1] as unknown as ExpressionSpecification
/** A single account's class: the one in force when the tiles carry it, else the imported tier. */
const CLASS = ['to-string', ['coalesce', ['get', TILE_CLASS], ['get', 'tier'], '']] as unknown as ExpressionSpecification

/** True for a single account with flag bit set. */
function hasFlag(bit: number): ExpressionSpecification {
  return ['==', ['%', ['floor', ['/', ['to-number', ['get', TILE_FLAGS], 0], bit]], 2], 1] as unknown as ExpressionSpecification
}

/** Circle colour by class (groups grey). */
export function tierColourExpression(classes: readonly string[]): ExpressionSpecification {
  const cs = classColours(classes)
  const pairs = Object.entries(cs).flat()
  const match = pairs.length ? ['match', CLASS, ...pairs, GROUP_COLOUR] : GROUP_COLOUR
  return ['case', IS_GROUP, GROUP_COLOUR, match] as unknown as ExpressionSpecification
}

/** Circle outline by class: a darker ring. */
export function tierStrokeExpression(): ExpressionSpecification {
  return ['case', IS_GROUP, '#374151', '#1f2937'] as unknown as ExpressionSpecification
}

/**
 * Keeps groups (their tiles cannot tell classes apart) and the single
 * accounts whose class is not hidden and that carry the flag asked for;
 * null when nothing is filtered.
 */
export function accountFilter(hidden: readonly string[], flag: string): ExpressionSpecification | null {
  const parts: unknown[] = []
  if (hidden.length) parts.push(['!', ['in', CLASS, ['literal', [...hidden]]]])
  if (flag && FLAG_BITS[flag]) parts.push(hasFlag(FLAG_BITS[flag]))
  if (!parts.length) return null
  return ['any', IS_GROUP, ['all', ...parts]] as unknown as ExpressionSpecification
}

/**
 * The heat map of potential: every feature weighs its potential (a group the
 * sum of its accounts') in units of the plan's mean account potential, so
 * the colour shows where the money is rather than where the dots are.
 */
export function heatLayer(meanPotential: number, filter: ExpressionSpecification | null): LayerSpecification {
  const unit = meanPotential > 0 && Number.isFinite(meanPotential) ? meanPotential : 1
  const layer: LayerSpecification = {
    id: HEAT_LAYER,
    type: 'heatmap',
    source: 'accounts',
    'source-layer': 'accounts',
    paint: {
      'heatmap-weight': ['/', ['max', 0, ['to-number', ['get', 'p'], 0]], unit] as unknown as ExpressionSpecification,
      'heatmap-intensity': ['interpolate', ['exponential', 2], ['zoom'], 2, 0.025, 4, 0.06, 6, 0.08, 9, 0.25, 12, 0.8] as unknown as ExpressionSpecification,
      'heatmap-radius': ['interpolate', ['exponential', 2], ['zoom'], 2, 9, 6, 20, 10, 42, 14, 80] as unknown as ExpressionSpecification,
      'heatmap-color': [
        'interpolate',
        ['linear'],
        ['heatmap-density'],
        0,
        'rgba(255,255,204,0)',
        0.12,
        'rgba(255,237,160,0.55)',
        0.3,
        'rgba(254,178,76,0.75)',
        0.5,
        'rgba(253,141,60,0.85)',
        0.7,
        'rgba(240,59,32,0.9)',
        1,
        'rgba(189,0,38,0.95)',
      ] as unknown as ExpressionSpecification,
      'heatmap-opacity': 0.8,
    },
  }
  if (filter) (layer as { filter?: unknown }).filter = filter
  return layer
}

/** Rings around white-space accounts (single accounts with the white-space flag). */
export function whiteSpaceLayer(): LayerSpecification {
  return {
    id: WHITE_SPACE_LAYER,
    type: 'circle',
    source: 'accounts',
    'source-layer': 'accounts',
    filter: ['all', ['!', IS_GROUP], hasFlag(FLAG_BITS.whiteSpace)] as unknown as ExpressionSpecification,
    paint: {
      'circle-color': 'rgba(0,0,0,0)',
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 3, 4, 8, 7, 12, 11] as unknown as ExpressionSpecification,
      'circle-stroke-color': WHITE_SPACE_COLOUR,
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 3, 1.2, 8, 2, 12, 2.5] as unknown as ExpressionSpecification,
      'circle-stroke-opacity': 0.95,
    },
  }
}

/** What the model layers show. */
export interface ModelLayerOptions {
  heat: boolean
  whiteSpace: boolean
  filter: ExpressionSpecification | null
  meanPotential: number
  accountsVisible: boolean
}

/** An alert marker: a territory with alerts, at its label point. */
export interface AlertMarkerSpec {
  id: string
  lngLat: [number, number]
  count: number
  title: string
  /** The most serious kind: "high" (over target or capacity), "low", or "overdue". */
  tone: string
}

/** The model's layers on one map; accountsAdded() after the account source is (re)created. */
export class ModelLayers {
  private opts: ModelLayerOptions = { heat: false, whiteSpace: false, filter: null, meanPotential: 1, accountsVisible: true }
  private markers = new Map<string, { marker: maplibregl.Marker; el: HTMLButtonElement }>()
  private destroyed = false

  constructor(
    private map: maplibregl.Map,
    private onAlertClick: (territoryId: string) => void,
    private onTileProps?: (props: { classes: boolean; flags: boolean }) => void,
  ) {
    map.on('sourcedata', this.onSourceData)
  }

  private onSourceData = (e: { sourceId?: string; isSourceLoaded?: boolean }) => {
    if (this.destroyed || e.sourceId !== 'accounts' || !e.isSourceLoaded || !this.onTileProps) return
    let classes = false
    let flags = false
    let seen = 0
    for (const f of this.map.querySourceFeatures('accounts', { sourceLayer: 'accounts' })) {
      const p = f.properties ?? {}
      if (Number(p.n ?? 1) > 1) continue
      if (TILE_CLASS in p) classes = true
      if (TILE_FLAGS in p) flags = true
      if (++seen > 200 || (classes && flags)) break
    }
    if (seen) this.onTileProps({ classes, flags })
  }

  /** Adds the layers again over a new account source. */
  accountsAdded(): void {
    this.apply()
  }

  update(opts: ModelLayerOptions): void {
    this.opts = opts
    this.apply()
  }

  private apply(): void {
    const m = this.map
    if (this.destroyed || !m.getSource('accounts')) return
    const o = this.opts
    const vis = o.accountsVisible
    if (o.heat) {
      if (m.getLayer(HEAT_LAYER)) m.removeLayer(HEAT_LAYER)
      // Over the account circles: where potential concentrates, the heat is what matters.
      m.addLayer(heatLayer(o.meanPotential, o.filter))
    } else if (m.getLayer(HEAT_LAYER)) m.removeLayer(HEAT_LAYER)
    if (o.whiteSpace && vis) {
      if (!m.getLayer(WHITE_SPACE_LAYER)) m.addLayer(whiteSpaceLayer())
    } else if (m.getLayer(WHITE_SPACE_LAYER)) m.removeLayer(WHITE_SPACE_LAYER)
  }

  /** Shows one marker per territory with alerts; clicking one calls onAlertClick. */
  setAlertMarkers(specs: readonly AlertMarkerSpec[]): void {
    const keep = new Set(specs.map((s) => s.id))
    for (const [id, m] of this.markers) {
      if (!keep.has(id)) {
        m.marker.remove()
        this.markers.delete(id)
      }
    }
    for (const s of specs) {
      let m = this.markers.get(s.id)
      if (!m) {
        const el = document.createElement('button')
        el.type = 'button'
        el.className = 'alert-marker'
        el.dataset.testid = `alert-marker-${s.id}`
        el.addEventListener('click', (e) => {
          e.stopPropagation()
          this.onAlertClick(s.id)
        })
        const marker = new maplibregl.Marker({ element: el, anchor: 'bottom', offset: [0, -16] }).setLngLat(s.lngLat).addTo(this.map)
        m = { marker, el }
        this.markers.set(s.id, m)
      } else m.marker.setLngLat(s.lngLat)
      m.el.textContent = `⚠ ${s.count}`
      m.el.title = s.title
      m.el.dataset.tone = s.tone
    }
  }

  destroy(): void {
    this.destroyed = true
    this.map.off('sourcedata', this.onSourceData)
    for (const m of this.markers.values()) m.marker.remove()
    this.markers.clear()
  }
}
