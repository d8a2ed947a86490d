/** An error returned by Go through the bridge; message is meant for people. */
export class ApiError extends Error {
  /** The bound method that failed, e.g. "PlanService.OpenPlan". */
  readonly method: string

  constructor(method: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.method = method
  }

  /** True when a native file dialog is not available (browser mode). */
  get isNoDialog(): boolean {
    return this.message.trim() === 'no-dialog' || /\bno-dialog\b/.test(this.message)
  }
}

/** Thrown when the page runs without the Go side (window.go missing). */
export class BridgeMissingError extends Error {
  constructor() {
    super('The Territoria service is not connected.')
    this.name = 'BridgeMissingError'
  }
}

/** Turns whatever a rejected bridge promise carried into a message. */
export function messageOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message
  if (typeof reason === 'string') return reason
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const m = (reason as { message: unknown }).message
    if (typeof m === 'string') return m
  }
  try {
    return JSON.stringify(reason) ?? String(reason)
  } catch {
    return String(reason)
  }
}
