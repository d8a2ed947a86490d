// View state of automatic territory design: the running optimization (its
// progress, elapsed time and the best so far), the dialog's last choices,
// and the reports of the scenarios it made in this session. The report
// itself comes from Go (OptimizeService.Run); Go does not keep it, so the
// page holds it until the plan is closed or the page reloads.
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import { PlanService, messageOf } from '../api'
import { OptimizeService, onOptimizeProgress, type OptimizeProgress, type OptimizeReport, type OptimizeRequest } from '../api/optimizeApi'
import { i18n } from '../i18n'
import { requestOf, type OptimizeChoices, type PlanContext } from '../components/optimize/optimize'
import { usePlanStore } from './plan'
import { useViewStore } from './view'

/** One optimization's result as the report drawer shows it. */
export interface ReportEntry {
  /** Plan path and scenario id. */
  key: string
  planPath: string
  scenarioId: string
  scenarioName: string
  /** Name of the starting scenario ("" when built from nothing). */
  fromName: string
  request: OptimizeRequest
  report: OptimizeReport
  millis: number
  /** Territory id → name in the starting scenario (moves name where units came from). */
  beforeNames: Record<string, string>
  finishedAt: number
}

/** How often the elapsed time is redrawn while the optimizer runs. */
const TICK_MS = 250

export function reportKey(planPath: string, scenarioId: string): string {
  return `${planPath}\u0000${scenarioId}`
}

export const useOptimizeStore = defineStore('optimize', () => {
  const plan = usePlanStore()
  const view = useViewStore()
  const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(key, values)

  /** Metrics Go can balance on the open plan. */
  const metrics = ref<string[]>([])
  /** Reps with a home (anchors for one territory per rep). */
  const repsWithHome = ref(0)
  const running = ref(false)
  /** Cancel was asked for; Go is saving the best so far. */
  const stopping = ref(false)
  /** The request of the run going on (or of the last one). */
  const request = shallowRef<OptimizeRequest | null>(null)
  const progress = shallowRef<OptimizeProgress | null>(null)
  /** Number of progress events of the current run. */
  const progressEvents = ref(0)
  const startedAt = ref(0)
  const now = ref(0)
  const error = ref('')
  /** The dialog's choices of the last run, offered again next time. */
  const lastChoices = ref<OptimizeChoices | null>(null)
  /** Reports by reportKey. */
  const reports = shallowRef<Map<string, ReportEntry>>(new Map())
  /** The report the drawer shows, and whether it is open. */
  const shownKey = ref('')
  const reportOpen = ref(false)
  let ticker: ReturnType<typeof setInterval> | null = null

  const elapsedMs = computed(() => (running.value ? Math.max(0, now.value - startedAt.value) : 0))
  const planPath = computed(() => plan.info?.path ?? '')
  const scenarioIds = computed(() => new Set(plan.scenarios.map((s) => s.id)))

  /** The report of scenario id of the open plan, if this session made it and the scenario still exists. */
  function reportFor(id: string | undefined | null): ReportEntry | null {
    if (!id || !scenarioIds.value.has(id)) return null
    return reports.value.get(reportKey(planPath.value, id)) ?? null
  }

  const activeReport = computed(() => reportFor(plan.info?.activeScenario))
  const shown = computed(() => {
    const e = reports.value.get(shownKey.value)
    return e && e.planPath === planPath.value && scenarioIds.value.has(e.scenarioId) ? e : null
  })
  /** The report of this plan made last in this session. */
  const latest = computed(() => {
    let best: ReportEntry | null = null
    for (const e of reports.value.values()) {
      if (e.planPath === planPath.value && scenarioIds.value.has(e.scenarioId) && (!best || e.finishedAt > best.finishedAt)) best = e
    }
    return best
  })

  /** Reads the metrics and reps the dialog offers. */
  async function loadOptions(): Promise<void> {
    const [ms, reps] = await Promise.all([OptimizeService.Metrics(), PlanService.Reps().catch(() => [])])
    metrics.value = ms
    repsWithHome.value = reps.filter((r) => Array.isArray(r.home) && (r.home[0] !== 0 || r.home[1] !== 0)).length
  }

  /** What the dialog needs to know about the open plan. */
  const context = computed<PlanContext>(() => {
    const active = plan.activeScenario
    return {
      activeId: active?.id ?? '',
      activeName: active?.name ?? '',
      activeTerritories: active?.territories ?? 0,
      scenarioNames: plan.scenarios.map((s) => s.name),
      repsWithHome: repsWithHome.value,
      units: plan.info?.units ?? 0,
      accounts: plan.info?.accounts ?? 0,
    }
  })

  function startTicker(): void {
    stopTicker()
    now.value = Date.now()
    ticker = setInterval(() => (now.value = Date.now()), TICK_MS)
  }
  function stopTicker(): void {
    if (ticker) clearInterval(ticker)
    ticker = null
  }

  /**
   * Runs the optimizer with the dialog's choices. On success the report is
   * kept, the new scenario is shown (when asked) and the report drawer opens;
   * a failure becomes a notice. Resolves with the entry, or null on failure.
   * onSaved is called as soon as Go has saved the scenario, before the page
   * switches to it (a dialog can close then).
   */
  async function run(choices: OptimizeChoices, onSaved?: (e: ReportEntry) => void): Promise<ReportEntry | null> {
    if (running.value) return null
    const ctx = context.value
    const req = requestOf(choices, ctx)
    const path = planPath.value
    const beforeNames: Record<string, string> = {}
    if (req.from) for (const tt of plan.alignment?.territories ?? []) beforeNames[tt.id] = tt.name
    lastChoices.value = { ...choices, weights: { ...choices.weights } }
    request.value = markRaw(req)
    running.value = true
    stopping.value = false
    error.value = ''
    progress.value = null
    progressEvents.value = 0
    startedAt.value = Date.now()
    startTicker()
    const off = onOptimizeProgress((p) => {
      progress.value = markRaw(p)
      progressEvents.value++
    })
    /** Go has answered: nothing runs any more. */
    const done = () => {
      off()
      stopTicker()
      running.value = false
      stopping.value = false
    }
    try {
      const res = await OptimizeService.Run(req)
      const entry: ReportEntry = markRaw({
        key: reportKey(path, res.scenario.id),
        planPath: path,
        scenarioId: res.scenario.id,
        scenarioName: res.scenario.name,
        fromName: req.from ? ctx.activeName : '',
        request: req,
        report: res.report,
        millis: res.millis,
        beforeNames,
        finishedAt: Date.now(),
      })
      const next = new Map(reports.value)
      next.set(entry.key, entry)
      reports.value = next
      const seconds = (res.millis / 1000).toFixed(1)
      view.notify(
        'info',
        res.report.cancelled ? t('optimize.savedStopped', { name: res.scenario.name, seconds }) : t('optimize.saved', { name: res.scenario.name, seconds }),
        8000,
      )
      done()
      onSaved?.(entry)
      // Switching at once folds the re-reads Go's scenarios:changed and
      // plan:changed events ask for into one more pass of plan.reload().
      if (choices.switchTo && plan.info?.path === path) {
        await PlanService.SwitchScenario(res.scenario.id)
        await plan.reload()
      } else {
        await plan.reloadScenarios().catch(() => {})
      }
      shownKey.value = entry.key
      reportOpen.value = true
      return entry
    } catch (e) {
      error.value = messageOf(e)
      view.notify('error', error.value)
      return null
    } finally {
      done()
    }
  }

  /** Stops the search; Go then saves the best so far and run() resolves with it. */
  async function cancel(): Promise<void> {
    if (!running.value || stopping.value) return
    stopping.value = true
    try {
      await OptimizeService.Cancel()
    } catch (e) {
      stopping.value = false
      view.notify('error', messageOf(e))
    }
  }

  /** Opens the drawer on a scenario's report (default: the one shown, else the latest). */
  function showReport(scenarioId?: string): boolean {
    const e = (scenarioId ? reportFor(scenarioId) : null) ?? activeReport.value ?? latest.value
    if (!e) {
      view.notify('info', t('optimize.noReport'))
      return false
    }
    shownKey.value = e.key
    reportOpen.value = true
    return true
  }

  function closeReport(): void {
    reportOpen.value = false
  }

  // The drawer follows the scenario shown when that scenario has a report.
  watch(
    () => plan.info?.activeScenario,
    (id) => {
      const e = reportFor(id)
      if (e) shownKey.value = e.key
    },
  )

  return {
    metrics,
    repsWithHome,
    running,
    stopping,
    request,
    progress,
    progressEvents,
    startedAt,
    elapsedMs,
    error,
    lastChoices,
    reports,
    shownKey,
    reportOpen,
    context,
    activeReport,
    shown,
    latest,
    reportFor,
    loadOptions,
    run,
    cancel,
    showReport,
    closeReport,
  }
})
