// The optimizer dialog against a fake Go side: its defaults, the checks
// before Go is asked, progress with the best so far, stop, hide, and closing
// once Go has saved the scenario.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { applyLanguage, i18n } from '../../i18n'
import type { OptimizeRequest, OptimizeResult } from '../../api/optimizeApi'
import { usePlanStore } from '../../stores/plan'
import { useOptimizeStore } from '../../stores/optimize'
import OptimizeDialog from './OptimizeDialog.vue'

type W = { go?: unknown; runtime?: unknown }
const w = window as unknown as W

let calls: string[]
let requests: OptimizeRequest[]
let finish: ((r: OptimizeResult) => void) | null
let listeners: ((p: unknown) => void)[]
let added: (s: { id: string; name: string; territories: number }) => void

function fakeGo() {
  calls = []
  requests = []
  finish = null
  listeners = []
  const scenarios = [{ id: 'current', name: 'Current', territories: 40 }]
  added = (s) => scenarios.push(s)
  const plan = {
    Info: async () => ({ open: true, path: '/p.territoria', name: 'P', currency: 'USD', schemaVersion: 1, readOnly: false, accounts: 500, reps: 3, units: 300, scenarios, activeScenario: 'current', bounds: [0, 0, 1, 1] }),
    Scenarios: async () => scenarios,
    Alignment: async () => ({ scenarioId: 'current', version: 1, territories: [], unitTerritory: [], borders: null }),
    Territories: async () => [],
    Units: async () => ({ type: 'FeatureCollection', features: [] }),
    Settings: async () => ({ language: 'en', basemapUrl: '', recentPlans: [] }),
    Reps: async () => [
      { id: 'R1', name: 'A', home: [1, 2], capacityHours: 40, cost: 1, territories: [] },
      { id: 'R2', name: 'B', home: [3, 4], capacityHours: 40, cost: 1, territories: [] },
      { id: 'R3', name: 'C', home: [5, 6], capacityHours: 40, cost: 1, territories: [] },
    ],
    SwitchScenario: async (id: string) => (calls.push(`switch ${id}`), {}),
  }
  const optimize = {
    Metrics: async () => ['accounts', 'potential', 'revenue', 'workloadHours', 'population'],
    Run: (req: OptimizeRequest) => {
      requests.push(req)
      return new Promise<OptimizeResult>((resolve) => (finish = resolve))
    },
    Cancel: async () => void calls.push('cancel'),
  }
  w.go = { app: { PlanService: plan, OptimizeService: optimize } }
  w.runtime = {
    EventsOn: (_name: string, cb: (p: unknown) => void) => {
      listeners.push(cb)
      return () => (listeners = listeners.filter((f) => f !== cb))
    },
  }
}

function result(cancelled = false): OptimizeResult {
  added({ id: 's1', name: 'Current (rebalanced)', territories: 40 })
  return {
    scenario: { id: 's1', name: 'Current (rebalanced)', territories: 40 },
    millis: 900,
    report: { cancelled, moves: [], rows: [], metrics: [], notes: [], tolerance: 0.05, territories: 40 } as unknown as OptimizeResult['report'],
  }
}

async function mountDialog(mode: 'build' | 'rebalance') {
  const wrapper = mount(OptimizeDialog, { props: { mode }, global: { plugins: [i18n] } })
  await flushPromises()
  return wrapper
}

const tid = (id: string) => `[data-testid="${id}"]`

describe('OptimizeDialog', () => {
  beforeEach(async () => {
    applyLanguage('en')
    fakeGo()
    setActivePinia(createPinia())
    await usePlanStore().reload()
  })
  afterEach(() => {
    delete w.go
    delete w.runtime
  })

  it('offers every metric Go balances with the default weights, and a free name', async () => {
    const d = await mountDialog('rebalance')
    expect((d.get(tid('optimize-weight-workloadHours')).element as HTMLInputElement).value).toBe('60')
    expect((d.get(tid('optimize-weight-potential')).element as HTMLInputElement).value).toBe('30')
    expect((d.get(tid('optimize-weight-revenue')).element as HTMLInputElement).value).toBe('10')
    expect((d.get(tid('optimize-weight-population')).element as HTMLInputElement).value).toBe('0')
    expect((d.get(tid('optimize-name')).element as HTMLInputElement).value).toBe('Current (rebalanced)')
    expect(d.find(tid('optimize-max-revenue')).exists()).toBe(true)
    expect(d.find(tid('optimize-territories')).exists()).toBe(false)
    expect(d.find(tid('optimize-problem')).exists()).toBe(false)
  })

  it('a design asks for k; the name follows k until typed; a taken name or a lone territory is refused before Go is asked', async () => {
    const d = await mountDialog('build')
    expect(d.find(tid('optimize-max-revenue')).exists()).toBe(false)
    await d.get(tid('optimize-territories')).setValue('12')
    expect((d.get(tid('optimize-name')).element as HTMLInputElement).value).toBe('12 territories (designed)')
    await d.get(tid('optimize-territories')).setValue('1')
    expect(d.get(tid('optimize-problem')).text()).toContain('from 2 to 300')
    expect(d.get(tid('optimize-run')).attributes('disabled')).toBeDefined()
    await d.get(tid('optimize-territories')).setValue('3')
    await d.get(tid('optimize-name')).setValue('current')
    expect(d.get(tid('optimize-problem')).text()).toContain('already exists')
    await d.get(tid('optimize-territories')).setValue('4')
    expect((d.get(tid('optimize-name')).element as HTMLInputElement).value).toBe('current')
    await d.get(tid('optimize-run')).trigger('click')
    expect(requests).toHaveLength(0)
  })

  it('runs, shows progress with the best so far, stops keeping it, and closes once Go has saved', async () => {
    const d = await mountDialog('rebalance')
    await d.get(tid('optimize-weight-population')).setValue('20')
    await d.get(tid('optimize-run')).trigger('click')
    await flushPromises()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ from: 'current', mode: 'rebalance', balance: { workloadHours: 60, potential: 30, revenue: 10, population: 20 } })
    expect(d.find(tid('optimize-progress')).exists()).toBe(true)
    expect(d.get(tid('optimize-elapsed')).text()).toMatch(/^Elapsed 0:0\d$/)
    listeners.forEach((f) => f({ phase: 'search', fraction: 0.25, restart: 2, restarts: 3, objective: 1234, feasible: false, maxDeviation: 0.123 }))
    await flushPromises()
    expect(d.get(tid('optimize-phase')).text()).toBe('Searching')
    expect(d.get(tid('optimize-best')).text()).toContain('largest deviation 12.3%')
    expect(d.get(tid('optimize-best')).text()).toContain('not yet within the tolerance')
    expect(d.get(tid('optimize-stop-hint')).text()).toContain('keeps the best territories found so far')
    await d.get(tid('optimize-stop')).trigger('click')
    await flushPromises()
    expect(calls).toContain('cancel')
    expect(d.get(tid('optimize-stop-hint')).text()).toContain('Stopping')
    expect(d.get(tid('optimize-stop')).attributes('disabled')).toBeDefined()
    finish!(result(true))
    await flushPromises()
    expect(d.emitted('done')).toHaveLength(1)
    expect(calls).toContain('switch s1')
    expect(useOptimizeStore().shown?.report.cancelled).toBe(true)
  })

  it('hiding lets the run go on; a dialog opened meanwhile shows its progress and closes when it ends', async () => {
    const first = await mountDialog('rebalance')
    await first.get(tid('optimize-run')).trigger('click')
    await flushPromises()
    await first.get(tid('optimize-hide')).trigger('click')
    expect(first.emitted('cancel')).toHaveLength(1)
    first.unmount()
    const again = await mountDialog('build')
    expect(again.find(tid('optimize-progress')).exists()).toBe(true)
    expect(again.find('.dialog__title').text()).toBe('Rebalance territories')
    finish!(result())
    await flushPromises()
    expect(again.emitted('done')).toHaveLength(1)
    expect(useOptimizeStore().running).toBe(false)
  })
})
