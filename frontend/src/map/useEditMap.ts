// Wires the editing tools to the map: pointer handling for painting, picking
// and vertex drags, terra-draw shapes for boxes, lassos, polygons and split
// lines, and the layers that show drawn areas, arcs and picks.
import { computed, watch, type WatchStopHandle } from 'vue'
import type maplibregl from 'maplibre-gl'
import { EditService, messageOf } from '../api'
import { ACCOUNT_PICK_LIMIT, useEditStore, type Tool } from '../stores/edit'
import { usePlanStore } from '../stores/plan'
import { useViewStore } from '../stores/view'
import { useEditActions } from '../edit/actions'
import { closeRing, nearestArcSegment, nearestVertex, type Pt } from '../edit/geometry'
import { DrawTools, EditLayers, type DrawMode, type DrawShape } from './editing'
import type { PlanMap } from './controller'

/** Pixels within which the pointer hits a vertex or an arc. */
const VERTEX_HIT_PX = 9
const ARC_HIT_PX = 7

/** terra-draw mode of each drawing tool. */
const DRAW_MODE: Partial<Record<Tool, DrawMode>> = {
  box: 'rectangle',
  lasso: 'freehand',
  draw: 'polygon',
  split: 'linestring',
  accounts: 'freehand',
}

export interface EditMapOptions {
  /** The colour a unit has by its territory now (to undo a refused paint preview). */
  unitColour: (unit: number) => string | null
}

/** Editing on one map; call styleReady() after every style load and destroy() when the map goes. */
export function useEditMap(pm: PlanMap, opts: EditMapOptions) {
  const edit = useEditStore()
  const plan = usePlanStore()
  const view = useViewStore()
  const actions = useEditActions()
  const map: maplibregl.Map = pm.map
  const container = map.getContainer()
  const layers = new EditLayers(map)
  const draw = new DrawTools(map, (s) => void onShape(s))
  const stops: WatchStopHandle[] = []
  let shift = false
  let space = false

  const uidToIndex = computed(() => {
    const m = new Map<string, number>()
    plan.units?.features.forEach((f, i) => m.set(f.properties.uid, typeof f.id === 'number' ? f.id : i))
    return m
  })
  const uidOf = (i: number): string | null => plan.units?.features[i]?.properties.uid ?? null

  function unitAt(p: { x: number; y: number }): number | null {
    if (!map.getLayer('units-fill')) return null
    const f = map.queryRenderedFeatures([p.x, p.y], { layers: ['units-fill'] })[0]
    return f && typeof f.id === 'number' ? f.id : null
  }

  function accountAt(p: { x: number; y: number }): { id: string; n: number } | null {
    if (!map.getLayer('accounts-circle')) return null
    const box: [[number, number], [number, number]] = [
      [p.x - 4, p.y - 4],
      [p.x + 4, p.y + 4],
    ]
    const f = map.queryRenderedFeatures(box, { layers: ['accounts-circle'] })[0]
    if (!f) return null
    return { id: String(f.properties?.id ?? ''), n: Number(f.properties?.n ?? 1) }
  }

  const project = (ll: Pt): Pt => {
    const q = map.project(ll)
    return [q.x, q.y]
  }

  function setHoverKind(k: '' | 'vertex' | 'arc' | 'locked'): void {
    if (container.dataset.hover !== k) container.dataset.hover = k
  }

  // Paint strokes ----------------------------------------------------------

  let painting = false
  const stroked = new Set<number>()
  let lastPaint: { x: number; y: number } | null = null

  function paintAt(p: { x: number; y: number }): void {
    const u = unitAt(p)
    if (u === null || stroked.has(u)) return
    const target = edit.activeId
    const ti = target ? plan.territoryIndex.get(target) ?? -1 : -1
    if ((plan.alignment?.unitTerritory?.[u] ?? -1) === ti) return
    const uid = uidOf(u)
    if (!uid) return
    stroked.add(u)
    // Shown at once; Go's answer recolours it for good (or the refusal puts it back).
    const colour = target ? plan.alignment?.territories?.[ti]?.color ?? null : null
    map.setFeatureState({ source: 'units', id: u }, { color: colour })
    edit.strokeAdd([uid])
  }

  /** Paints every unit along the segment from the last point to p, so fast strokes skip none. */
  function paintAlong(p: { x: number; y: number }): void {
    const a = lastPaint ?? p
    const steps = Math.max(1, Math.ceil(Math.hypot(p.x - a.x, p.y - a.y) / 6))
    for (let i = 1; i <= steps; i++) paintAt({ x: a.x + ((p.x - a.x) * i) / steps, y: a.y + ((p.y - a.y) * i) / steps })
    lastPaint = p
  }

  async function endStroke(): Promise<void> {
    if (!painting) return
    painting = false
    lastPaint = null
    await edit.strokeEnd()
    // Units Go refused keep their real colour.
    const ut = plan.alignment?.unitTerritory ?? []
    const ti = edit.activeId ? plan.territoryIndex.get(edit.activeId) ?? -1 : -1
    for (const u of stroked) if ((ut[u] ?? -1) !== ti) map.setFeatureState({ source: 'units', id: u }, { color: opts.unitColour(u) })
    stroked.clear()
  }

  // Vertex drags -----------------------------------------------------------

  type DragState = { phase: 'starting' | 'dragging'; moved: boolean; last: Pt | null; released: boolean }
  let vdrag: DragState | null = null

  async function startVertexDrag(ref: { arc: number; index: number }, at: Pt): Promise<void> {
    vdrag = { phase: 'starting', moved: false, last: null, released: false }
    layers.setHover(at)
    const ok = await edit.dragBegin(ref)
    const st = vdrag
    if (!ok || !st) {
      vdrag = null
      map.dragPan.enable()
      return
    }
    st.phase = 'dragging'
    if (st.last) edit.dragMove(st.last)
    if (st.released) await finishVertexDrag(st.moved)
  }

  async function finishVertexDrag(commit: boolean): Promise<void> {
    const st = vdrag
    if (!st) return
    if (st.phase === 'starting') {
      st.released = true
      return
    }
    vdrag = null
    map.dragPan.enable()
    layers.setHover(null)
    await edit.dragEnd(commit)
  }

  // Pointer events ---------------------------------------------------------

  /** Where the button went down and whether the pointer travelled since (a drag, not a click). */
  let downAt: { x: number; y: number } | null = null
  let travelled = false

  function onDown(e: maplibregl.MapMouseEvent): void {
    const ev = e.originalEvent
    downAt = { x: e.point.x, y: e.point.y }
    travelled = false
    if (ev.button !== 0 || space) return
    const p: Pt = [e.lngLat.lng, e.lngLat.lat]
    if (edit.tool === 'paint' && edit.canEdit) {
      e.preventDefault()
      if (!edit.strokeBegin()) return
      painting = true
      stroked.clear()
      lastPaint = null
      paintAlong(e.point)
    } else if (edit.tool === 'vertex' && edit.canEdit) {
      const hit = nearestVertex([e.point.x, e.point.y], edit.arcs, project, VERTEX_HIT_PX)
      if (!hit) return
      e.preventDefault()
      if (ev.altKey) {
        void edit.removeVertex({ arc: hit.arc, index: hit.index })
        return
      }
      map.dragPan.disable()
      const arc = edit.arcs.find((a) => a.id === hit.arc)
      void startVertexDrag({ arc: hit.arc, index: hit.index }, arc ? arc.coords[hit.index] : p)
    }
  }

  function onMove(e: maplibregl.MapMouseEvent): void {
    if (downAt && (e.originalEvent.buttons & 1) && Math.hypot(e.point.x - downAt.x, e.point.y - downAt.y) > 4) travelled = true
    if (painting) {
      paintAlong(e.point)
      return
    }
    if (vdrag) {
      const p: Pt = [e.lngLat.lng, e.lngLat.lat]
      vdrag.moved = true
      vdrag.last = p
      layers.setHover(p)
      if (vdrag.phase === 'dragging') edit.dragMove(p)
      return
    }
    if (edit.tool === 'vertex') {
      const hit = nearestVertex([e.point.x, e.point.y], edit.arcs, project, VERTEX_HIT_PX)
      if (hit) {
        const arc = edit.arcs.find((a) => a.id === hit.arc)
        layers.setHover(arc ? arc.coords[hit.index] : null)
        setHoverKind(hit.locked ? 'locked' : 'vertex')
        return
      }
      layers.setHover(null)
      setHoverKind(nearestArcSegment([e.point.x, e.point.y], edit.arcs, project, ARC_HIT_PX) ? 'arc' : '')
    } else if (edit.tool === 'accounts') {
      setHoverKind(accountAt(e.point) ? 'vertex' : '')
    }
  }

  function onUp(): void {
    if (painting) void endStroke()
    else if (vdrag) void finishVertexDrag(vdrag.moved)
  }

  function onClick(e: maplibregl.MapMouseEvent): void {
    // The end of a lasso that came back to its start is not a click.
    if (travelled) return
    const t = edit.tool
    if (t === 'box' || t === 'lasso') {
      const u = unitAt(e.point)
      const uid = u === null ? null : uidOf(u)
      if (!uid) {
        if (!shift) edit.clearPicks()
        return
      }
      if (shift || e.originalEvent.ctrlKey || e.originalEvent.metaKey) edit.togglePickedUnit(uid)
      else edit.pickUnits([uid])
    } else if (t === 'accounts') {
      const a = accountAt(e.point)
      if (!a) {
        if (!shift) edit.clearPicks()
        return
      }
      if (a.n > 1 || !a.id) {
        view.notify('info', actions.t('edit.accounts.zoomIn'))
        return
      }
      if (shift || e.originalEvent.ctrlKey || e.originalEvent.metaKey) edit.togglePickedAccount(a.id)
      else edit.pickAccounts([a.id], 1)
    }
  }

  function onDblClick(e: maplibregl.MapMouseEvent): void {
    if (edit.tool !== 'vertex' || !edit.canEdit) return
    e.preventDefault()
    if (nearestVertex([e.point.x, e.point.y], edit.arcs, project, VERTEX_HIT_PX)) return
    const hit = nearestArcSegment([e.point.x, e.point.y], edit.arcs, project, ARC_HIT_PX)
    if (!hit) return
    const ll = map.unproject(hit.point)
    void edit.insertVertex(hit.arc, hit.after, ll.lng, ll.lat)
  }

  function onContext(e: maplibregl.MapMouseEvent): void {
    if (edit.tool !== 'vertex' || !edit.canEdit) return
    const hit = nearestVertex([e.point.x, e.point.y], edit.arcs, project, VERTEX_HIT_PX)
    if (!hit) return
    e.originalEvent.preventDefault()
    void edit.removeVertex({ arc: hit.arc, index: hit.index })
  }

  function onKeyDown(e: KeyboardEvent): void {
    shift = e.shiftKey
    if (e.key === ' ' && !space && (edit.tool === 'paint' || edit.tool === 'vertex')) {
      const tag = (e.target as HTMLElement | null)?.tagName
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return
      space = true
      container.dataset.pan = '1'
      e.preventDefault()
    }
    if (e.key === 'Escape') {
      if (vdrag) {
        e.stopImmediatePropagation()
        const st = vdrag
        if (st.phase === 'starting') {
          st.released = true
          st.moved = false
        } else void finishVertexDrag(false)
      } else draw.cancel()
    }
  }
  function onKeyUp(e: KeyboardEvent): void {
    shift = e.shiftKey
    if (e.key === ' ') {
      space = false
      delete container.dataset.pan
    }
  }

  // Shapes from terra-draw -------------------------------------------------

  async function onShape(s: DrawShape): Promise<void> {
    const t = edit.tool
    try {
      if (s.kind === 'ring' && (t === 'box' || t === 'lasso')) {
        const ring = closeRing(s.coords)
        if (!ring.length) return
        const uids = await EditService.SelectUnits(ring)
        edit.pickUnits(uids, shift)
      } else if (s.kind === 'ring' && t === 'accounts') {
        const ring = closeRing(s.coords)
        if (!ring.length) return
        const sel = await EditService.SelectAccounts(ring, ACCOUNT_PICK_LIMIT)
        edit.pickAccounts(sel.ids, sel.count, shift)
      } else if (s.kind === 'ring' && t === 'draw') {
        await actions.drawnShape(closeRing(s.coords))
      } else if (s.kind === 'line' && t === 'split') {
        await actions.splitWith(s.coords)
      }
    } catch (e) {
      view.notify('error', messageOf(e))
    }
  }

  // Wiring -----------------------------------------------------------------

  map.on('mousedown', onDown)
  map.on('mousemove', onMove)
  map.on('click', onClick)
  map.on('dblclick', onDblClick)
  map.on('contextmenu', onContext)
  window.addEventListener('mouseup', onUp)
  window.addEventListener('keydown', onKeyDown, true)
  window.addEventListener('keyup', onKeyUp)

  stops.push(
    watch(
      () => edit.tool,
      (t) => {
        container.dataset.tool = t
        setHoverKind('')
        layers.setHover(null)
        layers.setVertexMode(t === 'vertex')
        draw.setMode(DRAW_MODE[t] ?? null)
      },
      { immediate: true },
    ),
    watch(
      () => edit.drawn,
      (d) => {
        layers.setAreas(d?.areas)
        layers.setArcs(d?.arcs)
      },
      { immediate: true },
    ),
    watch(
      () => [edit.pickedUnits, uidToIndex.value] as const,
      ([uids, idx]) => layers.setPicked(new Set(uids.map((u) => idx.get(u)).filter((i): i is number => i !== undefined))),
      { immediate: true },
    ),
    watch(
      () => edit.pickedAccounts,
      (ids) => pm.setAccountHighlight(ids.slice(0, 2000)),
      { immediate: true },
    ),
    watch(
      () => plan.alignment?.version,
      () => layers.raise(),
    ),
  )

  return {
    /** Adds the editing layers after a style load. */
    styleReady(): void {
      layers.install()
      const d = edit.drawn
      layers.setAreas(d?.areas)
      layers.setArcs(d?.arcs)
      layers.setVertexMode(edit.tool === 'vertex')
      draw.reinstall()
    },
    destroy(): void {
      for (const s of stops) s()
      map.off('mousedown', onDown)
      map.off('mousemove', onMove)
      map.off('click', onClick)
      map.off('dblclick', onDblClick)
      map.off('contextmenu', onContext)
      window.removeEventListener('mouseup', onUp)
      window.removeEventListener('keydown', onKeyDown, true)
      window.removeEventListener('keyup', onKeyUp)
      draw.destroy()
    },
  }
}
