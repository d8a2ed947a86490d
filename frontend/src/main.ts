import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import './style.css'
import { PlanService } from './api'

/**
 * Reports the page's warnings, errors and unhandled failures to Go (the
 * desktop window prints them when smoke-tested), at most 50 of them.
 */
function forwardProblems(): void {
  let left = 50
  const send = (level: string, parts: unknown[]) => {
    if (left-- <= 0) return
    const text = parts.map((p) => (p instanceof Error ? `${p.message}\n${p.stack ?? ''}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' ')
    PlanService.Log(level, text).catch(() => {})
  }
  for (const level of ['warn', 'error'] as const) {
    const orig = console[level].bind(console)
    console[level] = (...args: unknown[]) => {
      orig(...args)
      send(level, args)
    }
  }
  window.addEventListener('error', (e) => send('error', [e.error ?? e.message]))
  window.addEventListener('unhandledrejection', (e) => send('error', [e.reason]))
}

forwardProblems()

createApp(App).use(createPinia()).use(i18n).mount('#app')
