import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import type { Alignment, EditResult, LiveUpdate, PlanInfo, TerritoryRow } from '../api/types'
import { changeSince } from '../edit/figures'
import { useEditStore } from './edit'
import { usePlanStore } from './plan'
import { useViewStore } from './view'

type W = { go?: unknown }
const w = window as unknown as W

function row(id: string, kind: string, accounts: number, parent = ''): TerritoryRow {
  return { id, name: id, kind, parent, rep: '', color: '#112233', depth: 0, accounts, units: 0, potential: accounts * 10, revenue: 0, lifetimeValue: 0, potentialShare: 0, potentialDeviation: 0 }
}

const info: PlanInfo = { open: true, path: '/p.territoria', name: 'P', currency: 'USD', schemaVersion: 1, readOnly: false, accounts: 30, reps: 0, units: 3, scenarios: null, activeScenario: 's1', bounds: [0, 0, 1, 1] }
const alignment: Alignment = {
  scenarioId: 's1',
  version: 1,
  territories: [
    { id: 'A', name: 'A', kind: 'territory', parent: '', repId: '', rep: '', color: '#ff0000', label: null },
    { id: 'B', name: 'B', kind: 'territory', parent: '', repId: '', rep: '', color: '#00ff00', label: null },
  ],
  unitTerritory: [0, 0, 1],
  borders: null,
}

function result(over: Partial<EditResult>): EditResult {
  return {
    kind: 'paint',
    version: 2,
    units: [],
    accountsMoved: 0,
    structure: false,
    drawn: false,
    rows: null,
    balance: { index: 50, metrics: null },
    undo: { canUndo: true, canRedo: false, undoKind: 'paint', redoKind: '', undoCount: 1, redoCount: 0 },
    ...over,
  }
}

/** A fake EditService recording calls; each method answers from `answers` or with an empty result. */
function fakeGo() {
  const calls: [string, unknown[]][] = []
  const answers: Record<string, (...a: unknown[]) => unknown> = {}
  const svc = new Proxy(
    {},
    {
      get: (_t, name: string) =>
        async (...args: unknown[]) => {
          calls.push([name, args])
          if (answers[name]) return answers[name](...args)
          if (name === 'History') return []
          if (name === 'Drawn') return { areas: { type: 'FeatureCollection', features: [] }, arcs: [] }
          if (name === 'Metrics') return [{ name: 'population', unit: '', summed: true, balanced: true }]
          if (name === 'Settings') return { callPlans: null, defaultCallPlan: { visitsPerYear: 4, visitMinutes: 30, travelMinutes: 30 }, weeksPerYear: 46, weights: null, targets: null, bands: [0.1, 0.2, 0.4] }
          if (name === 'Balance') return { index: 41, metrics: null }
          return result({ kind: name })
        },
    },
  )
  const plan = { Alignment: async () => ({ ...alignment, version: 9 }) }
  w.go = { app: { EditService: svc, PlanService: plan } }
  return { calls, answers }
}

async function setup() {
  setActivePinia(createPinia())
  const fake = fakeGo()
  const plan = usePlanStore()
  plan.info = info
  plan.rows = [row('A', 'territory', 20), row('B', 'territory', 10), row('', 'plan', 30)]
  plan.alignment = alignment
  const edit = useEditStore()
  await edit.reset()
  fake.calls.length = 0
  return { fake, plan, edit, view: useViewStore() }
}

describe('edit store', () => {
  beforeEach(() => vi.useRealTimers())
  afterEach(() => {
    delete w.go
  })

  it('an edit replaces the rows, recolours units and keeps its starting figures for the panel', async () => {
    const { fake, plan, edit } = await setup()
    fake.answers.PaintUnits = async () =>
      result({ units: [{ unit: 2, territory: 0 }], rows: [row('A', 'territory', 25), row('B', 'territory', 5), row('', 'plan', 30)] })
    const r = await edit.paintUnits(['u2'], 'A')
    expect(r).not.toBeNull()
    expect(fake.calls[0]).toEqual(['PaintUnits', [['u2'], 'A']])
    expect(plan.rows.map((x) => x.accounts)).toEqual([25, 5, 30])
    expect(plan.alignment!.unitTerritory).toEqual([0, 0, 0])
    expect(plan.alignment!.version).toBe(2)
    expect(edit.undo.undoKind).toBe('paint')
    expect(edit.gestureActive).toBe(false)
    expect(changeSince(edit.snapshot, plan.rows[0], 'accounts')).toBe(5)
    expect(changeSince(edit.snapshot, plan.rows[1], 'accounts')).toBe(-5)
    expect(changeSince(edit.snapshot, plan.rows[2], 'accounts')).toBe(0)
  })

  it("a refused edit changes nothing and shows Go's message", async () => {
    const { fake, plan, edit, view } = await setup()
    fake.answers.PaintUnits = async () => Promise.reject(new Error('territory T12 (Des Moines) is locked'))
    const before = plan.rows
    expect(await edit.paintUnits(['u1'], 'B')).toBeNull()
    expect(plan.rows).toBe(before)
    expect(view.notices.map((n) => [n.kind, n.text])).toEqual([['error', 'territory T12 (Des Moines) is locked']])
  })

  it('re-reads the alignment after a structural edit and the drawn areas after a drawn one', async () => {
    const { fake, plan, edit } = await setup()
    fake.answers.CreateTerritory = async () => result({ kind: 'create', structure: true, drawn: true, created: 'T9' })
    const r = await edit.createTerritory({ name: 'N', kind: 'territory', parent: '', color: '', repId: '', ring: [[0, 0], [1, 0], [1, 1]] })
    expect(r?.created).toBe('T9')
    expect(plan.alignment!.version).toBe(9)
    expect(fake.calls.map((c) => c[0])).toEqual(['CreateTerritory', 'Drawn'])
  })

  it('a paint stroke is one gesture over several requests, one in flight at a time, folded into one edit', async () => {
    const { fake, plan, edit } = await setup()
    const pending: ((r: EditResult) => void)[] = []
    fake.answers.PaintUnits = () => new Promise((res) => pending.push(res))
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
    expect(edit.strokeBegin()).toBe(true)
    edit.strokeAdd(['u0'])
    await wait(20)
    edit.strokeAdd(['u1'])
    edit.strokeAdd(['u2'])
    await wait(20)
    expect(fake.calls.map((c) => c[1])).toEqual([[['u0'], '']])
    pending[0](result({ rows: [row('A', 'territory', 19), row('B', 'territory', 10), row('', 'plan', 30)], units: [{ unit: 0, territory: -1 }] }))
    await wait(150)
    expect(fake.calls[1][1]).toEqual([['u1', 'u2'], ''])
    // Mid-stroke the account tiles keep their version, and the panel follows the stroke.
    expect(plan.alignment!.version).toBe(1)
    expect(changeSince(edit.snapshot, plan.rows[0], 'accounts')).toBe(-1)
    const end = edit.strokeEnd()
    pending[1](result({ version: 3, units: [{ unit: 1, territory: -1 }], rows: [row('A', 'territory', 18), row('B', 'territory', 9), row('', 'plan', 30)] }))
    // Two edits become one: both undone, then every unit painted at once.
    for (let i = 0; i < 20 && pending.length < 3; i++) await wait(5)
    expect(fake.calls.map((c) => c[0])).toEqual(['PaintUnits', 'PaintUnits', 'Undo', 'Undo', 'PaintUnits'])
    expect(fake.calls[4][1]).toEqual([['u0', 'u1', 'u2'], ''])
    pending[2](result({ version: 6, units: [{ unit: 0, territory: -1 }, { unit: 1, territory: -1 }], rows: [row('A', 'territory', 18), row('B', 'territory', 9), row('', 'plan', 30)] }))
    await end
    expect(edit.gestureActive).toBe(false)
    expect(plan.alignment!.version).toBe(6)
    expect(plan.alignment!.unitTerritory).toEqual([-1, -1, 1])
    expect(changeSince(edit.snapshot, plan.rows[0], 'accounts')).toBe(-2)
  })

  it('a stroke of one request is not folded', async () => {
    const { fake, edit } = await setup()
    edit.strokeBegin()
    edit.strokeAdd(['u0'])
    await new Promise((r) => setTimeout(r, 20))
    await edit.strokeEnd()
    expect(fake.calls.map((c) => c[0])).toEqual(['PaintUnits'])
  })

  it('a vertex drag shows live rows and areas, then commits as one edit', async () => {
    const { fake, plan, edit } = await setup()
    edit.drawn = {
      areas: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'A', color: '#f00' }, geometry: null }] },
      arcs: [{ id: 1, coords: [[0, 0], [1, 1], [2, 0]], territories: ['A', 'B'], locked: false }],
    }
    fake.answers.BeginDrag = async () => ({ vertex: { arc: 1, index: 1 }, territories: ['A', 'B'], point: [1, 1] })
    const live: LiveUpdate = {
      rows: [row('A', 'territory', 22), row('B', 'territory', 8)],
      balance: { index: 60, metrics: null },
      areas: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'A', color: '#0f0' }, geometry: null }] },
      accountsMoved: 2,
    }
    fake.answers.DragTo = async () => live
    fake.answers.EndDrag = async (commit) => result({ kind: commit ? 'reshape' : '', drawn: true, rows: [row('A', 'territory', 22), row('B', 'territory', 8), row('', 'plan', 30)] })
    expect(await edit.dragBegin({ arc: 1, index: 1 })).toBe(true)
    edit.dragMove([1.5, 1.5])
    expect(edit.arcs[0].coords[1]).toEqual([1.5, 1.5])
    await new Promise((r) => setTimeout(r, 40))
    expect(plan.rows.map((r) => r.accounts)).toEqual([22, 8, 30])
    expect(edit.drawn!.areas!.features[0].properties.color).toBe('#0f0')
    expect(edit.dragAccountsMoved).toBe(2)
    expect(edit.gestureActive).toBe(true)
    await edit.dragEnd(true)
    expect(fake.calls.map((c) => c[0])).toEqual(['BeginDrag', 'DragTo', 'EndDrag', 'Drawn'])
    expect(fake.calls[2][1]).toEqual([true])
    expect(edit.drag).toBeNull()
    expect(edit.gestureActive).toBe(false)
    expect(changeSince(edit.snapshot, plan.rows[0], 'accounts')).toBe(2)
  })

  it('a refused drag start leaves nothing half-begun', async () => {
    const { fake, edit, view } = await setup()
    fake.answers.BeginDrag = async () => Promise.reject(new Error('territory A (A) is locked'))
    expect(await edit.dragBegin({ arc: 1, index: 0 })).toBe(false)
    expect(edit.drag).toBeNull()
    expect(edit.gestureActive).toBe(false)
    expect(view.notices[0].text).toBe('territory A (A) is locked')
  })

  it('undo is asked only when there is something to undo', async () => {
    const { fake, edit } = await setup()
    await edit.undoEdit()
    expect(fake.calls).toEqual([])
    edit.undo = { ...edit.undo, canUndo: true }
    await edit.undoEdit()
    expect(fake.calls.map((c) => c[0])).toEqual(['Undo'])
  })

  it('derives the undo state from the history when a plan opens', async () => {
    const { fake, edit, plan } = await setup()
    fake.answers.History = async () => [
      { seq: 1, kind: 'paint', summary: '', at: '', undone: false },
      { seq: 2, kind: 'merge', summary: '', at: '', undone: true },
    ]
    plan.info = { ...info, activeScenario: 's2' }
    await nextTick()
    await new Promise((r) => setTimeout(r, 10))
    expect(edit.undo).toMatchObject({ canUndo: true, canRedo: true, undoKind: 'paint', redoKind: 'merge' })
  })

  it('read-only plans cannot be edited', async () => {
    const { fake, edit, plan } = await setup()
    plan.info = { ...info, readOnly: true }
    expect(edit.canEdit).toBe(false)
    expect(await edit.paintUnits(['u'], 'A')).toBeNull()
    edit.setTool('paint')
    expect(edit.tool).toBe('select')
    expect(fake.calls.filter((c) => c[0] === 'PaintUnits')).toEqual([])
  })

  it('a baseline from another scenario replaces the rows with their baseline figures', async () => {
    const { fake, plan, edit } = await setup()
    const withBase = [{ ...row('A', 'territory', 20), baseline: { accounts: 12 } }, row('', 'plan', 30)]
    fake.answers.SetBaseline = async () => withBase
    await edit.setBaseline('s2')
    expect(fake.calls).toEqual([['SetBaseline', ['s2']]])
    expect(edit.baselineId).toBe('s2')
    expect(plan.rows[0].baseline).toEqual({ accounts: 12 })
  })

  it("reads the plan's bands and balance when a plan opens, and again after a settings edit", async () => {
    const { fake, edit } = await setup()
    expect(edit.bands).toEqual([0.1, 0.2, 0.4])
    expect(edit.balance?.index).toBe(41)
    fake.answers.SetSettings = async () => result({ kind: 'settings', settings: true })
    fake.answers.Settings = async () => ({ bands: [0.05, 0.1, 0.2] })
    await edit.run(() => (window as any).go.app.EditService.SetSettings({}))
    expect(edit.bands).toEqual([0.05, 0.1, 0.2])
  })

  it('the same plan read again (after an import) refreshes history and drawn areas but keeps the tool', async () => {
    const { fake, edit, plan } = await setup()
    edit.setTool('paint')
    plan.info = { ...info }
    await nextTick()
    await new Promise((r) => setTimeout(r, 10))
    expect(edit.tool).toBe('paint')
    expect(fake.calls.map((c) => c[0]).sort()).toEqual(['Balance', 'Drawn', 'History', 'Metrics', 'Settings'])
  })

  it('without a selected territory Paint takes the first one, never "unassign" by default', async () => {
    const { edit } = await setup()
    edit.setTool('paint')
    expect(edit.activeId).toBe('A')
  })

  it('choosing Paint takes the selected territory as the one to paint with', async () => {
    const { edit, view } = await setup()
    view.select('B')
    edit.setTool('paint')
    expect(edit.activeId).toBe('B')
  })
})
