import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, EditService, hasEditService } from './index'

type W = { go?: unknown }
const w = window as unknown as W

describe('EditService wrapper', () => {
  let calls: [string, unknown[]][]
  beforeEach(() => {
    calls = []
    const svc = new Proxy(
      {},
      {
        get: (_t, name: string) =>
          (...args: unknown[]) => {
            calls.push([name, args])
            if (name === 'PaintUnits' && args[1] === 'T12') return Promise.reject('territory T12 (Des Moines) is locked')
            return Promise.resolve(null)
          },
      },
    )
    w.go = { app: { PlanService: {}, EditService: svc } }
  })
  afterEach(() => delete w.go)

  it('is detected', () => expect(hasEditService()).toBe(true))
  it('passes arguments through in order, as Go declares them', async () => {
    await EditService.InsertVertex(3, 1, -93.5, 41.2)
    await EditService.DeleteTerritory('T1', 'T2')
    await EditService.RemoveVertex({ arc: 3, index: 2 })
    await EditService.UpdateTerritory('T1', { locked: true })
    expect(calls).toEqual([
      ['InsertVertex', [3, 1, -93.5, 41.2]],
      ['DeleteTerritory', ['T1', 'T2']],
      ['RemoveVertex', [{ arc: 3, index: 2 }]],
      ['UpdateTerritory', ['T1', { locked: true }]],
    ])
  })
  it('turns null lists into empty ones', async () => {
    expect(await EditService.History()).toEqual([])
    expect(await EditService.SelectUnits([[0, 0], [1, 0], [1, 1], [0, 0]])).toEqual([])
    expect(await EditService.SelectAccounts([[0, 0], [1, 0], [1, 1], [0, 0]], 10)).toEqual({ ids: [], count: 0 })
    expect(await EditService.SetBaseline('')).toEqual([])
    expect(await EditService.Metrics()).toEqual([])
  })
  it("rejects a refused edit with Go's message", async () => {
    const err = await EditService.PaintUnits(['19153'], 'T12').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toBe('territory T12 (Des Moines) is locked')
    expect(err.method).toBe('EditService.PaintUnits')
  })
  it('is missing on a Go side without it', () => {
    w.go = { app: { PlanService: {} } }
    expect(hasEditService()).toBe(false)
  })
})
