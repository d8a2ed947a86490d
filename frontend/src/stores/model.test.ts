import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import type { EditResult, PlanInfo, TerritoryRow } from '../api/types'
import { DEFAULT_SETTINGS, clone } from '../model/settings'
import { useEditStore } from './edit'
import { useModelStore } from './model'
import { usePlanStore } from './plan'
import { useViewStore } from './view'
import { accountFilter, classColours, heatLayer, tierColourExpression } from '../map/modelLayers'

type W = { go?: unknown }
const w = window as unknown as W

const info: PlanInfo = { open: true, path: '/p.territoria', name: 'P', currency: 'USD', schemaVersion: 1, readOnly: false, accounts: 30, reps: 0, units: 3, scenarios: null, activeScenario: 's1', bounds: [0, 0, 1, 1] }
const row = (id: string, kind: string): TerritoryRow => ({ id, name: id, kind, parent: '', rep: '', color: '#112233', depth: 0, accounts: 1, units: 0, potential: 10, revenue: 0, lifetimeValue: 0, potentialShare: 0, potentialDeviation: 0 })
const result = (o: Partial<EditResult> = {}): EditResult => ({
  kind: 'settings',
  version: 2,
  units: [],
  accountsMoved: 0,
  structure: false,
  drawn: false,
  settings: true,
  rows: [row('A', 'territory')],
  balance: { index: 50, metrics: null },
  undo: { canUndo: true, canRedo: false, undoKind: 'settings', redoKind: '', undoCount: 1, redoCount: 0 },
  ...o,
})

function fakeGo() {
  const calls: string[] = []
  const answers: Record<string, (...a: unknown[]) => unknown> = {}
  const service = (name: string, defaults: Record<string, (...a: unknown[]) => unknown>) =>
    new Proxy(
      {},
      {
        get: (_t, m: string) =>
          async (...args: unknown[]) => {
            calls.push(`${name}.${m}`)
            const f = answers[`${name}.${m}`] ?? defaults[m]
            if (!f) return result()
            return f(...args)
          },
      },
    )
  const edit = service('EditService', {
    History: () => [],
    Drawn: () => ({ areas: null, arcs: [] }),
    Metrics: () => [{ name: 'potential', unit: 'currency', summed: true, balanced: true }],
    Settings: () => clone(DEFAULT_SETTINGS),
    Balance: () => ({ index: 41, metrics: null }),
  })
  const model = service('ModelService', {
    Alerts: () => ({ scenarioId: 's1', now: '2026-11-27', visitLog: true, counts: { balance: 1 }, alerts: [{ rule: 'balance', territory: 'A', name: 'A', metric: 'potential', value: 0.3, threshold: 0.2, message: 'm' }] }),
    Tiers: () => ({ scenarioId: 's1', basis: 'potential', cutA: 0.8, cutB: 0.95, recentMonths: 6, whiteSpaceShare: 0.1, classes: [{ name: 'A', accounts: 1, potential: 1, revenue: 1 }], flags: [], metrics: ['tier.A'] }),
    Quotas: (req: unknown) => ({ scenarioId: 's1', year: 2026, period: (req as { period: string }).period, currency: 'USD', total: 0, base: 0, growth: 0, weights: {}, seasonal: false, seasonality: [], monthWeights: [], rows: [] }),
  })
  w.go = { app: { EditService: edit, ModelService: model, PlanService: { Alignment: async () => ({ scenarioId: 's1', version: 3, territories: [], unitTerritory: [], borders: null }), Territories: async () => [] } } }
  return { calls, answers }
}

async function setup() {
  setActivePinia(createPinia())
  const fake = fakeGo()
  const plan = usePlanStore()
  plan.info = info
  plan.rows = [row('A', 'territory'), row('', 'plan')]
  plan.alignment = { scenarioId: 's1', version: 1, territories: [], unitTerritory: [], borders: null }
  const edit = useEditStore()
  const model = useModelStore()
  await edit.reset()
  await model.reset()
  fake.calls.length = 0
  return { fake, plan, edit, model, view: useViewStore() }
}

describe('model store', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }))
  afterEach(() => {
    vi.useRealTimers()
    delete w.go
  })

  it('reads alerts and segments when a plan opens', async () => {
    const { model } = await setup()
    expect(model.available).toBe(true)
    expect(model.alertCount).toBe(1)
    expect(model.alertsByTerritory.get('A')?.[0].metric).toBe('potential')
    expect(model.classes).toEqual(['A'])
    expect(model.hasModel).toBe(true)
  })

  it('applies assumptions as one edit and re-reads the figures', async () => {
    const { fake, model, edit } = await setup()
    const draft = clone(model.settings!)
    draft.weeksPerYear = 44
    draft.weights = { ...draft.weights, travelHours: 0 }
    let sent: unknown = null
    fake.answers['EditService.SetSettings'] = (s) => {
      sent = s
      return result()
    }
    expect(await model.applySettings(draft)).toBe('')
    expect((sent as { weeksPerYear: number }).weeksPerYear).toBe(44)
    expect((sent as { weights: Record<string, number> }).weights).not.toHaveProperty('travelHours')
    expect(fake.calls).toContain('EditService.Settings')
    expect(edit.lastKind).toBe('settings')
    expect(edit.gestureActive).toBe(false)
  })

  it("returns Go's refusal instead of a notice, and changes nothing", async () => {
    const { fake, model, view, edit } = await setup()
    fake.answers['EditService.SetSettings'] = () => {
      throw new Error('metrics: weeks per year is 60, want more than 0 and at most 53')
    }
    const before = edit.applied
    expect(await model.applySettings(clone(model.settings!))).toMatch(/weeks per year/)
    expect(view.notices).toEqual([])
    expect(edit.applied).toBe(before)
  })

  it('re-reads alerts once edits settle, not during a gesture', async () => {
    const { fake, edit } = await setup()
    edit.beginGesture()
    await edit.apply(result({ kind: 'paint', settings: false }))
    await vi.advanceTimersByTimeAsync(500)
    expect(fake.calls.filter((c) => c === 'ModelService.Alerts')).toHaveLength(0)
    edit.endGesture()
    await vi.advanceTimersByTimeAsync(500)
    expect(fake.calls.filter((c) => c === 'ModelService.Alerts')).toHaveLength(1)
  })

  it('reads quotas while their tab is open, again when the period changes', async () => {
    const { fake, model } = await setup()
    model.show('quotas')
    await nextTick()
    await vi.advanceTimersByTimeAsync(10)
    expect(fake.calls).toContain('ModelService.Quotas')
    model.quotaPeriod = 'week'
    await nextTick()
    await vi.advanceTimersByTimeAsync(10)
    expect(model.quotas?.period).toBe('week')
  })

  it('focusing an alert selects its territory and asks the map to fly there', async () => {
    const { model, view } = await setup()
    const fly = view.flyRequest
    model.focusAlert('A', 'balance')
    expect(view.selectedId).toBe('A')
    expect(view.flyRequest).toBe(fly + 1)
  })

  it('without ModelService: no alerts, and no model figures asked for', async () => {
    setActivePinia(createPinia())
    fakeGo()
    ;(w.go as { app: Record<string, unknown> }).app.ModelService = undefined
    const plan = usePlanStore()
    plan.info = info
    const model = useModelStore()
    await model.reset()
    expect(model.available).toBe(false)
    expect(model.alerts).toBeNull()
  })
})

describe('map expressions', () => {
  it('class colours: A, B, C fixed, others from a palette', () => {
    const c = classColours(['A', 'B', 'C', 'Gold', 'Silver'])
    expect(c.A).toBe('#b91c1c')
    expect(c.Gold).not.toBe(c.Silver)
  })
  it('filters keep groups and the classes shown', () => {
    expect(accountFilter([], '')).toBeNull()
    const f = JSON.stringify(accountFilter(['C'], 'whiteSpace'))
    expect(f).toContain('"any"')
    expect(f).toContain('["literal",["C"]]')
    expect(f).toContain('"%"')
  })
  it('colours accounts by class (groups too: see map/modelLayers.test.ts)', () => {
    const e = JSON.stringify(tierColourExpression(['A', 'B']))
    expect(e).toContain('"A","#b91c1c","B","#0f766e"')
  })
  it('the heat map weighs potential in units of the mean account potential', () => {
    const l = heatLayer(2000, null) as { paint: Record<string, unknown>; filter?: unknown }
    expect(JSON.stringify(l.paint['heatmap-weight'])).toContain('2000')
    expect(l.filter).toBeUndefined()
    expect(JSON.stringify((heatLayer(0, accountFilter(['A'], '')) as { paint: Record<string, unknown> }).paint['heatmap-weight'])).toContain(',1]')
  })
})
