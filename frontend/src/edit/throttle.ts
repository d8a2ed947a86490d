// Sending a stream of gesture steps (vertex drags, paint strokes) to Go with
// at most one request in flight: steps that arrive while a request runs are
// merged into one pending step, sent on the next animation frame after the
// request returns.

/** Schedules a callback for the next frame; returns nothing useful. */
export type FrameScheduler = (cb: () => void) => unknown

const defaultFrame: FrameScheduler = (cb) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16)

/**
 * One request in flight at a time. push(step) records a step; merge combines
 * a pending step with a newer one (default: keep the newer, as for a vertex
 * position). Results are handed to onResult in order; a failed request goes
 * to onError and the stream continues.
 */
export class OneInFlight<S, R> {
  private pending: S | undefined
  private hasPending = false
  private inFlight: Promise<void> | null = null
  private frameScheduled = false
  private closed = false
  /** Number of requests sent so far. */
  sent = 0

  constructor(
    private send: (step: S) => Promise<R>,
    private onResult: (r: R, step: S) => void,
    private onError: (e: unknown, step: S) => void = () => {},
    private merge: (older: S, newer: S) => S = (_o, n) => n,
    private frame: FrameScheduler = defaultFrame,
  ) {}

  /** Records a step to send; it is merged with any step not yet sent. */
  push(step: S): void {
    if (this.closed) return
    this.pending = this.hasPending ? this.merge(this.pending as S, step) : step
    this.hasPending = true
    this.schedule()
  }

  /** True while a request runs or a step waits to be sent. */
  get busy(): boolean {
    return this.inFlight !== null || this.hasPending
  }

  private schedule(): void {
    if (this.frameScheduled || this.inFlight || !this.hasPending) return
    this.frameScheduled = true
    this.frame(() => {
      this.frameScheduled = false
      this.fire()
    })
  }

  private fire(): void {
    if (this.inFlight || !this.hasPending) return
    const step = this.pending as S
    this.pending = undefined
    this.hasPending = false
    this.sent++
    let req: Promise<R>
    try {
      req = this.send(step)
    } catch (e) {
      req = Promise.reject(e)
    }
    this.inFlight = req
      .then(
        (r) => {
          if (!this.closed) this.onResult(r, step)
        },
        (e) => {
          if (!this.closed) this.onError(e, step)
        },
      )
      .finally(() => {
        this.inFlight = null
        this.schedule()
      })
  }

  /**
   * Sends any pending step at once (without waiting for a frame) and resolves
   * when nothing is in flight or pending; used before ending a gesture so the
   * last step reaches Go first.
   */
  async flush(): Promise<void> {
    for (let guard = 0; guard < 1000; guard++) {
      if (this.inFlight) {
        await this.inFlight
        continue
      }
      if (this.hasPending) {
        this.fire()
        continue
      }
      return
    }
  }

  /** Drops any pending step and ignores results still to come. */
  close(): void {
    this.closed = true
    this.pending = undefined
    this.hasPending = false
  }

  /** Drops the pending step (the request in flight still completes). */
  discard(): void {
    this.pending = undefined
    this.hasPending = false
  }
}

/** Merges two lists of ids, keeping first-seen order and dropping repeats (a paint stroke's units). */
export function mergeIds(older: readonly string[], newer: readonly string[]): string[] {
  const out = [...older]
  const seen = new Set(older)
  for (const id of newer) {
    if (!seen.has(id)) {
      seen.add(id)
      out.push(id)
    }
  }
  return out
}
