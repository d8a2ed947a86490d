// The plan as Go reports it. Every field is re-read from PlanService after an
// event or a command; nothing here is edited locally.
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import {
  PlanService,
  onEvent,
  waitForBridge,
  type Alignment,
  type GeoJSONFeatureCollection,
  type PlanInfo,
  type ScenarioInfo,
  type Settings,
  type TerritoryRow,
  type UnitProperties,
} from '../api'
import { isSummaryRow } from './tree'

export type BridgeState = 'checking' | 'ok' | 'missing'

export const usePlanStore = defineStore('plan', () => {
  const bridge = ref<BridgeState>('checking')
  const info = ref<PlanInfo | null>(null)
  const scenarios = ref<ScenarioInfo[]>([])
  const alignment = shallowRef<Alignment | null>(null)
  const rows = shallowRef<TerritoryRow[]>([])
  /** Unit polygons; large and never mutated, so kept out of Vue's reactivity. */
  const units = shallowRef<GeoJSONFeatureCollection<UnitProperties> | null>(null)
  const settings = ref<Settings>({ language: 'en', basemapUrl: '', recentPlans: [] })
  const loading = ref(false)
  const lastError = ref<string | null>(null)

  let unitsKey = ''
  /** Set when the unit polygons changed without their number changing. */
  let unitsStale = false
  let running: Promise<void> | null = null
  let again = false

  const isOpen = computed(() => !!info.value?.open)
  const currency = computed(() => info.value?.currency ?? '')
  const activeScenario = computed(() => scenarios.value.find((s) => s.id === info.value?.activeScenario) ?? null)
  const territoryIndex = computed(() => {
    const m = new Map<string, number>()
    alignment.value?.territories?.forEach((t, i) => m.set(t.id, i))
    return m
  })
  const rowById = computed(() => new Map(rows.value.filter((r) => !isSummaryRow(r)).map((r) => [r.id, r])))
  const planRow = computed(() => rows.value.find((r) => r.kind === 'plan') ?? null)
  const unassignedRow = computed(() => rows.value.find((r) => r.kind === 'unassigned') ?? null)
  const recentPlans = computed(() => settings.value.recentPlans ?? [])

  async function load(): Promise<void> {
    const i = await PlanService.Info()
    info.value = i
    if (!i.open) {
      scenarios.value = []
      alignment.value = null
      rows.value = []
      units.value = null
      unitsKey = ''
      settings.value = await PlanService.Settings()
      return
    }
    const key = `${i.path}\u0000${i.units}`
    const fetchUnits = key !== unitsKey || unitsStale
    unitsStale = false
    const [sc, al, tr, un, st] = await Promise.all([
      PlanService.Scenarios(),
      PlanService.Alignment(),
      PlanService.Territories(),
      fetchUnits ? PlanService.Units() : Promise.resolve(null),
      PlanService.Settings(),
    ])
    scenarios.value = sc
    if (un) {
      units.value = markRaw(un)
      unitsKey = key
    }
    alignment.value = markRaw(al)
    rows.value = markRaw(tr)
    settings.value = st
  }

  /** Re-reads everything from Go; concurrent calls are folded into one extra pass. */
  async function reload(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    loading.value = true
    running = (async () => {
      try {
        do {
          again = false
          await load()
        } while (again)
        lastError.value = null
      } catch (e) {
        lastError.value = e instanceof Error ? e.message : String(e)
        throw e
      } finally {
        running = null
        loading.value = false
      }
    })()
    return running
  }

  /** Re-reads everything including the unit polygons (after a boundary import, which may keep their number). */
  async function reloadUnits(): Promise<void> {
    unitsStale = true
    await reload()
  }

  /** Re-reads only the scenario list (after scenarios:changed). */
  async function reloadScenarios(): Promise<void> {
    scenarios.value = await PlanService.Scenarios()
  }

  async function reloadSettings(): Promise<void> {
    settings.value = await PlanService.Settings()
  }

  const offs: Array<() => void> = []

  /** Connects to Go, loads the plan and follows its events. */
  async function init(onMenu: (action: string) => void): Promise<void> {
    bridge.value = 'checking'
    if (!(await waitForBridge())) {
      bridge.value = 'missing'
      return
    }
    bridge.value = 'ok'
    offs.push(
      onEvent('plan:changed', () => void reload().catch(() => {})),
      onEvent('scenarios:changed', () => {
        void reloadScenarios().catch(() => {})
        // Territory counts and names in rows may change with the scenario list.
        void reload().catch(() => {})
      }),
      onEvent('menu:action', (a) => onMenu(String(a))),
    )
    await reload()
  }

  function dispose(): void {
    while (offs.length) offs.pop()!()
  }

  return {
    bridge,
    info,
    scenarios,
    alignment,
    rows,
    units,
    settings,
    loading,
    lastError,
    isOpen,
    currency,
    activeScenario,
    territoryIndex,
    rowById,
    planRow,
    unassignedRow,
    recentPlans,
    reload,
    reloadUnits,
    reloadScenarios,
    reloadSettings,
    init,
    dispose,
  }
})
