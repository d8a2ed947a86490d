import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, BridgeMissingError, PlanService, accountTilesURL, hasBridge, onEvent, tileFetchPath, waitForBridge } from './index'
import { loadAccountTile } from '../map/protocol'

type W = { go?: unknown; runtime?: unknown }
const w = window as unknown as W

describe('PlanService wrapper', () => {
  let calls: [string, unknown[]][]
  beforeEach(() => {
    calls = []
    const svc = new Proxy(
      {},
      {
        get: (_t, name: string) =>
          (...args: unknown[]) => {
            calls.push([name, args])
            if (name === 'ChooseOpenPath') return Promise.reject('no-dialog')
            if (name === 'OpenPlan') return Promise.reject(new Error(`cannot open ${args[0]}: not a plan file`))
            if (name === 'Scenarios' || name === 'Territories' || name === 'RecentPlans') return Promise.resolve(null)
            if (name === 'Info') return Promise.resolve({ open: false })
            return Promise.resolve(undefined)
          },
      },
    )
    w.go = { app: { PlanService: svc } }
  })
  afterEach(() => {
    delete w.go
    delete w.runtime
  })

  it('passes arguments through in order', async () => {
    await PlanService.CloneScenario('s1', 'Copy')
    await PlanService.SetLanguage('zh-CN')
    await PlanService.Ready('map')
    expect(calls).toEqual([
      ['CloneScenario', ['s1', 'Copy']],
      ['SetLanguage', ['zh-CN']],
      ['Ready', ['map']],
    ])
  })
  it('returns the resolved value', async () => {
    expect(await PlanService.Info()).toEqual({ open: false })
  })
  it('turns null lists into empty arrays', async () => {
    expect(await PlanService.Scenarios()).toEqual([])
    expect(await PlanService.Territories()).toEqual([])
    expect(await PlanService.RecentPlans()).toEqual([])
  })
  it('wraps a rejected string as ApiError and recognises no-dialog', async () => {
    const err = await PlanService.ChooseOpenPath().catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.isNoDialog).toBe(true)
    expect(err.method).toBe('PlanService.ChooseOpenPath')
  })
  it('keeps the Go message of a rejected Error', async () => {
    const err = await PlanService.OpenPlan('/x.txt').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.message).toBe('cannot open /x.txt: not a plan file')
    expect(err.isNoDialog).toBe(false)
  })
  it('reports the bridge present', () => expect(hasBridge()).toBe(true))
})

describe('without Go', () => {
  it('rejects with BridgeMissingError', async () => {
    delete w.go
    expect(hasBridge()).toBe(false)
    await expect(PlanService.Info()).rejects.toBeInstanceOf(BridgeMissingError)
  })
  it('waitForBridge gives up after the timeout', async () => {
    expect(await waitForBridge(60)).toBe(false)
  })
  it('waitForBridge sees a late bridge', async () => {
    setTimeout(() => (w.go = { app: { PlanService: {} } }), 20)
    expect(await waitForBridge(1000)).toBe(true)
    delete w.go
  })
  it('onEvent is a no-op', () => {
    const off = onEvent('plan:changed', () => {})
    expect(() => off()).not.toThrow()
  })
})

describe('onEvent', () => {
  it('delivers the first payload and stops after unsubscribe', () => {
    const handlers = new Map<string, (...d: unknown[]) => void>()
    w.runtime = { EventsOn: (n: string, cb: (...d: unknown[]) => void) => (handlers.set(n, cb), () => handlers.delete(n)) }
    const got: unknown[] = []
    const off = onEvent('menu:action', (a) => got.push(a))
    handlers.get('menu:action')!('open', 'extra')
    off()
    expect(got).toEqual(['open'])
    expect(handlers.has('menu:action')).toBe(false)
    delete w.runtime
  })
  it('ignores events after unsubscribe even if the runtime keeps calling', () => {
    let cb: ((...d: unknown[]) => void) | null = null
    w.runtime = { EventsOn: (_n: string, f: (...d: unknown[]) => void) => void (cb = f) }
    const got: unknown[] = []
    const off = onEvent('plan:changed', (p) => got.push(p))
    off()
    cb!({ open: true })
    expect(got).toEqual([])
    delete w.runtime
  })
})

describe('account tiles', () => {
  it('builds a protocol URL with escaped scenario', () => {
    expect(accountTilesURL('a b&c', 7)).toBe('territoria://accounts/{z}/{x}/{y}?s=a%20b%26c&v=7')
  })
  it('maps protocol URLs to the served path', () => {
    expect(tileFetchPath('territoria://accounts/5/9/12?s=s1&v=3')).toBe('/tiles/accounts/5/9/12.pbf?s=s1&v=3')
    expect(tileFetchPath('territoria://accounts/0/0/0')).toBe('/tiles/accounts/0/0/0.pbf')
  })
  it('rejects other URLs', () => {
    expect(() => tileFetchPath('territoria://units/1/2/3')).toThrow(/not an account tile URL/)
    expect(() => tileFetchPath('https://x/accounts/1/2/3')).toThrow()
  })
  it('loader fetches the path and returns the bytes; 204 is an empty tile; errors throw', async () => {
    const f = vi.fn(async (url: string) => {
      if (url.includes('/1/0/0')) return new Response(null, { status: 204 })
      if (url.includes('/2/0/0')) return new Response('boom', { status: 500 })
      return new Response(new Uint8Array([1, 2, 3]), { status: 200 })
    })
    const buf = await loadAccountTile('territoria://accounts/3/1/2?s=s&v=1', undefined, f as unknown as typeof fetch)
    expect([...new Uint8Array(buf)]).toEqual([1, 2, 3])
    expect(f.mock.calls[0][0]).toBe('/tiles/accounts/3/1/2.pbf?s=s&v=1')
    expect((await loadAccountTile('territoria://accounts/1/0/0', undefined, f as unknown as typeof fetch)).byteLength).toBe(0)
    await expect(loadAccountTile('territoria://accounts/2/0/0', undefined, f as unknown as typeof fetch)).rejects.toThrow(/HTTP 500/)
  })
})
