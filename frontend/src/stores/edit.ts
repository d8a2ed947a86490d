// View state of live editing: the tool in hand, the territory being painted,
// the picked units and accounts, the figures at the start of the current
// gesture, undo/redo state and the drawn topology as Go last reported it.
// Every edit goes to EditService; what it returns replaces the plan store's
// rows and alignment, so the page never keeps a second copy of the plan.
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import {
  EditService,
  PlanService,
  hasEditService,
  messageOf,
  type BalanceView,
  type DragInfo,
  type DrawnArc,
  type DrawnView,
  type EditResult,
  type HistoryEntry,
  type LiveUpdate,
  type LngLatList,
  type MetricInfo,
  type NewTerritory,
  type PlanSettings,
  type TerritoryUpdate,
  type UndoState,
  type VertexRef,
} from '../api'
import { DEFAULT_BANDS, learnMetrics, takeSnapshot, type MetricSetId, type Snapshot } from '../edit/figures'
import { applyUnitChanges, mergeRows, NO_UNDO, undoStateFromHistory } from '../edit/rows'
import { mergeAreas, moveVertex, type Pt } from '../edit/geometry'
import { OneInFlight, mergeIds } from '../edit/throttle'
import type { MetricColouring } from '../edit/colour'
import { usePlanStore } from './plan'
import { useViewStore } from './view'

/** The editing tools of the map tool bar. */
export type Tool = 'select' | 'paint' | 'box' | 'lasso' | 'draw' | 'vertex' | 'split' | 'accounts'

export const TOOLS: readonly Tool[] = ['select', 'paint', 'box', 'lasso', 'draw', 'vertex', 'split', 'accounts']

/** Keyboard shortcut of each tool (without modifiers). */
export const TOOL_KEYS: Readonly<Record<Tool, string>> = {
  select: 'v',
  paint: 'b',
  box: 'r',
  lasso: 'l',
  draw: 'd',
  vertex: 'e',
  split: 'x',
  accounts: 'm',
}

/** Largest number of account ids asked for when lassoing accounts. */
export const ACCOUNT_PICK_LIMIT = 5000

/** Shortest time between two requests of one paint stroke. */
const STROKE_INTERVAL_MS = 90

/** Delay before re-reading the alignment (borders, labels) after unit edits settle. */
const ALIGNMENT_REFRESH_MS = 250

export const useEditStore = defineStore('edit', () => {
  const plan = usePlanStore()
  const view = useViewStore()

  const tool = ref<Tool>('select')
  /** Territory that Paint assigns units to ("" = unassign). */
  const activeId = ref('')
  /** Units picked by box, lasso or clicks (uids). */
  const pickedUnits = ref<string[]>([])
  /** Accounts picked in the Move accounts tool (ids) and how many the lasso held in all. */
  const pickedAccounts = ref<string[]>([])
  const pickedAccountCount = ref(0)
  /** Territories selected together in the panel (for merging). */
  const multi = ref<string[]>([])
  /** Figures when the current (or last) gesture began. */
  const snapshot = shallowRef<Snapshot | null>(null)
  const gestureActive = ref(false)
  const undo = ref<UndoState>({ ...NO_UNDO })
  const balance = shallowRef<BalanceView | null>(null)
  const drawn = shallowRef<DrawnView | null>(null)
  const history = shallowRef<HistoryEntry[]>([])
  const baselineId = ref('')
  const metricSet = ref<MetricSetId>('sales')
  const colouring = ref<MetricColouring>({ metric: 'potential', by: 'value' })
  /** Number of edit requests running. */
  const pending = ref(0)
  /** The vertex being dragged, with the territories whose outline moves. */
  const drag = shallowRef<(DragInfo & { ref: VertexRef }) | null>(null)
  /** Accounts moved since the drag began (LiveUpdate.accountsMoved). */
  const dragAccountsMoved = ref(0)
  /** Kind of the last edit applied (for tests and the status line). */
  const lastKind = ref('')
  /** The plan's assumptions (bands, weights, call plans) and the figures rows carry. */
  const planSettings = shallowRef<PlanSettings | null>(null)
  const metricInfo = shallowRef<MetricInfo[]>([])
  /** Number of edit results applied since the page loaded (the history popover re-reads on change). */
  const applied = ref(0)

  const available = ref(false)
  const readOnly = computed(() => !!plan.info?.readOnly)
  const canEdit = computed(() => available.value && plan.isOpen && !readOnly.value)
  const arcs = computed<DrawnArc[]>(() => drawn.value?.arcs ?? [])
  /** Deviation bands of the plan (fractions), the defaults until Go has said. */
  const bands = computed<readonly number[]>(() => (planSettings.value?.bands?.length ? planSettings.value.bands : DEFAULT_BANDS))
  const territories = computed(() => (plan.alignment?.territories ?? []).filter((t) => t.kind === 'territory'))
  const activeTerritory = computed(() => territories.value.find((t) => t.id === activeId.value) ?? null)

  let alignmentTimer: ReturnType<typeof setTimeout> | null = null
  /** Version to show once the stroke ends (account tiles are not reloaded mid-stroke). */
  let heldVersion: number | null = null

  function notifyError(e: unknown): void {
    view.notify('error', messageOf(e))
  }

  /** Starts a gesture: the panel shows changes relative to the figures now. */
  function beginGesture(): void {
    snapshot.value = markRaw(takeSnapshot(plan.rows))
    gestureActive.value = true
  }

  /** Ends the gesture; its starting figures stay so the panel keeps showing what it changed. */
  function endGesture(): void {
    gestureActive.value = false
    if (heldVersion !== null && plan.alignment) {
      plan.alignment = markRaw({ ...plan.alignment, version: heldVersion })
      heldVersion = null
    }
  }

  async function reloadAlignment(): Promise<void> {
    if (alignmentTimer) clearTimeout(alignmentTimer)
    alignmentTimer = null
    plan.alignment = markRaw(await PlanService.Alignment())
  }

  function scheduleAlignment(): void {
    if (alignmentTimer) clearTimeout(alignmentTimer)
    alignmentTimer = setTimeout(() => {
      alignmentTimer = null
      if (gestureActive.value) return scheduleAlignment()
      reloadAlignment().catch(notifyError)
    }, ALIGNMENT_REFRESH_MS)
  }

  async function reloadDrawn(): Promise<void> {
    if (!available.value || !plan.isOpen) {
      drawn.value = null
      return
    }
    drawn.value = markRaw(await EditService.Drawn())
  }

  /** Reads the plan's assumptions, its figures and its balance; a Go side without them leaves the defaults. */
  async function reloadFigures(): Promise<void> {
    if (!available.value || !plan.isOpen) {
      planSettings.value = null
      return
    }
    const [st, ms, bal] = await Promise.all([
      EditService.Settings().catch(() => null),
      EditService.Metrics().catch(() => [] as MetricInfo[]),
      EditService.Balance().catch(() => null),
    ])
    planSettings.value = st ? markRaw(st) : null
    metricInfo.value = markRaw(ms)
    learnMetrics(ms)
    if (bal) balance.value = markRaw(bal)
  }

  async function reloadHistory(): Promise<void> {
    if (!available.value || !plan.isOpen) {
      history.value = []
      undo.value = { ...NO_UNDO }
      return
    }
    history.value = markRaw(await EditService.History())
    undo.value = undoStateFromHistory(history.value)
  }

  /** Takes in what an edit returned: rows, balance, undo state, unit colours, and re-reads what it says changed. */
  async function apply(r: EditResult): Promise<void> {
    lastKind.value = r.kind
    applied.value++
    if (r.rows) plan.rows = markRaw(r.rows)
    balance.value = r.balance ? markRaw(r.balance) : null
    if (r.undo) undo.value = r.undo
    const al = plan.alignment
    const waits: Promise<void>[] = []
    if (r.structure || !al) waits.push(reloadAlignment())
    else {
      const unitsChanged = !!r.units?.length
      if (gestureActive.value && unitsChanged) {
        heldVersion = r.version
        plan.alignment = markRaw(applyUnitChanges(al, r.units))
      } else {
        heldVersion = null
        plan.alignment = markRaw(applyUnitChanges(al, r.units, r.version))
      }
      if (unitsChanged) scheduleAlignment()
    }
    // Drawn areas carry their territory's colour and lock: a structural edit may change them too.
    if (r.drawn || (r.structure && (drawn.value?.areas?.features?.length ?? 0) > 0)) waits.push(reloadDrawn())
    if (r.settings) waits.push(reloadFigures())
    if (r.structure) prune()
    await Promise.all(waits)
  }

  /** Forgets picks and selections of nodes that no longer exist. */
  function prune(): void {
    const ids = new Set((plan.alignment?.territories ?? []).map((t) => t.id))
    if (activeId.value && !ids.has(activeId.value)) activeId.value = ''
    multi.value = multi.value.filter((id) => ids.has(id))
    if (view.selectedId && !ids.has(view.selectedId)) view.select(null)
  }

  /**
   * Runs one edit as its own gesture (unless one is running): errors, such
   * as a lock refusing the edit, become notices with Go's message. Resolves
   * with the result, or null when the edit was refused.
   */
  async function run(fn: () => Promise<EditResult>): Promise<EditResult | null> {
    if (!canEdit.value) return null
    const own = !gestureActive.value
    if (own) beginGesture()
    pending.value++
    try {
      const r = await fn()
      await apply(r)
      return r
    } catch (e) {
      notifyError(e)
      return null
    } finally {
      pending.value--
      if (own) endGesture()
    }
  }

  // Edits ------------------------------------------------------------------

  const paintUnits = (uids: string[], territoryId: string) => run(() => EditService.PaintUnits(uids, territoryId))
  const moveAccounts = (ids: string[], territoryId: string) => run(() => EditService.MoveAccounts(ids, territoryId))
  const setUnitLocks = (uids: string[], locked: boolean) => run(() => EditService.SetUnitLocks(uids, locked))
  const setAccountLocks = (ids: string[], locked: boolean) => run(() => EditService.SetAccountLocks(ids, locked))
  const createTerritory = (t: NewTerritory) => run(() => EditService.CreateTerritory(t))
  const updateTerritory = (id: string, u: TerritoryUpdate) => run(() => EditService.UpdateTerritory(id, u))
  const deleteTerritory = (id: string, moveTo: string) => run(() => EditService.DeleteTerritory(id, moveTo))
  const mergeTerritories = (into: string, others: string[]) => run(() => EditService.MergeTerritories(into, others))
  const drawArea = (id: string, ring: LngLatList) => run(() => EditService.DrawArea(id, ring))
  const splitTerritory = (id: string, line: LngLatList, name: string) => run(() => EditService.SplitTerritory(id, line, name))
  const insertVertex = (arc: number, after: number, lon: number, lat: number) => run(() => EditService.InsertVertex(arc, after, lon, lat))
  const removeVertex = (v: VertexRef) => run(() => EditService.RemoveVertex(v))

  async function undoEdit(): Promise<void> {
    if (!undo.value.canUndo || drag.value) return
    await run(() => EditService.Undo())
  }
  async function redoEdit(): Promise<void> {
    if (!undo.value.canRedo || drag.value) return
    await run(() => EditService.Redo())
  }

  async function setBaseline(id: string): Promise<void> {
    try {
      const rows = await EditService.SetBaseline(id)
      baselineId.value = id
      if (rows.length) plan.rows = markRaw(rows)
    } catch (e) {
      notifyError(e)
    }
  }

  // Paint strokes ----------------------------------------------------------

  let stroke: OneInFlight<string[], EditResult> | null = null
  /** Units of the stroke Go accepted, and how many edits that took. */
  let strokeDone: { target: string; uids: string[]; edits: number } | null = null

  /**
   * Starts a paint stroke: units added with strokeAdd go to Go in batches,
   * one request at a time and at most every STROKE_INTERVAL_MS, so the
   * panel's figures follow the stroke. When it ends, the stroke's edits are
   * folded into one step of the history.
   */
  function strokeBegin(): boolean {
    if (!canEdit.value || stroke) return false
    beginGesture()
    const target = activeId.value
    const done = { target, uids: [] as string[], edits: 0 }
    strokeDone = done
    let last = 0
    stroke = new OneInFlight<string[], EditResult>(
      (uids) => {
        pending.value++
        return EditService.PaintUnits(uids, target).finally(() => pending.value--)
      },
      (r, uids) => {
        done.edits++
        done.uids = mergeIds(done.uids, uids)
        void apply(r).catch(notifyError)
      },
      (e) => notifyError(e),
      mergeIds,
      (cb) => {
        const wait = Math.max(0, last + STROKE_INTERVAL_MS - Date.now())
        setTimeout(() => {
          last = Date.now()
          cb()
        }, wait)
      },
    )
    return true
  }

  function strokeAdd(uids: string[]): void {
    if (uids.length) stroke?.push(uids)
  }

  async function strokeEnd(): Promise<void> {
    const s = stroke
    const done = strokeDone
    if (!s) return
    try {
      await s.flush()
      if (done && done.edits > 1) await foldStroke(done)
    } finally {
      stroke = null
      strokeDone = null
      endGesture()
    }
  }

  /** Replaces a stroke's edits by one edit painting all its units, so one Undo takes the stroke back. */
  async function foldStroke(done: { target: string; uids: string[]; edits: number }): Promise<void> {
    pending.value++
    try {
      for (let i = 0; i < done.edits; i++) await EditService.Undo()
      await apply(await EditService.PaintUnits(done.uids, done.target))
    } catch (e) {
      notifyError(e)
      // Show whatever state Go is in now.
      await Promise.all([reloadAlignment(), reloadHistory(), PlanService.Territories().then((rows) => (plan.rows = markRaw(rows)))]).catch(() => {})
    } finally {
      pending.value--
    }
  }

  // Vertex drags -----------------------------------------------------------

  let dragSteps: OneInFlight<Pt, LiveUpdate> | null = null
  /** The arcs before the drag, to put back when it is cancelled. */
  let arcsBefore: DrawnView | null = null

  /** Starts dragging a vertex; false when Go refuses (a locked territory), with a notice. */
  async function dragBegin(ref: VertexRef): Promise<boolean> {
    if (!canEdit.value || drag.value) return false
    try {
      const info = await EditService.BeginDrag(ref)
      beginGesture()
      drag.value = markRaw({ ...info, ref })
      dragAccountsMoved.value = 0
      arcsBefore = drawn.value
      dragSteps = new OneInFlight<Pt, LiveUpdate>(
        (p) => EditService.DragTo(p[0], p[1]),
        (u) => live(u),
        (e) => notifyError(e),
      )
      return true
    } catch (e) {
      notifyError(e)
      return false
    }
  }

  /** Moves the dragged vertex to p: shown at once, sent to Go at most one request at a time. */
  function dragMove(p: Pt): void {
    const d = drag.value
    if (!d || !dragSteps) return
    const dv = drawn.value
    if (dv?.arcs) drawn.value = markRaw({ ...dv, arcs: moveVertex(dv.arcs, d.ref, p) })
    // Keep the ref on the same vertex: its index does not change while dragging.
    dragSteps.push(p)
  }

  /** Shows one drag step: changed rows, balance and the touched polygons. */
  function live(u: LiveUpdate): void {
    if (!drag.value) return
    if (u.rows?.length) plan.rows = markRaw(mergeRows(plan.rows, u.rows))
    if (u.balance) balance.value = markRaw(u.balance)
    dragAccountsMoved.value = u.accountsMoved
    const dv = drawn.value
    if (dv && u.areas) drawn.value = markRaw({ ...dv, areas: mergeAreas(dv.areas, u.areas) })
  }

  /** Ends the drag: commit saves it as one edit, otherwise the vertex goes back. */
  async function dragEnd(commit: boolean): Promise<void> {
    if (!drag.value) return
    const steps = dragSteps
    if (commit) await steps?.flush()
    else steps?.discard()
    steps?.close()
    dragSteps = null
    pending.value++
    try {
      const r = await EditService.EndDrag(commit)
      drag.value = null
      await apply(r)
      // A cancelled drag may report no drawn change; put the arcs back regardless.
      if (!commit && !r.drawn) await reloadDrawn()
    } catch (e) {
      drag.value = null
      notifyError(e)
      if (arcsBefore) drawn.value = arcsBefore
      await reloadDrawn().catch(() => {})
    } finally {
      pending.value--
      arcsBefore = null
      endGesture()
    }
  }

  // Picks ------------------------------------------------------------------

  function pickUnits(uids: string[], add = false): void {
    pickedUnits.value = add ? mergeIds(pickedUnits.value, uids) : [...new Set(uids)]
  }
  function togglePickedUnit(uid: string): void {
    pickedUnits.value = pickedUnits.value.includes(uid) ? pickedUnits.value.filter((u) => u !== uid) : [...pickedUnits.value, uid]
  }
  function pickAccounts(ids: string[], count: number, add = false): void {
    if (add) {
      const merged = mergeIds(pickedAccounts.value, ids)
      pickedAccountCount.value = Math.max(merged.length, pickedAccountCount.value + count - (pickedAccounts.value.length + ids.length - merged.length))
      pickedAccounts.value = merged
    } else {
      pickedAccounts.value = [...new Set(ids)]
      pickedAccountCount.value = Math.max(count, pickedAccounts.value.length)
    }
  }
  function togglePickedAccount(id: string): void {
    if (pickedAccounts.value.includes(id)) {
      pickedAccounts.value = pickedAccounts.value.filter((a) => a !== id)
      pickedAccountCount.value = Math.max(0, pickedAccountCount.value - 1)
    } else {
      pickedAccounts.value = [...pickedAccounts.value, id]
      pickedAccountCount.value++
    }
  }
  function clearPicks(): void {
    pickedUnits.value = []
    pickedAccounts.value = []
    pickedAccountCount.value = 0
  }
  function toggleMulti(id: string): void {
    multi.value = multi.value.includes(id) ? multi.value.filter((x) => x !== id) : [...multi.value, id]
  }

  function setTool(t: Tool): void {
    if (t !== 'select' && !canEdit.value) return
    if (drag.value) return
    tool.value = t
    if (t === 'paint' && !territories.value.some((x) => x.id === activeId.value)) {
      // Paint with the selected territory, else the first one; "(unassign)" must be chosen on purpose.
      const sel = territories.value.find((x) => x.id === view.selectedId)
      activeId.value = sel?.id ?? territories.value[0]?.id ?? ''
    }
  }

  // Plan and scenario changes ----------------------------------------------

  async function reset(): Promise<void> {
    available.value = hasEditService()
    tool.value = 'select'
    clearPicks()
    multi.value = []
    snapshot.value = null
    gestureActive.value = false
    balance.value = null
    baselineId.value = ''
    drag.value = null
    activeId.value = ''
    heldVersion = null
    await Promise.all([reloadHistory(), reloadDrawn(), reloadFigures()]).catch(notifyError)
  }

  // A string key: re-reading the same plan (a new info object) must not reset the tools.
  watch(
    () => `${plan.isOpen}\u0000${plan.info?.path ?? ''}\u0000${plan.info?.activeScenario ?? ''}`,
    () => void reset(),
    { immediate: true },
  )
  // The same plan and scenario read again (after an import, say): keep the tool and picks, refresh what Go holds.
  watch(
    () => plan.info,
    (now, before) => {
      if (!now?.open || !before?.open || now === before) return
      if (now.path !== before.path || now.activeScenario !== before.activeScenario) return
      available.value = hasEditService()
      void Promise.all([reloadHistory(), reloadDrawn(), reloadFigures()]).catch(notifyError)
    },
  )

  return {
    tool,
    activeId,
    activeTerritory,
    territories,
    pickedUnits,
    pickedAccounts,
    pickedAccountCount,
    multi,
    snapshot,
    gestureActive,
    undo,
    balance,
    drawn,
    arcs,
    bands,
    planSettings,
    metricInfo,
    history,
    baselineId,
    metricSet,
    colouring,
    pending,
    drag,
    dragAccountsMoved,
    lastKind,
    applied,
    available,
    readOnly,
    canEdit,
    beginGesture,
    endGesture,
    apply,
    run,
    reloadAlignment,
    reloadDrawn,
    reloadHistory,
    reloadFigures,
    reset,
    paintUnits,
    moveAccounts,
    setUnitLocks,
    setAccountLocks,
    createTerritory,
    updateTerritory,
    deleteTerritory,
    mergeTerritories,
    drawArea,
    splitTerritory,
    insertVertex,
    removeVertex,
    undoEdit,
    redoEdit,
    setBaseline,
    strokeBegin,
    strokeAdd,
    strokeEnd,
    dragBegin,
    dragMove,
    dragEnd,
    pickUnits,
    togglePickedUnit,
    pickAccounts,
    togglePickedAccount,
    clearPicks,
    toggleMulti,
    setTool,
  }
})
