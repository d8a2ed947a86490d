import { describe, expect, it } from 'vitest'
import { OneInFlight, mergeIds } from './throttle'

/** A request Go has not answered yet. */
interface Call<S> {
  step: S
  resolve: (v: string) => void
  reject: (e: unknown) => void
}

/** A OneInFlight over a fake send, with frames run by hand. */
function harness(merge?: (a: number[], b: number[]) => number[]) {
  const calls: Call<number[]>[] = []
  const results: string[] = []
  const errors: unknown[] = []
  const frames: (() => void)[] = []
  const q = new OneInFlight<number[], string>(
    (step) =>
      new Promise<string>((resolve, reject) => {
        calls.push({ step, resolve, reject })
      }),
    (r) => results.push(r),
    (e) => errors.push(e),
    merge,
    (cb) => frames.push(cb),
  )
  const frame = () => frames.splice(0).forEach((f) => f())
  const settle = () => new Promise((r) => setTimeout(r, 0))
  return { q, calls, results, errors, frames, frame, settle }
}

describe('OneInFlight', () => {
  it('waits for a frame before sending', () => {
    const h = harness()
    h.q.push([1])
    expect(h.calls).toHaveLength(0)
    h.frame()
    expect(h.calls.map((c) => c.step)).toEqual([[1]])
  })

  it('keeps one request in flight and sends only the newest step after it (vertex positions)', async () => {
    const h = harness()
    h.q.push([1])
    h.frame()
    h.q.push([2])
    h.q.push([3])
    h.q.push([4])
    h.frame()
    expect(h.calls).toHaveLength(1)
    h.calls[0].resolve('r1')
    await h.settle()
    expect(h.results).toEqual(['r1'])
    expect(h.calls).toHaveLength(1)
    h.frame()
    expect(h.calls.map((c) => c.step)).toEqual([[1], [4]])
    h.calls[1].resolve('r4')
    await h.settle()
    expect(h.results).toEqual(['r1', 'r4'])
    expect(h.q.sent).toBe(2)
    expect(h.q.busy).toBe(false)
  })

  it('merges pending steps with the merge function (paint strokes)', async () => {
    const h = harness((a, b) => [...a, ...b])
    h.q.push([1])
    h.frame()
    h.q.push([2])
    h.q.push([3])
    h.calls[0].resolve('a')
    await h.settle()
    h.frame()
    expect(h.calls[1].step).toEqual([2, 3])
  })

  it('reports a failed request and carries on', async () => {
    const h = harness()
    h.q.push([1])
    h.frame()
    h.q.push([2])
    h.calls[0].reject(new Error('unit 19153 (Polk) is locked'))
    await h.settle()
    expect(h.errors.map(String)).toEqual(['Error: unit 19153 (Polk) is locked'])
    h.frame()
    h.calls[1].resolve('ok')
    await h.settle()
    expect(h.results).toEqual(['ok'])
  })

  it('flush sends the pending step without a frame and resolves when all are answered', async () => {
    const h = harness()
    h.q.push([1])
    h.frame()
    h.q.push([2])
    let done = false
    const f = h.q.flush().then(() => (done = true))
    await h.settle()
    expect(done).toBe(false)
    h.calls[0].resolve('1')
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(done).toBe(false)
    h.calls[1].resolve('2')
    await f
    expect(h.results).toEqual(['1', '2'])
    expect(h.q.busy).toBe(false)
  })

  it('discard drops the pending step; close also ignores late answers', async () => {
    const h = harness()
    h.q.push([1])
    h.frame()
    h.q.push([2])
    h.q.discard()
    h.calls[0].resolve('1')
    await h.settle()
    h.frame()
    expect(h.calls).toHaveLength(1)
    h.q.push([3])
    h.frame()
    h.q.close()
    h.calls[1].resolve('late')
    await h.settle()
    expect(h.results).toEqual(['1'])
    h.q.push([4])
    h.frame()
    expect(h.calls).toHaveLength(2)
  })

  it('a send that throws synchronously is an error, not a crash', async () => {
    const errors: unknown[] = []
    const q = new OneInFlight<number, number>(
      () => {
        throw new Error('boom')
      },
      () => {},
      (e) => errors.push(e),
      undefined,
      (cb) => cb(),
    )
    q.push(1)
    await q.flush()
    expect(errors).toHaveLength(1)
  })
})

describe('mergeIds', () => {
  it('keeps first-seen order without repeats', () => {
    expect(mergeIds(['a', 'b'], ['b', 'c', 'a', 'd'])).toEqual(['a', 'b', 'c', 'd'])
    expect(mergeIds([], [])).toEqual([])
  })
})
