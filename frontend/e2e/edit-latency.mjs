// Round-trip times of editing calls as the page sees them in the browser mode:
// a demo server, headless Chromium, and EditService called from the page.
//
//   TERRITORIA_BIN=../build/bin/territoria-headless node e2e/edit-latency.mjs [rounds]
//
// Prints the median and 95th percentile in milliseconds of PaintUnits, Undo,
// DragTo (a vertex shared by two drawn territories), SelectUnits and the
// re-reads after an edit (Alignment, Drawn, History).
import { withDemoPage } from './demo-page.mjs'

const rounds = Number(process.argv[2] ?? 60)
await withDemoPage('EditService', async (page) => {
  const out = await page.evaluate(async (rounds) => {
    const E = window.go.app.EditService
    const P = window.go.app.PlanService
    const units = (await P.Units()).features.map((f) => f.properties.uid)
    const al = await P.Alignment()
    const ids = al.territories.filter((t) => t.kind === 'territory').map((t) => t.id)
    /** A territory other than unit u's, so that painting changes something. */
    const other = (u, i) => ids.filter((id) => id !== al.territories[al.unitTerritory[u]]?.id)[i % (ids.length - 1)]
    const times = {}
    const time = async (name, fn) => {
      const t0 = performance.now()
      const r = await fn()
      ;(times[name] ??= []).push(performance.now() - t0)
      return r
    }
    for (let i = 0; i < rounds; i++) {
      const u = (i * 37) % units.length
      await time('PaintUnits (1 unit)', () => E.PaintUnits([units[u]], other(u, i)))
      await time('Undo', () => E.Undo())
      await time('Alignment', () => P.Alignment())
    }
    // Two drawn territories sharing a border, then drags of the shared vertex.
    await E.CreateTerritory({ name: 'A', kind: 'territory', parent: '', color: '', repId: '', ring: [[-101.5, 41.5], [-97, 41.5], [-97, 37.5], [-101.5, 37.5]] })
    await E.SplitTerritory((await P.Alignment()).territories.find((t) => t.name === 'A').id, [[-99.3, 42.3], [-99, 39.5], [-99.3, 36.8]], 'B')
    const d = await E.Drawn()
    const arc = d.arcs.find((a) => (a.territories ?? []).length === 2)
    const v = { arc: arc.id, index: Math.floor(arc.coords.length / 2) }
    const [x, y] = arc.coords[v.index]
    for (let k = 0; k < 5; k++) {
      await time('BeginDrag', () => E.BeginDrag(v))
      for (let i = 1; i <= rounds; i++) await time('DragTo', () => E.DragTo(x + (i / rounds) * 1.5, y + Math.sin(i / 5) * 0.3))
      await time('EndDrag(false)', () => E.EndDrag(false))
    }
    for (let i = 0; i < rounds; i++) {
      const r = 0.5 + (i % 10) * 0.2
      await time('SelectUnits (lasso)', () => E.SelectUnits([[-93 - r, 42 - r], [-93 + r, 42 - r], [-93 + r, 42 + r], [-93 - r, 42 + r], [-93 - r, 42 - r]]))
      await time('Drawn', () => E.Drawn())
      await time('History', () => E.History())
    }
    const stat = (a) => {
      const s = [...a].sort((p, q) => p - q)
      return { n: s.length, median: +s[Math.floor(s.length / 2)].toFixed(2), p95: +s[Math.min(s.length - 1, Math.floor(s.length * 0.95))].toFixed(2) }
    }
    return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stat(v)]))
  }, rounds)
  console.table(out)
})
