// View state only: what is selected, hovered, shown and in which language.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Language } from '../i18n'

/** Territory colours, potential balance, or any metric (the edit store says which). */
export type ColourMode = 'territory' | 'balance' | 'metric'

export interface Notice {
  id: number
  kind: 'error' | 'info'
  text: string
}

export const useViewStore = defineStore('view', () => {
  /** Id of the selected hierarchy node, or null. */
  const selectedId = ref<string | null>(null)
  /** Index of the unit under the pointer, or null. */
  const hoverUnit = ref<number | null>(null)
  const colourMode = ref<ColourMode>('territory')
  const panelOpen = ref(true)
  const legendOpen = ref(true)
  const showAccounts = ref(true)
  const collapsed = ref<Set<string>>(new Set())
  const filter = ref('')
  const language = ref<Language>('en')
  const notices = ref<Notice[]>([])
  /** Bumped to ask the map to fly to the selection (row clicks, "zoom to"). */
  const flyRequest = ref(0)
  /** Bumped to ask the map to show the whole plan. */
  const fitPlanRequest = ref(0)
  /** Units (indices) to show, and a counter bumped to ask the map to show them. */
  const focusUnits = ref<number[]>([])
  const focusRequest = ref(0)
  let seq = 0

  function select(id: string | null, fly = false): void {
    selectedId.value = id
    if (fly && id) flyRequest.value++
  }

  /** Asks the map to show these units (e.g. a unit picked in a report). */
  function focusOn(units: number[]): void {
    focusUnits.value = units
    focusRequest.value++
  }

  function toggleCollapsed(id: string): void {
    const s = new Set(collapsed.value)
    if (s.has(id)) s.delete(id)
    else s.add(id)
    collapsed.value = s
  }

  function expand(ids: string[]): void {
    if (!ids.some((id) => collapsed.value.has(id))) return
    const s = new Set(collapsed.value)
    for (const id of ids) s.delete(id)
    collapsed.value = s
  }

  function setCollapsed(ids: string[]): void {
    collapsed.value = new Set(ids)
  }

  function notify(kind: Notice['kind'], text: string, ttlMs = kind === 'error' ? 8000 : 3000): void {
    const id = ++seq
    notices.value = [...notices.value.slice(-3), { id, kind, text }]
    setTimeout(() => dismiss(id), ttlMs)
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id)
  }

  return {
    selectedId,
    hoverUnit,
    colourMode,
    panelOpen,
    legendOpen,
    showAccounts,
    collapsed,
    filter,
    language,
    notices,
    flyRequest,
    fitPlanRequest,
    focusUnits,
    focusRequest,
    focusOn,
    select,
    toggleCollapsed,
    expand,
    setCollapsed,
    notify,
    dismiss,
  }
})
