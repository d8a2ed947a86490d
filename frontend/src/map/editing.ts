// Map layers and drawing tools for editing: free-drawn areas, the arcs and
// vertices of the drawn topology, picked units, and terra-draw for boxes,
// lassos, polygons and split lines. Sources are added once per style; later
// changes go through setData and feature-state.
import type maplibregl from 'maplibre-gl'
import type { GeoJSONSource, LayerSpecification } from 'maplibre-gl'
import {
  TerraDraw,
  TerraDrawFreehandMode,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawRectangleMode,
  type HexColor,
} from 'terra-draw'
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter'
import type { AreaProperties, DrawnArc, GeoJSONFeatureCollection } from '../api/types'
import { arcFeatures, vertexFeatures, type Pt } from '../edit/geometry'

const EMPTY = { type: 'FeatureCollection', features: [] } as const

/** Ids of the editing layers, bottom to top. */
export const EDIT_LAYERS = {
  pickedFill: 'edit-units-picked-fill',
  pickedLine: 'edit-units-picked-line',
  areasFill: 'edit-areas-fill',
  areasCasing: 'edit-areas-casing',
  areasLine: 'edit-areas-line',
  areasLocked: 'edit-areas-locked',
  arcs: 'edit-arcs',
  vertices: 'edit-vertices',
  hover: 'edit-vertex-hover',
} as const

const INK = '#1f2430'
const LOCKED = '#9ca3af'

/** The layers over the overlay layers (units, borders), bottom to top. */
export function editLayers(): LayerSpecification[] {
  const picked = ['boolean', ['feature-state', 'pick'], false]
  return [
    {
      id: EDIT_LAYERS.pickedFill,
      type: 'fill',
      source: 'units',
      paint: { 'fill-color': INK, 'fill-opacity': ['case', picked, 0.22, 0] as never },
    },
    {
      id: EDIT_LAYERS.pickedLine,
      type: 'line',
      source: 'units',
      paint: { 'line-color': INK, 'line-width': ['case', picked, 1.6, 0] as never, 'line-opacity': ['case', picked, 0.9, 0] as never },
    },
    {
      id: EDIT_LAYERS.areasFill,
      type: 'fill',
      source: 'edit-areas',
      paint: { 'fill-color': ['coalesce', ['get', 'color'], '#888888'] as never, 'fill-opacity': 0.38 },
    },
    {
      id: EDIT_LAYERS.areasCasing,
      type: 'line',
      source: 'edit-areas',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 4.5, 'line-opacity': 0.85 },
    },
    {
      id: EDIT_LAYERS.areasLine,
      type: 'line',
      source: 'edit-areas',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': ['coalesce', ['get', 'color'], INK] as never, 'line-width': 2.2 },
    },
    {
      id: EDIT_LAYERS.areasLocked,
      type: 'line',
      source: 'edit-areas',
      filter: ['==', ['get', 'locked'], true],
      paint: { 'line-color': INK, 'line-width': 1.2, 'line-dasharray': [2, 2] },
    },
    {
      id: EDIT_LAYERS.arcs,
      type: 'line',
      source: 'edit-arcs',
      layout: { 'line-join': 'round', visibility: 'none' },
      paint: { 'line-color': ['case', ['get', 'locked'], LOCKED, INK] as never, 'line-width': 2 },
    },
    {
      id: EDIT_LAYERS.vertices,
      type: 'circle',
      source: 'edit-vertices',
      layout: { visibility: 'none' },
      paint: {
        'circle-radius': ['case', ['get', 'end'], 5.5, 4.2] as never,
        'circle-color': ['case', ['get', 'locked'], '#e5e7eb', '#ffffff'] as never,
        'circle-stroke-color': ['case', ['get', 'locked'], LOCKED, INK] as never,
        'circle-stroke-width': 1.6,
      },
    },
    {
      id: EDIT_LAYERS.hover,
      type: 'circle',
      source: 'edit-hover',
      paint: { 'circle-radius': 8, 'circle-color': '#2563eb', 'circle-opacity': 0.25, 'circle-stroke-color': '#2563eb', 'circle-stroke-width': 2 },
    },
  ]
}

/** The editing sources and layers of one map. */
export class EditLayers {
  private areas: unknown = EMPTY
  private arcs: DrawnArc[] = []
  private vertexMode = false
  private hover: Pt | null = null
  private picked = new Set<number>()

  constructor(private map: maplibregl.Map) {}

  private ready(): boolean {
    return !!this.map.getSource('edit-areas')
  }

  /** Adds sources and layers after a style load (the units source must exist). */
  install(): void {
    const m = this.map
    if (!m.getSource('units')) return
    if (!m.getSource('edit-areas')) m.addSource('edit-areas', { type: 'geojson', data: this.areas as never })
    if (!m.getSource('edit-arcs')) m.addSource('edit-arcs', { type: 'geojson', data: arcFeatures(this.arcs) as never })
    if (!m.getSource('edit-vertices')) m.addSource('edit-vertices', { type: 'geojson', data: vertexFeatures(this.arcs) as never })
    if (!m.getSource('edit-hover')) m.addSource('edit-hover', { type: 'geojson', data: this.hoverData() as never })
    // Picked units and drawn areas go under the borders; arcs and vertices on top of everything.
    const below = m.getLayer('borders-edge') ? 'borders-edge' : undefined
    for (const layer of editLayers()) {
      if (m.getLayer(layer.id)) continue
      const top = layer.id === EDIT_LAYERS.arcs || layer.id === EDIT_LAYERS.vertices || layer.id === EDIT_LAYERS.hover
      m.addLayer(layer, top ? undefined : below)
    }
    this.applyVertexMode()
    for (const i of this.picked) m.setFeatureState({ source: 'units', id: i }, { pick: true })
  }

  /** Moves the arcs and vertices above layers added later (account circles). */
  raise(): void {
    if (!this.ready()) return
    for (const id of [EDIT_LAYERS.arcs, EDIT_LAYERS.vertices, EDIT_LAYERS.hover]) if (this.map.getLayer(id)) this.map.moveLayer(id)
  }

  /** The free-drawn areas (DrawnView.areas, or merged live polygons during a drag). */
  setAreas(fc: GeoJSONFeatureCollection<AreaProperties> | null | undefined): void {
    this.areas = fc ?? EMPTY
    if (this.ready()) (this.map.getSource('edit-areas') as GeoJSONSource).setData(this.areas as never)
  }

  /** The arcs of the drawn topology; their vertices are what the vertex tool drags. */
  setArcs(arcs: readonly DrawnArc[] | null | undefined): void {
    this.arcs = [...(arcs ?? [])]
    if (!this.ready()) return
    ;(this.map.getSource('edit-arcs') as GeoJSONSource).setData(arcFeatures(this.arcs) as never)
    ;(this.map.getSource('edit-vertices') as GeoJSONSource).setData(vertexFeatures(this.arcs) as never)
  }

  /** Shows or hides arcs and vertices (the vertex tool). */
  setVertexMode(on: boolean): void {
    this.vertexMode = on
    this.applyVertexMode()
    if (on) this.raise()
  }

  private applyVertexMode(): void {
    const v = this.vertexMode ? 'visible' : 'none'
    for (const id of [EDIT_LAYERS.arcs, EDIT_LAYERS.vertices]) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', v)
  }

  /** Highlights the vertex under the pointer (null hides the highlight). */
  setHover(p: Pt | null): void {
    if (p === this.hover || (p && this.hover && p[0] === this.hover[0] && p[1] === this.hover[1])) return
    this.hover = p
    if (this.ready()) (this.map.getSource('edit-hover') as GeoJSONSource).setData(this.hoverData() as never)
  }

  private hoverData(): unknown {
    return this.hover ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: this.hover } }] } : EMPTY
  }

  /** Outlines the picked units (unit indices). */
  setPicked(units: ReadonlySet<number>): void {
    const m = this.map
    if (m.getSource('units')) {
      for (const i of this.picked) if (!units.has(i)) m.setFeatureState({ source: 'units', id: i }, { pick: false })
      for (const i of units) if (!this.picked.has(i)) m.setFeatureState({ source: 'units', id: i }, { pick: true })
    }
    this.picked = new Set(units)
  }
}

/** What a drawing tool produced: a closed ring (box, lasso, polygon) or a line (split). */
export type DrawShape = { kind: 'ring'; mode: DrawMode; coords: Pt[] } | { kind: 'line'; mode: DrawMode; coords: Pt[] }

/** terra-draw modes the tools use. */
export type DrawMode = 'rectangle' | 'freehand' | 'polygon' | 'linestring'

const ACCENT = '#2563eb' as HexColor

/**
 * terra-draw over the map for boxes (click-drag), lassos (click-drag
 * freehand), polygons and lines. Only one shape exists at a time: it is
 * handed to onShape when finished and then cleared.
 */
export class DrawTools {
  private draw: TerraDraw | null = null
  private mode: DrawMode | null = null

  constructor(
    private map: maplibregl.Map,
    private onShape: (s: DrawShape) => void,
  ) {}

  private create(): TerraDraw {
    const styles = { fillColor: ACCENT, fillOpacity: 0.12, outlineColor: ACCENT, outlineWidth: 2 }
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map, prefixId: 'td' }),
      modes: [
        new TerraDrawRectangleMode({ drawInteraction: 'click-drag', styles }),
        // Small loops must work too: points near the start are kept (the default drops them).
        new TerraDrawFreehandMode({ drawInteraction: 'click-drag', minDistance: 5, preventPointsNearClose: false, styles: { ...styles, closingPointColor: ACCENT } }),
        new TerraDrawPolygonMode({ styles: { ...styles, closingPointColor: ACCENT, coordinatePointColor: ACCENT } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: ACCENT, lineStringWidth: 2.5, closingPointColor: ACCENT } }),
      ],
    })
    draw.on('finish', (id) => {
      const f = draw.getSnapshotFeature(id)
      const mode = this.mode
      // Clear after the mode has finished its own bookkeeping.
      setTimeout(() => {
        if (this.draw === draw && draw.enabled) draw.clear()
      }, 0)
      if (!f || !mode) return
      const g = f.geometry
      if (g.type === 'Polygon') this.onShape({ kind: 'ring', mode, coords: (g.coordinates[0] ?? []).map((p) => [p[0], p[1]] as Pt) })
      else if (g.type === 'LineString') this.onShape({ kind: 'line', mode, coords: g.coordinates.map((p) => [p[0], p[1]] as Pt) })
    })
    return draw
  }

  /** Switches to a drawing mode, or stops drawing with null. */
  setMode(mode: DrawMode | null): void {
    this.mode = mode
    if (!mode) {
      if (this.draw?.enabled) this.draw.stop()
      return
    }
    if (!this.map.isStyleLoaded() && !this.map.getSource('units')) return
    this.draw ??= this.create()
    if (!this.draw.enabled) this.draw.start()
    this.draw.setMode(mode)
  }

  /** Drops any shape being drawn (Escape). */
  cancel(): void {
    if (this.draw?.enabled) this.draw.clear()
  }

  /** Re-creates terra-draw after a style change removed its layers. */
  reinstall(): void {
    const mode = this.mode
    if (this.draw?.enabled) {
      try {
        this.draw.stop()
      } catch {
        // Its layers went with the old style.
      }
    }
    this.draw = null
    if (mode) this.setMode(mode)
  }

  destroy(): void {
    if (this.draw?.enabled) {
      try {
        this.draw.stop()
      } catch {
        // The map may already be gone.
      }
    }
    this.draw = null
  }
}
