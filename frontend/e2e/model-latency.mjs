// Round-trip times of the planning model's calls as the page sees them in
// the browser mode: a demo server, headless Chromium, and the services
// called from the page.
//
//   TERRITORIA_BIN=../build/bin/territoria-headless node e2e/model-latency.mjs [rounds]
//
// Prints the median and 95th percentile in milliseconds of ModelService.Alerts,
// Tiers and Quotas (by quarter and by week), PlanService.Reps and
// Territories, and EditService.SetSettings (a changed segment cut-off, all
// figures recomputed) with its Undo.
import { withDemoPage } from './demo-page.mjs'

const rounds = Number(process.argv[2] ?? 20)
await withDemoPage('ModelService', async (page) => {
  const out = await page.evaluate(async (rounds) => {
    const { ModelService: M, PlanService: P, EditService: E } = window.go.app
    const times = {}
    const time = async (name, fn) => {
      const t0 = performance.now()
      const r = await fn()
      ;(times[name] ??= []).push(performance.now() - t0)
      return r
    }
    const settings = await E.Settings()
    for (let i = 0; i < rounds; i++) {
      await time('Alerts', () => M.Alerts())
      await time('Tiers', () => M.Tiers())
      await time('Quotas (quarter)', () => M.Quotas({ period: 'quarter', total: 0, growth: null }))
      await time('Quotas (week)', () => M.Quotas({ period: 'week', total: 0, growth: null }))
      await time('Reps', () => P.Reps())
      await time('Territories', () => P.Territories())
      const changed = structuredClone(settings)
      changed.model.segments.cutA = 0.3 + (i % 5) * 0.05
      await time('SetSettings (cut-off A)', () => E.SetSettings(changed))
      await time('Undo (settings)', () => E.Undo())
    }
    const stat = (a) => {
      const s = [...a].sort((p, q) => p - q)
      return { n: s.length, median: +s[Math.floor(s.length / 2)].toFixed(2), p95: +s[Math.min(s.length - 1, Math.floor(s.length * 0.95))].toFixed(2) }
    }
    return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stat(v)]))
  }, rounds)
  console.table(out)
})
