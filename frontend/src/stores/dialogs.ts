// Promise-based in-app dialogs: a command awaits the person's answer.
import { defineStore } from 'pinia'
import { markRaw, shallowRef, type Component } from 'vue'

export interface PromptOptions {
  title: string
  label: string
  hint?: string
  value?: string
  confirm: string
  /** Monospace input for file paths. */
  path?: boolean
}

export interface ConfirmOptions {
  title: string
  body: string
  confirm: string
  danger?: boolean
}

export type Dialog =
  | { kind: 'prompt'; opts: PromptOptions; resolve: (v: string | null) => void }
  | { kind: 'confirm'; opts: ConfirmOptions; resolve: (v: boolean) => void }
  | { kind: 'settings'; resolve: () => void }
  /** A dialog component of a feature: it emits "done" with its answer (null when cancelled). */
  | { kind: 'custom'; component: Component; props: Record<string, unknown>; resolve: (v: unknown) => void }

export const useDialogStore = defineStore('dialogs', () => {
  const current = shallowRef<Dialog | null>(null)

  function close(): void {
    const d = current.value
    current.value = null
    if (!d) return
    if (d.kind === 'prompt' || d.kind === 'custom') d.resolve(null)
    else if (d.kind === 'confirm') d.resolve(false)
    else d.resolve()
  }

  /** Resolves with the entered text, or null when cancelled. */
  function prompt(opts: PromptOptions): Promise<string | null> {
    close()
    return new Promise((resolve) => {
      current.value = { kind: 'prompt', opts, resolve }
    })
  }

  function confirm(opts: ConfirmOptions): Promise<boolean> {
    close()
    return new Promise((resolve) => {
      current.value = { kind: 'confirm', opts, resolve }
    })
  }

  function settings(): Promise<void> {
    close()
    return new Promise((resolve) => {
      current.value = { kind: 'settings', resolve }
    })
  }

  /** Shows a feature's dialog component; resolves with what it emits with "done", or null when cancelled. */
  function custom<T>(component: Component, props: Record<string, unknown> = {}): Promise<T | null> {
    close()
    return new Promise((resolve) => {
      current.value = { kind: 'custom', component: markRaw(component), props, resolve: resolve as (v: unknown) => void }
    })
  }

  /** Called by the dialog component with the answer. */
  function answer(value: unknown): void {
    const d = current.value
    current.value = null
    if (!d) return
    if (d.kind === 'custom') d.resolve(value ?? null)
    else if (d.kind === 'prompt') d.resolve(typeof value === 'string' ? value : null)
    else if (d.kind === 'confirm') d.resolve(value === true)
    else d.resolve()
  }

  return { current, prompt, confirm, settings, custom, answer, close }
})
