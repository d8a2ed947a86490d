// Imperative MapLibre code. Sources are added once per style; later changes
// go through setFeatureState, setData, setTiles and paint properties.
import maplibregl, { type GeoJSONSource, type MapGeoJSONFeature } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import { accountTilesURL, type GeoJSONFeatureCollection, type UnitProperties } from '../api'
import { registerTileProtocol } from './protocol'
import { LabelLayer, type LabelSpec } from './labels'
import { BASEMAP_FILES, accountColorExpression, accountLayer, accountStrokeExpression, offlineStyle, overlayLayers, unitOpacity } from './style'
import { featureBBoxes, fitPadding, unionBBox, validBounds, type BBox, type Insets } from './geometry'

export type { Insets }

export interface HoverInfo {
  x: number
  y: number
  unit: number | null
  account: Record<string, unknown> | null
}

export interface PlanMapOptions {
  basemapUrl: string
  onHover: (h: HoverInfo | null) => void
  onUnitClick: (unit: number | null) => void
  onLabelClick: (id: string) => void
  /** Called after every style load, once sources and overlay layers exist. */
  onStyleReady: () => void
  onBasemapError: () => void
  /**
   * Space in pixels along each edge of the map that floating controls cover
   * (legend, cards); fits keep their bounds clear of it. Asked on every fit.
   */
  overlayInsets?: () => Partial<Insets>
  /** Called whenever the account tile source has been (re)created, so other layers over it can be added. */
  onAccountsAdded?: () => void
}

/** Paint and filter of the account circles set by another view (the planning model's tier colours and filters). */
export interface AccountStyle {
  color?: unknown
  stroke?: unknown
  filter?: unknown
}


const EMPTY = { type: 'FeatureCollection', features: [] } as const
let basemapCache: Promise<Record<string, unknown>> | null = null

/** Loads the bundled basemap GeoJSON once per page (on the main thread, so any page origin works). */
function loadBasemapData(): Promise<Record<string, unknown>> {
  basemapCache ??= Promise.all(
    BASEMAP_FILES.map(async (f) => {
      const res = await fetch(new URL(`basemap/${f}.geojson`, document.baseURI).href)
      if (!res.ok) throw new Error(`basemap ${f}: HTTP ${res.status}`)
      return [f, await res.json()] as const
    }),
  ).then((e) => Object.fromEntries(e))
  basemapCache.catch(() => (basemapCache = null))
  return basemapCache
}

export class PlanMap {
  readonly map: maplibregl.Map
  private labels: LabelLayer
  private units: GeoJSONFeatureCollection<UnitProperties> | null = null
  private unitBoxes: (BBox | null)[] = []
  private unitColor: (string | null)[] = []
  private selected = new Set<number>()
  private hover: number | null = null
  private borders: unknown = EMPTY
  private accounts: { scenario: string; version: number } | null = null
  private accountColors: string[] = []
  private accountsVisible = true
  /** Ids of accounts outlined as picked (the Move accounts tool). */
  private accountPick: string[] = []
  private accountStyle: AccountStyle = {}
  private basemapUrl: string
  private destroyed = false
  /** The plan bounds shown on open; refitted on resize until the user moves the map. */
  private planBounds: BBox | null = null
  private autoFit = false
  private resizeObserver: ResizeObserver | null = null

  constructor(container: HTMLElement, private opts: PlanMapOptions) {
    registerTileProtocol()
    this.basemapUrl = opts.basemapUrl
    this.map = new maplibregl.Map({
      container,
      style: this.basemapUrl || offlineStyle(),
      center: [-96, 38],
      zoom: 3,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      renderWorldCopies: true,
      fadeDuration: 0,
    })
    this.map.touchZoomRotate.disableRotation()
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right')
    this.map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right')
    this.labels = new LabelLayer(this.map, opts.onLabelClick)
    this.map.on('style.load', () => this.onStyleLoad())
    this.map.on('error', (e) => this.onError(e))
    this.map.on('mousemove', (e) => this.onMove(e))
    this.map.on('mouseout', () => this.clearHover())
    this.map.on('click', (e) => this.onClick(e))
    // Pan, zoom and the zoom buttons carry the originating DOM event; fits do not.
    this.map.on('movestart', (e: { originalEvent?: Event }) => {
      if (e.originalEvent) this.autoFit = false
    })
    this.map.on('load', () => this.refit())
    if (typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.refit())
      this.resizeObserver.observe(container)
    }
  }

  private onError(e: { error?: Error }): void {
    if (e.error) console.warn('map:', e.error.message)
    // An online style that fails to load leaves an empty map: fall back to the bundled one.
    if (this.basemapUrl && !this.map.isStyleLoaded() && e.error) {
      this.basemapUrl = ''
      this.map.setStyle(offlineStyle())
      this.opts.onBasemapError()
    }
  }

  private async onStyleLoad(): Promise<void> {
    const m = this.map
    if (!this.basemapUrl) {
      try {
        const data = await loadBasemapData()
        if (this.destroyed) return
        for (const f of BASEMAP_FILES) (m.getSource(`basemap-${f}`) as GeoJSONSource | undefined)?.setData(data[f] as never)
      } catch (err) {
        console.warn('offline basemap not available:', err)
      }
    }
    if (!m.getSource('units')) m.addSource('units', { type: 'geojson', data: (this.units ?? EMPTY) as never })
    if (!m.getSource('borders')) m.addSource('borders', { type: 'geojson', data: this.borders as never })
    for (const layer of overlayLayers()) if (!m.getLayer(layer.id)) m.addLayer(layer)
    this.addAccounts()
    this.applyUnitStates()
    this.applySelectionPaint()
    this.opts.onStyleReady()
  }

  /** Calls cb once, after the map has drawn everything it has been given so far. */
  whenIdle(cb: () => void): void {
    this.map.once('idle', () => {
      if (!this.destroyed) cb()
    })
    this.map.triggerRepaint()
  }

  private styleReady(): boolean {
    return !!this.map.getSource('units')
  }

  /** Replaces the basemap: "" for the bundled offline basemap, else a style URL. */
  setBasemap(url: string): void {
    if (url === this.basemapUrl) return
    this.basemapUrl = url
    this.map.setStyle(url || offlineStyle())
  }

  /** Sets the unit polygons (feature id = unit index). */
  setUnits(fc: GeoJSONFeatureCollection<UnitProperties> | null): void {
    if (fc === this.units) return
    this.units = fc
    this.unitBoxes = fc ? featureBBoxes(fc) : []
    this.hover = null
    if (this.styleReady()) {
      ;(this.map.getSource('units') as GeoJSONSource).setData((fc ?? EMPTY) as never)
      this.map.removeFeatureState({ source: 'units' })
      this.applyUnitStates()
    }
  }

  unitName(i: number): string {
    const f = this.units?.features[i]
    return f?.properties?.name ?? ''
  }

  /** Colours units by territory: colors[i] for unit i, null when unassigned. */
  setUnitColors(colors: (string | null)[]): void {
    const prev = this.unitColor
    this.unitColor = colors
    if (!this.styleReady()) return
    const n = Math.max(prev.length, colors.length)
    for (let i = 0; i < n; i++) {
      if (prev[i] !== colors[i]) this.map.setFeatureState({ source: 'units', id: i }, { color: colors[i] ?? null })
    }
  }

  /** Highlights the given units (the selected node's territories); null clears. */
  setSelection(units: Set<number> | null): void {
    const next = units ?? new Set<number>()
    if (this.styleReady()) {
      for (const i of this.selected) if (!next.has(i)) this.map.setFeatureState({ source: 'units', id: i }, { sel: false })
      for (const i of next) if (!this.selected.has(i)) this.map.setFeatureState({ source: 'units', id: i }, { sel: true })
    }
    this.selected = new Set(next)
    this.applySelectionPaint()
  }

  private applySelectionPaint(): void {
    if (this.map.getLayer('units-fill')) this.map.setPaintProperty('units-fill', 'fill-opacity', unitOpacity(this.selected.size > 0))
  }

  private applyUnitStates(): void {
    if (!this.styleReady() || !this.units) return
    const n = this.units.features.length
    for (let i = 0; i < n; i++) {
      this.map.setFeatureState({ source: 'units', id: i }, { color: this.unitColor[i] ?? null, sel: this.selected.has(i) })
    }
  }

  /** Territory borders (Alignment.borders). */
  setBorders(fc: unknown): void {
    this.borders = fc ?? EMPTY
    if (this.styleReady()) (this.map.getSource('borders') as GeoJSONSource).setData(this.borders as never)
  }

  /** Points the account tiles at a scenario and alignment version; colours by territory index. */
  setAccounts(scenario: string, version: number, colors: string[]): void {
    const changed = !this.accounts || this.accounts.scenario !== scenario || this.accounts.version !== version
    this.accounts = { scenario, version }
    this.accountColors = colors
    if (!this.styleReady()) return
    if (changed) {
      // A new source rather than setTiles: setTiles while tiles are still
      // loading keeps the tiles of the old URL (and so stale territory colours).
      this.removeAccounts()
      this.addAccounts()
    } else this.applyAccountPaint()
  }

  /** Outlines the accounts with these ids (single-account features only); [] clears. */
  setAccountHighlight(ids: readonly string[]): void {
    this.accountPick = [...ids]
    this.applyAccountPaint()
  }

  /** Overrides the account circles' colour, outline and filter ({} = by territory, all accounts). */
  setAccountStyle(style: AccountStyle): void {
    this.accountStyle = style
    this.applyAccountPaint()
  }

  setAccountsVisible(v: boolean): void {
    this.accountsVisible = v
    this.applyAccountPaint()
  }

  private addAccounts(): void {
    const m = this.map
    if (!this.accounts || m.getSource('accounts')) return
    m.addSource('accounts', {
      type: 'vector',
      tiles: [accountTilesURL(this.accounts.scenario, this.accounts.version)],
      minzoom: 0,
      maxzoom: 14,
    })
    m.addLayer(accountLayer())
    this.applyAccountPaint()
    this.opts.onAccountsAdded?.()
  }

  private removeAccounts(): void {
    // Every layer over the source goes with it (a heat map, highlights).
    for (const l of this.map.getStyle()?.layers ?? []) if ('source' in l && l.source === 'accounts') this.map.removeLayer(l.id)
    if (this.map.getSource('accounts')) this.map.removeSource('accounts')
  }

  private applyAccountPaint(): void {
    if (!this.map.getLayer('accounts-circle')) return
    const own = this.accountStyle
    this.map.setPaintProperty('accounts-circle', 'circle-color', (own.color ?? accountColorExpression(this.accountColors)) as never)
    this.map.setFilter('accounts-circle', (own.filter ?? null) as never)
    const stroke = own.stroke ?? accountStrokeExpression(this.accountColors)
    if (this.accountPick.length) {
      const picked = ['in', ['to-string', ['get', 'id']], ['literal', this.accountPick]]
      this.map.setPaintProperty('accounts-circle', 'circle-stroke-color', ['case', picked, '#111827', stroke] as never)
      this.map.setPaintProperty('accounts-circle', 'circle-stroke-width', [
        'interpolate', ['linear'], ['zoom'],
        3, ['case', picked, 2, 0.5],
        8, ['case', picked, 2.5, 0.8],
        12, ['case', picked, 3, 1],
      ] as never)
    } else {
      this.map.setPaintProperty('accounts-circle', 'circle-stroke-color', stroke as never)
      this.map.setPaintProperty('accounts-circle', 'circle-stroke-width', ['interpolate', ['linear'], ['zoom'], 3, 0.5, 8, 0.8, 12, 1] as never)
    }
    this.map.setLayoutProperty('accounts-circle', 'visibility', this.accountsVisible ? 'visible' : 'none')
  }

  setLabels(specs: LabelSpec[]): void {
    this.labels.set(specs)
  }

  setSelectedLabel(id: string | null): void {
    this.labels.setSelected(id)
  }

  /** Bounding box of the given units. */
  boundsOf(units: Iterable<number>): BBox | null {
    return unionBBox(this.unitBoxes, units)
  }

  /**
   * Shows b ([minLon, minLat, maxLon, maxLat]) and stops any automatic refit,
   * for explicit requests such as "zoom to selection".
   */
  fit(b: readonly number[] | null | undefined, animate = true): void {
    if (!validBounds(b)) return
    this.autoFit = false
    this.fitTo(b, animate)
  }

  /**
   * Shows the plan's bounds and keeps showing them while the container changes
   * size (panel shown or hidden, window resized, overlays opened), until the
   * user pans or zooms.
   */
  fitPlan(b: readonly number[] | null | undefined, animate = true): void {
    if (!validBounds(b)) return
    this.planBounds = [b[0], b[1], b[2], b[3]]
    this.autoFit = true
    this.fitTo(this.planBounds, animate)
  }

  /** Fits the plan again when it has not been moved by the user since it was last fitted. */
  refit(animate = false): void {
    if (this.autoFit && this.planBounds && !this.destroyed) this.fitTo(this.planBounds, animate)
  }

  private fitTo(b: BBox, animate: boolean): void {
    // The container may have changed size since MapLibre last measured it (its
    // own resize handling is asynchronous); fitting against a stale size
    // leaves part of the bounds outside the view.
    this.map.resize()
    const c = this.map.getContainer()
    const w = c.clientWidth
    const h = c.clientHeight
    if (w < 2 || h < 2) return
    this.map.fitBounds(b, { padding: fitPadding(w, h, this.opts.overlayInsets?.() ?? {}), maxZoom: 9, duration: animate ? 700 : 0 })
  }

  private onMove(e: maplibregl.MapMouseEvent): void {
    if (!this.styleReady()) return
    const layers = ['units-fill']
    if (this.map.getLayer('accounts-circle') && this.accountsVisible) layers.unshift('accounts-circle')
    const feats: MapGeoJSONFeature[] = this.map.queryRenderedFeatures(e.point, { layers })
    const acc = feats.find((f) => f.layer.id === 'accounts-circle') ?? null
    const unit = feats.find((f) => f.layer.id === 'units-fill') ?? null
    const uid = unit && typeof unit.id === 'number' ? unit.id : null
    if (uid !== this.hover) {
      if (this.hover !== null) this.map.setFeatureState({ source: 'units', id: this.hover }, { hover: false })
      if (uid !== null) this.map.setFeatureState({ source: 'units', id: uid }, { hover: true })
      this.hover = uid
    }
    this.map.getCanvas().style.cursor = uid !== null ? 'pointer' : ''
    if (uid === null && !acc) this.opts.onHover(null)
    else this.opts.onHover({ x: e.point.x, y: e.point.y, unit: uid, account: acc ? { ...acc.properties } : null })
  }

  private clearHover(): void {
    if (this.hover !== null && this.styleReady()) this.map.setFeatureState({ source: 'units', id: this.hover }, { hover: false })
    this.hover = null
    this.opts.onHover(null)
  }

  private onClick(e: maplibregl.MapMouseEvent): void {
    if (!this.styleReady()) return
    const f = this.map.queryRenderedFeatures(e.point, { layers: ['units-fill'] })[0]
    this.opts.onUnitClick(f && typeof f.id === 'number' ? f.id : null)
  }

  resize(): void {
    this.map.resize()
  }

  destroy(): void {
    this.destroyed = true
    this.resizeObserver?.disconnect()
    this.labels.destroy()
    this.map.remove()
  }
}

