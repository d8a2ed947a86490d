// View state of the planning model: the model drawer (assumptions, alerts,
// quotas, reps), how the map shows accounts (by tier, filtered, as a
// potential heat map, white space), and the alerts, segments, quotas and reps
// as Go last reported them. Alerts and segments are re-read after every edit;
// quotas and reps while their tab is open. The plan's assumptions themselves
// are the edit store's planSettings; Apply goes through EditService.SetSettings
// like any edit.
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import { EditService, PlanService, messageOf, type RepInfo } from '../api'
import {
  ModelService,
  defaultSettingsFromGo,
  hasModelService,
  type AlertsView,
  type ModelSettings,
  type QuotaPeriod,
  type QuotaView,
  type TiersView,
} from '../api/modelApi'
import { DEFAULT_SETTINGS, normalise, toRequest } from '../model/settings'
import { useEditStore } from './edit'
import { usePlanStore } from './plan'
import { useViewStore } from './view'

/** Tabs of the model drawer. */
export type ModelTab = 'assumptions' | 'alerts' | 'quotas' | 'reps'

/** How account circles are coloured. */
export type AccountColouring = 'territory' | 'tier'

/** Which accounts the flag filter keeps. */
export type FlagFilter = '' | 'golden' | 'sleeping' | 'whiteSpace'

/** Delay before re-reading alerts after edits settle. */
const REFRESH_MS = 200

export const useModelStore = defineStore('model', () => {
  const plan = usePlanStore()
  const edit = useEditStore()
  const view = useViewStore()

  const open = ref(false)
  const tab = ref<ModelTab>('assumptions')
  /** Assumptions tab: the section shown. */
  const section = ref<string>('workload')

  // Map layers -------------------------------------------------------------
  const accountColouring = ref<AccountColouring>('territory')
  /** Classes hidden on the map (single accounts only). */
  const hiddenClasses = ref<string[]>([])
  const flagFilter = ref<FlagFilter>('')
  const heatMap = ref(false)
  const whiteSpace = ref(false)
  const alertMarkers = ref(true)
  /** What the account tiles carry besides the imported tier: the class in force, the flags. */
  const tileClasses = ref(false)
  const tileFlags = ref(false)

  // What Go reported -------------------------------------------------------
  const alerts = shallowRef<AlertsView | null>(null)
  const alertsError = ref('')
  const tiers = shallowRef<TiersView | null>(null)
  const quotas = shallowRef<QuotaView | null>(null)
  const quotasError = ref('')
  const quotasLoading = ref(false)
  const quotaPeriod = ref<QuotaPeriod>('quarter')
  /** Each rep's figures and the baseline's (PlanService.Reps). */
  const reps = shallowRef<RepInfo[] | null>(null)
  const repsError = ref('')
  /** Plan total typed by the planner; null = last 12 months' revenue × (1 + growth). */
  const quotaTotal = ref<number | null>(null)
  /** Growth typed by the planner; null = the plan's setting. */
  const quotaGrowth = ref<number | null>(null)
  /** The documented defaults (Go's when it offers them). */
  const defaults = shallowRef<ModelSettings>(DEFAULT_SETTINGS)
  /** Alert highlighted from the map or the list (its territory id and rule). */
  const focused = ref<string>('')

  const available = ref(false)
  const settings = computed<ModelSettings | null>(() => (edit.planSettings ? normalise(edit.planSettings as ModelSettings, defaults.value) : null))
  /** True when Go's settings include the planning model. */
  const hasModel = computed(() => !!settings.value?.model)
  const alertList = computed(() => alerts.value?.alerts ?? [])
  const alertCount = computed(() => alertList.value.length)
  /** Alerts per territory id. */
  const alertsByTerritory = computed(() => {
    const m = new Map<string, typeof alertList.value>()
    for (const a of alertList.value) {
      if (!a.territory) continue
      const l = m.get(a.territory) ?? []
      l.push(a)
      m.set(a.territory, l)
    }
    return m
  })
  /** Classes of the plan's accounts in force (from Go's segments, else the call plans' tiers). */
  const classes = computed<string[]>(() => {
    const cs = tiers.value?.classes?.map((c) => c.name)
    if (cs?.length) return cs
    return Object.keys(settings.value?.callPlans ?? {}).filter((k) => !['golden', 'sleeping', 'whiteSpace'].includes(k)).sort()
  })

  function show(t: ModelTab): void {
    tab.value = t
    open.value = true
  }
  function toggle(t: ModelTab): void {
    if (open.value && tab.value === t) open.value = false
    else show(t)
  }

  async function reloadAlerts(): Promise<void> {
    if (!available.value || !plan.isOpen || !hasModelService('Alerts')) {
      alerts.value = null
      return
    }
    try {
      alerts.value = markRaw(await ModelService.Alerts())
      alertsError.value = ''
    } catch (e) {
      alertsError.value = messageOf(e)
    }
  }

  async function reloadTiers(): Promise<void> {
    if (!available.value || !plan.isOpen || !hasModelService('Tiers')) {
      tiers.value = null
      return
    }
    try {
      tiers.value = markRaw(await ModelService.Tiers())
    } catch {
      tiers.value = null
    }
  }

  let quotaSeq = 0
  async function reloadQuotas(): Promise<void> {
    if (!available.value || !plan.isOpen || !hasModelService('Quotas')) {
      quotas.value = null
      return
    }
    const seq = ++quotaSeq
    quotasLoading.value = true
    try {
      const q = await ModelService.Quotas({ period: quotaPeriod.value, total: quotaTotal.value ?? 0, growth: quotaGrowth.value, year: 0 })
      if (seq !== quotaSeq) return
      quotas.value = markRaw(q)
      quotasError.value = ''
    } catch (e) {
      if (seq === quotaSeq) quotasError.value = messageOf(e)
    } finally {
      if (seq === quotaSeq) quotasLoading.value = false
    }
  }

  let repSeq = 0
  async function reloadReps(): Promise<void> {
    if (!plan.isOpen) {
      reps.value = null
      return
    }
    const seq = ++repSeq
    try {
      const r = await PlanService.Reps()
      if (seq !== repSeq) return
      reps.value = markRaw(r)
      repsError.value = ''
    } catch (e) {
      if (seq === repSeq) repsError.value = messageOf(e)
    }
  }

  /**
   * Changes the plan's assumptions as one undoable edit. Resolves with
   * Go's message when it refuses them (nothing changes), else "".
   */
  async function applySettings(draft: ModelSettings): Promise<string> {
    if (!edit.canEdit) return ''
    // Not edit.run: a refusal belongs next to the value, not in a notice.
    edit.beginGesture()
    try {
      await edit.apply(await EditService.SetSettings(toRequest(draft, hasModel.value)))
      return ''
    } catch (e) {
      return messageOf(e)
    } finally {
      edit.endGesture()
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  /** Re-reads what depends on the figures once edits settle (not during a drag or a stroke). */
  function schedule(): void {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      if (edit.gestureActive || edit.drag) return schedule()
      void reloadAlerts()
      if (open.value && tab.value === 'quotas') void reloadQuotas()
      if (open.value && tab.value === 'reps') void reloadReps()
    }, REFRESH_MS)
  }

  async function reset(): Promise<void> {
    available.value = hasModelService()
    alerts.value = null
    tiers.value = null
    quotas.value = null
    reps.value = null
    focused.value = ''
    if (!plan.isOpen) return
    const d = await defaultSettingsFromGo()
    defaults.value = d ? markRaw(normalise(d, DEFAULT_SETTINGS)) : DEFAULT_SETTINGS
    await Promise.all([reloadAlerts(), reloadTiers()])
  }

  watch(
    () => `${plan.isOpen}\u0000${plan.info?.path ?? ''}\u0000${plan.info?.activeScenario ?? ''}`,
    () => void reset(),
    { immediate: true },
  )
  // Every edit, undo and redo; the rows also change after a baseline change or a reload.
  watch(() => [edit.applied, plan.rows, edit.baselineId] as const, schedule)
  // New assumptions change the segments.
  watch(() => edit.planSettings, () => void reloadTiers())
  watch(() => [open.value, tab.value, quotaPeriod.value] as const, ([o, t]) => {
    if (o && t === 'quotas') void reloadQuotas()
    if (o && t === 'reps') void reloadReps()
  })
  // The quota and rep tables need the width: the side panel makes way while
  // they show, and comes back after.
  let panelWasOpen: boolean | null = null
  watch(
    () => open.value && (tab.value === 'quotas' || tab.value === 'reps'),
    (wide) => {
      if (wide && panelWasOpen === null) {
        panelWasOpen = view.panelOpen
        view.panelOpen = false
      } else if (!wide && panelWasOpen !== null) {
        if (panelWasOpen) view.panelOpen = true
        panelWasOpen = null
      }
    },
  )

  /** Selects an alert's territory and shows it on the map. */
  function focusAlert(territory: string, rule = ''): void {
    focused.value = rule ? `${territory}\u0000${rule}` : territory
    view.select(territory, true)
  }

  return {
    open,
    tab,
    section,
    accountColouring,
    hiddenClasses,
    flagFilter,
    heatMap,
    whiteSpace,
    alertMarkers,
    tileClasses,
    tileFlags,
    alerts,
    alertsError,
    tiers,
    quotas,
    quotasError,
    quotasLoading,
    quotaPeriod,
    quotaTotal,
    quotaGrowth,
    reps,
    repsError,
    defaults,
    focused,
    available,
    settings,
    hasModel,
    alertList,
    alertCount,
    alertsByTerritory,
    classes,
    show,
    toggle,
    reloadAlerts,
    reloadTiers,
    reloadQuotas,
    reloadReps,
    applySettings,
    focusAlert,
    reset,
  }
})
