import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import type { Alignment, PlanInfo, ScenarioInfo } from '../api/types'
import type { OptimizeProgress, OptimizeReport, OptimizeRequest, OptimizeResult } from '../api/optimizeApi'
import { defaultChoices, type OptimizeChoices } from '../components/optimize/optimize'
import { useOptimizeStore } from './optimize'
import { usePlanStore } from './plan'
import { useViewStore } from './view'

type W = { go?: unknown; runtime?: unknown }
const w = window as unknown as W

const info: PlanInfo = {
  open: true,
  path: '/plans/p.territoria',
  name: 'P',
  currency: 'USD',
  schemaVersion: 1,
  readOnly: false,
  accounts: 30,
  reps: 2,
  units: 3,
  scenarios: null,
  activeScenario: 'current',
  bounds: [0, 0, 1, 1],
}
const alignment: Alignment = {
  scenarioId: 'current',
  version: 1,
  territories: [
    { id: 'T1', name: 'North', kind: 'territory', parent: '', repId: 'R1', rep: 'Ann', color: '#ff0000', label: null },
    { id: 'T2', name: 'South', kind: 'territory', parent: '', repId: 'R2', rep: 'Bob', color: '#00ff00', label: null },
  ],
  unitTerritory: [0, 0, 1],
  borders: null,
}

function report(over: Partial<OptimizeReport> = {}): OptimizeReport {
  return {
    mode: 'rebalance', level: 'units', tolerance: 0.05, territories: 2, movable: 3, metrics: [], indexBefore: 40, indexAfter: 80, hasBefore: true,
    withinBefore: 0, withinAfter: 2, feasible: true, cutEdgesBefore: 1, cutEdgesAfter: 1, borderKmBefore: 1, borderKmAfter: 1, hasBorders: true,
    compactnessBefore: 0.3, compactnessAfter: 0.3, nonContiguousBefore: 0, nonContiguousAfter: 0, forcedIslands: 0, accountsMoved: 5,
    accountsMovedShare: 0.1, revenueMoved: 10, revenueMovedShare: 0.05, unitsMoved: 1, limitsExceeded: 0, rows: [], moves: [], movesOmitted: 0,
    notes: [], iterations: 100, restarts: 1, objective: 1, cancelled: false, ...over,
  }
}

/** A fake Go side: PlanService answers from `scenarios`; OptimizeService.Run waits for `finish`. */
function fakeGo() {
  const calls: [string, unknown[]][] = []
  let scenarios: ScenarioInfo[] = [{ id: 'current', name: 'Current', territories: 2 }]
  let active = 'current'
  const listeners = new Map<string, ((...d: unknown[]) => void)[]>()
  let finish: ((r: OptimizeResult) => void) | null = null
  let fail: ((e: unknown) => void) | null = null
  let cancelled = false
  const record = (svc: string, name: string, args: unknown[]) => calls.push([`${svc}.${name}`, args])
  const plan: Record<string, (...a: unknown[]) => Promise<unknown>> = {
    Info: async () => ({ ...info, activeScenario: active, scenarios }),
    Scenarios: async () => scenarios,
    Alignment: async () => ({ ...alignment, scenarioId: active }),
    Territories: async () => [],
    Units: async () => ({ type: 'FeatureCollection', features: [] }),
    Settings: async () => ({ language: 'en', basemapUrl: '', recentPlans: [] }),
    Reps: async () => [
      { id: 'R1', name: 'Ann', home: [-90, 40], capacityHours: 40, cost: 1, territories: ['T1'] },
      { id: 'R2', name: 'Bob', home: [0, 0], capacityHours: 40, cost: 1, territories: ['T2'] },
    ],
    SwitchScenario: async (id: unknown) => {
      active = String(id)
      return { ...info, activeScenario: active }
    },
  }
  for (const [k, f] of Object.entries(plan)) plan[k] = (...a: unknown[]) => (record('PlanService', k, a), f(...a))
  const optimize = {
    Metrics: async () => (record('OptimizeService', 'Metrics', []), ['potential', 'revenue', 'workloadHours', 'population']),
    Run: (req: unknown) => {
      record('OptimizeService', 'Run', [req])
      return new Promise<OptimizeResult>((resolve, reject) => {
        finish = resolve
        fail = reject
      })
    },
    Cancel: async () => {
      record('OptimizeService', 'Cancel', [])
      cancelled = true
    },
  }
  w.go = { app: { PlanService: plan, OptimizeService: optimize } }
  w.runtime = {
    EventsOn: (name: string, cb: (...d: unknown[]) => void) => {
      listeners.set(name, [...(listeners.get(name) ?? []), cb])
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((f) => f !== cb))
    },
  }
  return {
    calls,
    emit: (name: string, p: unknown) => (listeners.get(name) ?? []).forEach((f) => f(p)),
    listeners: (name: string) => (listeners.get(name) ?? []).length,
    /** Go saves the scenario and Run resolves. */
    finish(name: string, over: Partial<OptimizeReport> = {}) {
      const s = { id: `s${scenarios.length}`, name, territories: 2 }
      scenarios = [...scenarios, s]
      finish!({ scenario: s, report: report({ cancelled, ...over }), millis: 1234 })
    },
    fail: (msg: string) => fail!(new Error(msg)),
    removeScenario(id: string) {
      scenarios = scenarios.filter((s) => s.id !== id)
    },
    get active() {
      return active
    },
  }
}

async function setup() {
  setActivePinia(createPinia())
  const fake = fakeGo()
  const plan = usePlanStore()
  await plan.reload()
  const opt = useOptimizeStore()
  await opt.loadOptions()
  return { fake, plan, opt, view: useViewStore() }
}

function choices(over: Partial<OptimizeChoices> = {}): OptimizeChoices {
  const opt = useOptimizeStore()
  return { ...defaultChoices('rebalance', opt.context, opt.metrics), name: 'Current (rebalanced)', ...over }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('optimize store', () => {
  beforeEach(() => {
    delete w.go
    delete w.runtime
  })
  afterEach(() => {
    delete w.go
    delete w.runtime
  })

  it('offers the metrics Go balances and counts the reps with a home', async () => {
    const { opt } = await setup()
    expect(opt.metrics).toEqual(['potential', 'revenue', 'workloadHours', 'population'])
    expect(opt.repsWithHome).toBe(1)
    expect(opt.context).toMatchObject({ activeId: 'current', activeName: 'Current', activeTerritories: 2, units: 3, accounts: 30 })
  })

  it('runs with progress, keeps the report, shows the new scenario and opens the report', async () => {
    const { fake, plan, opt, view } = await setup()
    const saved: { id: string; shown: string | undefined; running: boolean }[] = []
    const done = opt.run(choices(), (e) => saved.push({ id: e.scenarioId, shown: plan.info?.activeScenario, running: opt.running }))
    await flush()
    expect(opt.running).toBe(true)
    const req = fake.calls.find(([n]) => n === 'OptimizeService.Run')![1][0] as OptimizeRequest
    expect(req).toMatchObject({ from: 'current', into: 'Current (rebalanced)', mode: 'rebalance', balance: { workloadHours: 60, potential: 30, revenue: 10 } })

    const p: OptimizeProgress = { phase: 'search', fraction: 0.4, restart: 1, restarts: 2, objective: 12, feasible: false, maxDeviation: 0.3 }
    fake.emit('optimize:progress', p)
    fake.emit('optimize:progress', { ...p, fraction: 0.6, maxDeviation: 0.2 })
    expect(opt.progressEvents).toBe(2)
    expect(opt.progress?.maxDeviation).toBe(0.2)

    fake.finish('Current (rebalanced)')
    const entry = await done
    expect(entry).toMatchObject({ scenarioId: 's1', scenarioName: 'Current (rebalanced)', fromName: 'Current', millis: 1234, beforeNames: { T1: 'North', T2: 'South' } })
    // The dialog may close as soon as Go has saved, before the page switches.
    expect(saved).toEqual([{ id: 's1', shown: 'current', running: false }])
    expect(opt.running).toBe(false)
    expect(fake.listeners('optimize:progress')).toBe(0)
    expect(fake.active).toBe('s1')
    expect(plan.info?.activeScenario).toBe('s1')
    expect(opt.reportOpen).toBe(true)
    expect(opt.shown?.scenarioId).toBe('s1')
    expect(opt.activeReport?.scenarioId).toBe('s1')
    expect(view.notices.at(-1)).toMatchObject({ kind: 'info' })
    expect(view.notices.at(-1)!.text).toContain('Current (rebalanced)')
    expect(opt.lastChoices?.name).toBe('Current (rebalanced)')
  })

  it('without switching, the scenario shown stays and the report is offered for the new one', async () => {
    const { fake, plan, opt } = await setup()
    const done = opt.run(choices({ switchTo: false }))
    await flush()
    fake.finish('Other')
    await done
    expect(fake.calls.some(([n]) => n === 'PlanService.SwitchScenario')).toBe(false)
    expect(plan.info?.activeScenario).toBe('current')
    expect(plan.scenarios.map((s) => s.id)).toEqual(['current', 's1'])
    expect(opt.activeReport).toBeNull()
    expect(opt.latest?.scenarioId).toBe('s1')
    opt.closeReport()
    expect(opt.showReport()).toBe(true)
    expect(opt.shown?.scenarioId).toBe('s1')
  })

  it('cancel asks Go to stop; the best so far comes back as a stopped report', async () => {
    const { fake, opt, view } = await setup()
    const done = opt.run(choices())
    await flush()
    await opt.cancel()
    expect(opt.stopping).toBe(true)
    expect(fake.calls.filter(([n]) => n === 'OptimizeService.Cancel')).toHaveLength(1)
    await opt.cancel() // once is enough
    expect(fake.calls.filter(([n]) => n === 'OptimizeService.Cancel')).toHaveLength(1)
    fake.finish('Current (rebalanced)')
    const entry = await done
    expect(entry?.report.cancelled).toBe(true)
    expect(opt.stopping).toBe(false)
    expect(view.notices.at(-1)!.text).toMatch(/^Stopped: the best territories found so far were saved/)
  })

  it('an error becomes a notice and leaves nothing running', async () => {
    const { fake, opt, view } = await setup()
    const done = opt.run(choices())
    await flush()
    fake.fail('an optimization is already running')
    expect(await done).toBeNull()
    expect(opt.running).toBe(false)
    expect(opt.error).toBe('an optimization is already running')
    expect(view.notices.at(-1)).toMatchObject({ kind: 'error', text: 'an optimization is already running' })
    expect(opt.reports.size).toBe(0)
    expect(fake.listeners('optimize:progress')).toBe(0)
  })

  it('a second run while one is going is not sent', async () => {
    const { fake, opt } = await setup()
    const first = opt.run(choices())
    await flush()
    expect(await opt.run(choices())).toBeNull()
    expect(fake.calls.filter(([n]) => n === 'OptimizeService.Run')).toHaveLength(1)
    fake.finish('x')
    await first
  })

  it('a build from nothing records no starting names', async () => {
    const { fake, opt } = await setup()
    const done = opt.run(choices({ mode: 'build', territories: 2, name: 'Designed' }))
    await flush()
    const req = fake.calls.find(([n]) => n === 'OptimizeService.Run')![1][0] as OptimizeRequest
    expect(req).toMatchObject({ from: '', mode: 'build', territories: 2 })
    fake.finish('Designed', { hasBefore: false })
    const e = await done
    expect(e?.fromName).toBe('')
    expect(e?.beforeNames).toEqual({})
  })

  it('the report of a deleted scenario is no longer offered; the drawer follows the scenario shown', async () => {
    const { fake, plan, opt } = await setup()
    let done = opt.run(choices({ switchTo: false, name: 'A' }))
    await flush()
    fake.finish('A')
    await done
    done = opt.run(choices({ switchTo: false, name: 'B' }))
    await flush()
    fake.finish('B')
    await done
    expect(opt.shown?.scenarioName).toBe('B')
    // Showing A on the map makes the drawer follow it.
    await plan.reload()
    const a = plan.scenarios.find((s) => s.name === 'A')!
    await (w.go as { app: { PlanService: { SwitchScenario: (id: string) => Promise<unknown> } } }).app.PlanService.SwitchScenario(a.id)
    await plan.reload()
    await nextTick()
    expect(opt.shown?.scenarioName).toBe('A')
    fake.removeScenario(a.id)
    await plan.reloadScenarios()
    expect(opt.reportFor(a.id)).toBeNull()
    expect(opt.shown).toBeNull()
    expect(opt.latest?.scenarioName).toBe('B')
  })

  it('says so when there is no report to show', async () => {
    const { opt, view } = await setup()
    expect(opt.showReport()).toBe(false)
    expect(opt.reportOpen).toBe(false)
    expect(view.notices.at(-1)!.text).toMatch(/No optimization report/)
  })

  it('counts the elapsed time while running', async () => {
    const { fake, opt } = await setup()
    const done = opt.run(choices())
    await new Promise((r) => setTimeout(r, 600))
    expect(opt.elapsedMs).toBeGreaterThanOrEqual(250)
    fake.finish('x')
    await done
    expect(opt.elapsedMs).toBe(0)
  })
})
