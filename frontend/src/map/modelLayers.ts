// The planning model on the map: account circles coloured and filtered by
// customer segment, a heat map of potential, white-space rings (all over the
// account vector tiles) and alert markers at the territories' label points.
import maplibregl from 'maplibre-gl'
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl'

/**
 * Tile properties of the plan's segmentation (docs/bridge.md, "Feature
 * properties"): the class in force ("c") and the flags as bits ("f": 1
 * golden, 2 sleeping, 4 white space). A single account carries its own; a
 * group (n > 1) the class holding most of its potential and every flag any
 * of its accounts has. Tiles of a plan without segments carry neither, and
 * the imported tier ("tier") stands in for the class.
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
/** Colour of groups whose tiles hold no class (and of accounts of an unknown class). */
export const GROUP_COLOUR = '#6b7280'
export const WHITE_SPACE_COLOUR = '#a21caf'

/** The colour of each class, in the order given (A, B, C fixed; others from a palette). */
export function classColours(classes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  let k = 0
  for (const c of classes) out[c] = CLASS_COLOURS[c.trim().toUpperCase()] ?? EXTRA_COLOURS[k++ % EXTRA_COLOURS.length]
  return out
}

/** "#rrggbb" mixed with black: k = 0 keeps it, 1 gives black. */
export function darken(hex: string, k: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!m) return hex
  const v = parseInt(m[1], 16)
  const c = [v >> 16, (v >> 8) & 255, v & 255].map((x) => Math.round(x * (1 - k)))
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`
}

/** How much darker a group's outline is than its class colour. */
export const GROUP_OUTLINE_DARKEN = 0.45
/** Outline of single accounts coloured by class. */
export const SINGLE_OUTLINE = '#1f2937'

const N = ['to-number', ['get', 'n'], 1] as unknown as ExpressionSpecification
const IS_GROUP = ['>', N, 1] as unknown as ExpressionSpecification
/**
 * A feature's class: the one in force when the tiles carry it (a group's
 * is the class holding most of its potential), else the imported tier.
 */
const CLASS = ['to-string', ['coalesce', ['get', TILE_CLASS], ['get', 'tier'], '']] as unknown as ExpressionSpecification

/** True for a feature with flag bit set (a group: when any of its accounts has it). */
function hasFlag(bit: number): ExpressionSpecification {
  return ['==', ['%', ['floor', ['/', ['to-number', ['get', TILE_FLAGS], 0], bit]], 2], 1] as unknown as ExpressionSpecification
}

/** A match on the class, fallback for the rest. */
function byClass(colours: Record<string, string>, fallback: string): ExpressionSpecification | string {
  const pairs = Object.entries(colours).flat()
  return (pairs.length ? ['match', CLASS, ...pairs, fallback] : fallback) as unknown as ExpressionSpecification | string
}

/**
 * Circle colour by class: a single account by its own, a group by the
 * class holding most of its potential (the base layer draws groups
 * lighter); grey without a class.
 */
export function tierColourExpression(classes: readonly string[]): ExpressionSpecification {
  return byClass(classColours(classes), GROUP_COLOUR) as ExpressionSpecification
}

/** Circle outline by class: single accounts a dark ring, groups a darker shade of their class colour. */
export function tierStrokeExpression(classes: readonly string[] = []): ExpressionSpecification {
  const dark: Record<string, string> = {}
  for (const [c, hex] of Object.entries(classColours(classes))) dark[c] = darken(hex, GROUP_OUTLINE_DARKEN)
  return ['case', IS_GROUP, byClass(dark, '#374151'), SINGLE_OUTLINE] as unknown as ExpressionSpecification
}

/**
 * Keeps the accounts whose class is not hidden and that carry the flag
 * asked for; null when nothing is filtered. Hidden classes keep every group
 * (a group mixes classes); the flag keeps the groups of which any account
 * has it.
 */
export function accountFilter(hidden: readonly string[], flag: string): ExpressionSpecification | null {
  const parts: unknown[] = []
  if (hidden.length) parts.push(['any', IS_GROUP, ['!', ['in', CLASS, ['literal', [...hidden]]]]])
  if (flag && FLAG_BITS[flag]) parts.push(hasFlag(FLAG_BITS[flag]))
  if (!parts.length) return null
  return (parts.length === 1 ? parts[0] : ['all', ...parts]) as ExpressionSpecification
}

/** A feature's segment as its tile properties give it. */
export interface TileSegment {
  group: boolean
  /** The class ("" when the tile has none): a group's holds most of its potential. */
  cls: string
  /** Flag names the feature has (a group: those any of its accounts has), in FLAG_BITS order. */
  flags: string[]
}

/** Reads a feature's class and flags from its tile properties (null without them). */
export function tileSegment(props: Record<string, unknown>): TileSegment | null {
  const group = Number(props.n ?? 1) > 1
  const c = props[TILE_CLASS]
  const f = Number(props[TILE_FLAGS])
  if (c === undefined && !Number.isFinite(f)) return null
  const bits = Number.isFinite(f) ? f : 0
  return { group, cls: c === undefined || c === null ? '' : String(c), flags: Object.keys(FLAG_BITS).filter((k) => Math.floor(bits / FLAG_BITS[k]) % 2 === 1) }
}

/**
 * Tooltip lines of a feature's segment: its class (a group's: the class
 * holding most of its potential) and its flags (a group's: those any of its
 * accounts has); none when the tiles hold no segments.
 */
export function segmentLines(props: Record<string, unknown>, t: (key: string) => string): { label: string; value: string }[] {
  const s = tileSegment(props)
  if (!s) return []
  const out: { label: string; value: string }[] = []
  if (s.cls) out.push({ label: t(s.group ? 'model.tooltip.groupClass' : 'model.tooltip.class'), value: s.cls })
  if (s.flags.length) out.push({ label: t(s.group ? 'model.tooltip.groupFlags' : 'model.tooltip.flags'), value: s.flags.map((f) => t(`model.flag.${f}`)).join(', ') })
  return out
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

/**
 * Rings around white-space accounts: single accounts with the white-space
 * flag that the account filter keeps (a ring without its circle would mark
 * an account the map hides).
 */
export function whiteSpaceLayer(filter: ExpressionSpecification | null = null): LayerSpecification {
  const keep: unknown[] = ['all', ['!', IS_GROUP], hasFlag(FLAG_BITS.whiteSpace)]
  if (filter) keep.push(filter)
  return {
    id: WHITE_SPACE_LAYER,
    type: 'circle',
    source: 'accounts',
    'source-layer': 'accounts',
    filter: keep as unknown as ExpressionSpecification,
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
    // Groups carry the class and flags too, so any feature tells.
    for (const f of this.map.querySourceFeatures('accounts', { sourceLayer: 'accounts' })) {
      const p = f.properties ?? {}
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
      if (m.getLayer(WHITE_SPACE_LAYER)) m.setFilter(WHITE_SPACE_LAYER, (whiteSpaceLayer(o.filter) as { filter?: unknown }).filter as never)
      else m.addLayer(whiteSpaceLayer(o.filter))
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
