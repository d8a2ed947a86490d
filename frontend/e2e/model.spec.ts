// The planning model in the browser mode: the Assumptions panel changes the
// plan's settings as one undoable edit (the balance index then is what
// `territoria metrics` reports), values Go refuses are explained in place,
// the documented defaults are those of a new plan; customer tiers, the
// potential heat map and the alerts follow an edit; the map's account
// classes, flag filter and white-space rings follow the plan's segmentation
// (and a change of its cut-offs); quotas add up and match `territoria
// quota`; both languages render.
import type { Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, expect, openDemo, call, cli, store, history, artifactsDir, shotTo, moveMap, decodePNG, hexRGB, waitForMapIdle, type Image } from './helpers'
import { DEFAULT_SETTINGS, diffPaths } from '../src/model/settings'
import { CLASS_COLOURS } from '../src/map/modelLayers'

/** Screenshots for people to look at. */
const ARTIFACTS = artifactsDir('model')
const shot = (page: Page, name: string, testInfo: { outputPath: (n: string) => string }) => shotTo(ARTIFACTS, page, name, testInfo)

/** Each account's class and white-space flag under a plan's segmentation, with what `territoria tiers` reports. */
interface Segments {
  tiers: any
  classOf: Map<string, string>
  whiteSpace: Set<string>
}

/**
 * The segmentation of the plan (on a copy, as cli() does): every account's
 * potential and revenue from `territoria export --geojson`, ranked by the
 * Pareto rule of docs/model.md ("Customer segments": largest first, ties by
 * account order; A while the running total before it is below cut A × the
 * total, B below cut B; white space: class A or B and revenue below the
 * share of potential). The classes and flags so found must add up to what
 * `territoria tiers` reports, account for account count.
 */
function cliSegments(planPath: string): Segments {
  const dir = mkdtempSync(join(tmpdir(), 'territoria-segments-'))
  try {
    const copy = join(dir, 'copy.territoria')
    copyFileSync(planPath, copy)
    const env = { ...process.env, TERRITORIA_HOME: dir }
    const bin = process.env.TERRITORIA_BIN!
    const tiers = JSON.parse(execFileSync(bin, ['tiers', copy, '--json'], { encoding: 'utf8', env }))
    const out = join(dir, 'plan.geojson')
    execFileSync(bin, ['export', copy, '--geojson', out, '--quiet', '--json'], { encoding: 'utf8', env })
    const accounts = JSON.parse(readFileSync(out, 'utf8')).features.filter((f: any) => f.properties.layer === 'accounts')
    expect(tiers.basis, 'the demo ranks accounts by potential').toBe('potential')
    const pot: number[] = accounts.map((f: any) => Math.max(0, Number(f.properties.potential) || 0))
    const rev: number[] = accounts.map((f: any) => Math.max(0, Number(f.properties.revenue) || 0))
    const order = pot.map((v, i) => i).filter((i) => pot[i] > 0)
    order.sort((a, b) => pot[b] - pot[a] || a - b)
    const total = order.reduce((s, i) => s + pot[i], 0)
    const cls = pot.map(() => 2)
    let run = 0
    for (const i of order) {
      if (run < tiers.cutA * total) cls[i] = 0
      else if (run < tiers.cutB * total) cls[i] = 1
      run += pot[i]
    }
    const classOf = new Map<string, string>()
    const whiteSpace = new Set<string>()
    accounts.forEach((f: any, i: number) => {
      classOf.set(f.properties.id, 'ABC'[cls[i]])
      if (cls[i] <= 1 && pot[i] > 0 && rev[i] < tiers.whiteSpaceShare * pot[i]) whiteSpace.add(f.properties.id)
    })
    const counts = ['A', 'B', 'C'].map((c) => [c, [...classOf.values()].filter((x) => x === c).length])
    expect(counts, 'the Pareto rule gives the classes territoria tiers counts').toEqual(tiers.classes.map((c: any) => [c.name, c.accounts]))
    expect(whiteSpace.size, 'and its white space').toBe(tiers.flags.find((f: any) => f.name === 'whiteSpace').accounts)
    return { tiers, classOf, whiteSpace }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** An account feature the map drew: where (page pixels), its tile properties and its evaluated circle paint. */
interface Drawn {
  id: string
  n: number
  c: string | undefined
  f: number
  x: number
  y: number
  r: number
  colour: string
  /** True when no page element covers the centre (labels, legend, tool bar). */
  clear: boolean
}

/**
 * Account features the map has drawn on a layer, once each, whose centre
 * lies at least inset pixels inside the map (a ring and a circle of the
 * same account then count alike near the edges).
 */
async function drawn(page: Page, layer = 'accounts-circle', inset = 24): Promise<Drawn[]> {
  await waitForMapIdle(page)
  return page.evaluate(
    ([layer, inset]) => {
      const m = (window as any).__territoria.map
      const canvas = m.getCanvas() as HTMLCanvasElement
      const box = canvas.getBoundingClientRect()
      const hex = (c: any) => (c ? '#' + [c.r, c.g, c.b].map((v: number) => Math.round(v * 255).toString(16).padStart(2, '0')).join('') : '')
      const seen = new Set<string>()
      const out: any[] = []
      for (const f of m.queryRenderedFeatures({ layers: [layer] })) {
        const p = f.properties ?? {}
        const [lng, lat] = (f.geometry as any).coordinates
        const pt = m.project([lng, lat])
        if (pt.x < inset || pt.y < inset || pt.x > box.width - inset || pt.y > box.height - inset) continue
        const n = Number(p.n ?? 1)
        const key = n > 1 ? `g${Math.round(pt.x)},${Math.round(pt.y)}` : String(p.id)
        if (seen.has(key)) continue
        seen.add(key)
        const x = box.left + pt.x
        const y = box.top + pt.y
        out.push({ id: String(p.id ?? ''), n, c: p.c, f: Number(p.f ?? 0), x, y, r: Number(f.layer.paint?.['circle-radius'] ?? 0), colour: hex(f.layer.paint?.['circle-color']), clear: document.elementFromPoint(x, y) === canvas })
      }
      return out
    },
    [layer, inset] as const,
  )
}

/**
 * drawn() once the map has stopped adding features: new tiles may still be
 * arriving when the map first reports idle on a busy machine.
 */
async function settled(page: Page, layer = 'accounts-circle'): Promise<Drawn[]> {
  let last = await drawn(page, layer)
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(400)
    const now = await drawn(page, layer)
    if (now.length === last.length) return now
    last = now
  }
  return last
}

/** Moves the map and waits until it has drawn. */
async function jump(page: Page, center: [number, number], zoom: number): Promise<void> {
  await moveMap(page, center, zoom)
  await waitForMapIdle(page)
}

/** Waits until the account tiles of the page's alignment version are drawn (after an edit, undo or redo). */
async function tilesOfVersion(page: Page, version0: number): Promise<void> {
  await expect.poll(async () => (await store(page, 'plan')).alignment.version).toBeGreaterThan(version0)
  const v = (await store(page, 'plan')).alignment.version
  await expect.poll(() => page.evaluate(() => (window as any).__territoria.map.getSource('accounts')?.tiles?.[0] ?? '')).toContain(`v=${v}`)
  await waitForMapIdle(page)
}

/**
 * The class whose colour, drawn over the background at the circles'
 * opacity, is nearest the pixel at each isolated single account's centre;
 * returns how many of those agree with the account's class, and of how many.
 */
function classesByPixel(img: Image, accounts: readonly Drawn[], opacity: number): { agree: number; of: number; wrong: string[] } {
  const px = (x: number, y: number) => {
    const i = (Math.round(y) * img.width + Math.round(x)) * 4
    return [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]]
  }
  let agree = 0
  let of = 0
  const wrong: string[] = []
  for (const a of accounts) {
    if (!a.clear || a.n > 1 || !a.c) continue
    // Isolated: no other circle within reach of this one or of the background sample beside it.
    const reach = a.r * 2 + 8
    if (accounts.some((b) => b !== a && Math.hypot(b.x - a.x, b.y - a.y) < reach + b.r)) continue
    if (a.x + a.r + 4 >= img.width || a.y >= img.height) continue
    const bg = px(a.x + a.r + 4, a.y)
    const got = px(a.x, a.y)
    let best = ''
    let bestD = Infinity
    for (const [c, hex] of Object.entries(CLASS_COLOURS)) {
      const want = hexRGB(hex).map((v, k) => opacity * v + (1 - opacity) * bg[k])
      const d = Math.hypot(...want.map((v, k) => v - got[k]))
      if (d < bestD) [best, bestD] = [c, d]
    }
    of++
    if (best === a.c) agree++
    else wrong.push(`${a.id} ${a.c}→${best} at ${Math.round(a.x)},${Math.round(a.y)}`)
  }
  return { agree, of, wrong }
}

/** Pixels of the map in heat-map colours (orange to red, as heatLayer paints them); some territories have such colours too, so compare counts. */
async function heatPixels(page: Page): Promise<number> {
  await waitForMapIdle(page)
  const box = (await page.getByTestId('map').boundingBox())!
  const img = decodePNG(await page.screenshot({ clip: box }))
  let n = 0
  for (let i = 0; i < img.rgba.length; i += 4) {
    const [r, g, b] = [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]]
    if (r > 200 && g < 150 && b < 90 && r - g > 90) n++
  }
  return n
}

test('a balance weight changed in the Assumptions panel: the index is what territoria metrics reports, and Undo restores it', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const before = cli(info.path, ['metrics'])
  await expect(page.getByTestId('balance-index')).toContainText(String(Math.round(before.balance.index)))

  // From the Plan menu.
  await page.getByTestId('menu-plan').click()
  await page.getByTestId('menu-plan-assumptions').click()
  await expect(page.getByTestId('model-drawer')).toBeVisible()
  // The demo plan sets some assumptions of its own.
  await page.getByTestId('section-workload').click()
  const status0 = (await page.getByTestId('assumptions-status').innerText()).trim()
  const n0 = Number(/^(\d+) values differ/.exec(status0)?.[1] ?? 0)
  await expect(page.getByTestId('assumptions-apply')).toBeDisabled()

  await page.getByTestId('section-balance').click()
  const weight = page.getByTestId('weight-input-potential')
  await expect(weight).toHaveValue('30')
  await weight.fill('80')
  await expect(page.getByTestId('weight-potential')).toHaveClass(/is-changed/)
  await expect(page.getByTestId('assumptions-status')).toContainText(`${n0 + 1} values differ from the defaults`)
  await expect(page.getByTestId('section-balance')).toContainText('1')
  await expect(page.getByTestId('field-bands.0')).not.toHaveClass(/is-changed/)
  await shot(page, 'assumptions-weight.png', testInfo)

  await page.getByTestId('assumptions-apply').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['settings'])
  await expect(page.getByTestId('undo-label')).toHaveText('Undo assumptions')
  const after = cli(info.path, ['metrics'])
  expect(after.balance.index).not.toBeCloseTo(before.balance.index, 3)
  expect(after.balance.metrics.potential.weight).toBe(80)
  expect(cli(info.path, ['settings']).weights.potential).toBe(80)
  // The footer shows Go's index, and the page holds exactly the CLI's number.
  await expect(page.getByTestId('balance-index')).toContainText(String(Math.round(after.balance.index)))
  await expect.poll(async () => (await store(page, 'edit')).balance.index).toBeCloseTo(after.balance.index, 9)
  // The panel re-read the plan's assumptions: the value stays, nothing is pending.
  await expect(weight).toHaveValue('80')
  await expect(page.getByTestId('assumptions-apply')).toBeDisabled()
  await shot(page, 'assumptions-applied.png', testInfo)

  // Undo in the edit tool bar takes it back, everywhere.
  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  const undone = cli(info.path, ['metrics'])
  expect(undone.balance.index).toBeCloseTo(before.balance.index, 9)
  await expect(page.getByTestId('balance-index')).toContainText(String(Math.round(before.balance.index)))
  await expect(weight).toHaveValue('30')
  await expect(page.getByTestId('assumptions-status')).toContainText(status0.split(' · ')[0])
  await shot(page, 'assumptions-undone.png', testInfo)
  expect(pageErrors).toEqual([])
})

test('a value the plan refuses is explained next to it and nothing changes; a non-number cannot be applied', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('model-tool-assumptions').click()
  await page.getByTestId('section-balance').click()

  // Band 2 below band 1: Go refuses the bands.
  await page.getByTestId('input-bands.1').fill('3')
  await page.getByTestId('assumptions-apply').click()
  const field = page.getByTestId('field-bands.0')
  await expect(field.getByTestId('field-error')).toContainText('not ascending')
  await expect(page.getByTestId('settings-error-summary')).toContainText('Balance')
  expect(await history(page)).toEqual([])

  // A refusal about a value in another section takes the planner there.
  await page.getByTestId('input-bands.1').fill('10')
  await expect(field.getByTestId('field-error')).toHaveCount(0)
  await page.getByTestId('section-alerts').click()
  await page.getByTestId('input-model.alerts.utilisationLow').fill('120')
  await page.getByTestId('section-balance').click()
  await page.getByTestId('assumptions-apply').click()
  await expect(page.getByTestId('section-alerts')).toHaveClass(/is-active/)
  await expect(page.getByTestId('field-model.alerts.utilisationLow').getByTestId('field-error')).toContainText('is not below high utilisation')
  await shot(page, 'assumptions-refused.png', testInfo)
  expect(await history(page)).toEqual([])

  // Not a number: Apply waits.
  await page.getByTestId('input-model.alerts.utilisationLow').fill('abc')
  await expect(page.getByTestId('field-model.alerts.utilisationLow')).toContainText('Enter a number')
  await expect(page.getByTestId('assumptions-apply')).toBeDisabled()
  await page.getByTestId('assumptions-discard').click()
  await expect(page.getByTestId('input-model.alerts.utilisationLow')).toHaveValue('70')
  expect(pageErrors).toEqual([])
})

test('the documented defaults are those of a new plan, and "Reset to defaults" brings them back', async ({ page, server, pageErrors }) => {
  // A new plan holds no settings: `territoria settings` shows the defaults.
  const dir = mkdtempSync(join(tmpdir(), 'territoria-defaults-'))
  try {
    const env = { ...process.env, TERRITORIA_HOME: dir }
    const p = join(dir, 'new.territoria')
    execFileSync(process.env.TERRITORIA_BIN!, ['new', p, '--json'], { env })
    const fresh = JSON.parse(execFileSync(process.env.TERRITORIA_BIN!, ['settings', p, '--json'], { encoding: 'utf8', env }))
    expect(diffPaths(fresh, DEFAULT_SETTINGS)).toEqual([])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  await openDemo(page, server)
  const info = await call(page, 'Info')
  const demo = cli(info.path, ['settings'])
  await page.getByTestId('model-tool-assumptions').click()

  // The demo's own assumptions are marked; "Reset to defaults" and Apply make the plan follow the defaults.
  await page.getByTestId('assumptions-defaults').click()
  await expect(page.getByTestId('assumptions-status')).toHaveText('Every value is the documented default')
  await page.getByTestId('assumptions-apply').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['settings'])
  expect(diffPaths(cli(info.path, ['settings']), DEFAULT_SETTINGS)).toEqual([])
  await expect(page.getByTestId('assumptions-apply')).toBeDisabled()

  // Two values changed: marked, with their defaults, counted.
  await page.getByTestId('input-weeksPerYear').fill('44')
  await page.getByTestId('section-segments').click()
  await page.getByTestId('input-model.segments.cutA').fill('70')
  await expect(page.getByTestId('field-model.segments.cutA')).toContainText('Default: 80 %')
  await expect(page.getByTestId('field-model.segments.cutA')).toHaveClass(/is-changed/)
  await expect(page.getByTestId('assumptions-status')).toContainText('2 values differ from the defaults')
  await page.getByTestId('assumptions-apply').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['settings', 'settings'])
  const changed = cli(info.path, ['settings'])
  expect(changed.weeksPerYear).toBe(44)
  expect(changed.model.segments.cutA).toBeCloseTo(0.7, 12)
  expect(diffPaths(changed, DEFAULT_SETTINGS).sort()).toEqual(['model.segments.cutA', 'weeksPerYear'])

  // One field back to its default with its own button.
  await page.getByTestId('reset-model.segments.cutA').click()
  await expect(page.getByTestId('assumptions-status')).toContainText('1 values differ from the defaults')

  // Two undos bring back the demo's own assumptions.
  await page.getByTestId('assumptions-discard').click()
  await page.getByTestId('undo').click()
  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true, true])
  expect(diffPaths(cli(info.path, ['settings']), demo)).toEqual([])
  expect(pageErrors).toEqual([])
})

test('tiers, the potential heat map and the alerts follow an edit; Undo brings them back', async ({ page, server, pageErrors }, testInfo) => {
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const rows = (await store(page, 'plan')).rows as any[]
  const from = rows.find((r) => r.name === 'The Dakotas')
  const into = rows.find((r) => r.name === 'Minnesota')
  expect(from && into, 'the demo has The Dakotas and Minnesota').toBeTruthy()

  // Tier mix in the panel: the Tiers figures, as the CLI reports them.
  await page.getByTestId('metric-set-tiers').click()
  const before = cli(info.path, ['metrics'])
  const cliRow = (m: any, id: string) => m.rows.find((r: any) => r.id === id)
  const tierA = cliRow(before, into.id).values['tier.A']
  await expect(page.getByTestId(`territory-row-${into.id}`).locator('.fig__v').first()).toHaveText(String(tierA))
  await expect(page.getByTestId(`territory-row-${into.id}`).getByTestId('tier-mix')).toBeVisible()

  // The map: accounts by class, heat map of potential, alert markers.
  await page.getByTestId('legend-toggle').click()
  await page.getByTestId('accounts-by-tier').click()
  const noHeat = await heatPixels(page)
  await page.getByTestId('toggle-heat').click()
  await expect.poll(() => page.evaluate(() => !!(window as any).__territoria.map.getLayer('accounts-heat'))).toBe(true)
  const heat0 = await heatPixels(page)
  expect(heat0 - noHeat, 'the heat map draws potential').toBeGreaterThan(1500)
  await expect(page.getByTestId(`alert-marker-${from.id}`)).toBeVisible()

  // Alerts as `territoria alerts` reports them.
  const alertKeys = (list: any[]) => list.map((a) => `${a.rule}/${a.territory}/${a.metric ?? ''}`).sort()
  const cliAlerts0 = cli(info.path, ['alerts'])
  await expect.poll(async () => alertKeys((await store(page, 'model')).alerts.alerts)).toEqual(alertKeys(cliAlerts0.alerts))
  expect(alertKeys(cliAlerts0.alerts).some((k) => k.startsWith('potentialShift/'))).toBe(false)
  // A marker on the map opens the alerts on its territory and selects it.
  await page.getByTestId(`alert-marker-${from.id}`).click()
  await expect(page.getByTestId('model-tab-alerts')).toHaveAttribute('aria-selected', 'true')
  await expect.poll(async () => (await store(page, 'view')).selectedId).toBe(from.id)
  await expect(page.getByTestId(`alert-balance-${from.id}`)).toHaveClass(/is-focused|is-selected/)
  await expect(page.getByTestId('alerts-count')).toHaveText(`${cliAlerts0.alerts.length} alerts`)
  await page.getByTestId('detail-close').click()
  await page.getByTestId('menu-view').click()
  await page.getByTestId('menu-view-fit').click()
  await shot(page, 'model-before-edit.png', testInfo)

  // The edit: every unit of The Dakotas goes to Minnesota (as a paint stroke would send them).
  const version0 = (await store(page, 'plan')).alignment.version
  await page.evaluate(
    async ({ from, into }) => {
      const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
      const plan = pinia._s.get('plan')
      const idx = plan.alignment.territories.findIndex((t: any) => t.id === from)
      const uids = plan.units.features.filter((_: any, i: number) => plan.alignment.unitTerritory[i] === idx).map((f: any) => f.properties.uid)
      await pinia._s.get('edit').paintUnits(uids, into)
    },
    { from: from.id, into: into.id },
  )
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['paint'])

  // Tiers: Minnesota holds both territories' classes.
  const after = cli(info.path, ['metrics'])
  expect(cliRow(after, into.id).values['tier.A']).toBe(tierA + cliRow(before, from.id).values['tier.A'])
  await expect(page.getByTestId(`territory-row-${into.id}`).locator('.fig__v').first()).toHaveText(String(cliRow(after, into.id).values['tier.A']))
  // Alerts: the potential shift against the baseline fires for both, as the CLI says.
  const cliAlerts1 = cli(info.path, ['alerts'])
  const keys1 = alertKeys(cliAlerts1.alerts)
  expect(keys1).toContain(`potentialShift/${into.id}/`)
  await expect.poll(async () => alertKeys((await store(page, 'model')).alerts.alerts)).toEqual(keys1)
  await expect(page.getByTestId(`alert-potentialShift-${into.id}`)).toBeVisible()
  await expect(page.getByTestId('alert-badge')).toHaveText(String(cliAlerts1.alerts.length))
  // The heat map is drawn over the new account tiles.
  await expect.poll(async () => (await store(page, 'plan')).alignment.version).toBeGreaterThan(version0)
  await expect.poll(() => page.evaluate(() => !!(window as any).__territoria.map.getLayer('accounts-heat'))).toBe(true)
  const tiles = await page.evaluate(() => (window as any).__territoria.map.getSource('accounts').tiles[0])
  expect(tiles).toContain(`v=${(await store(page, 'plan')).alignment.version}`)
  await page.getByTestId('model-close').click()
  const on1 = await heatPixels(page)
  await page.getByTestId('toggle-heat').click()
  const off1 = await heatPixels(page)
  await page.getByTestId('toggle-heat').click()
  expect(on1 - off1, 'the heat map is drawn again over the new tiles').toBeGreaterThan(1500)
  await page.getByTestId('model-tool-alerts').click()
  // Clicking an alert selects its territory.
  await page.getByTestId(`alert-potentialShift-${into.id}`).click()
  await expect.poll(async () => (await store(page, 'view')).selectedId).toBe(into.id)
  await shot(page, 'model-after-edit.png', testInfo)

  // Hiding classes takes their single accounts out of the heat map (groups stay: they mix classes).
  await moveMap(page, [-87.9, 42.0], 6.5)
  const all = await heatPixels(page)
  await page.getByTestId('class-toggle-A').click()
  await page.getByTestId('class-toggle-B').click()
  const onlyC = await heatPixels(page)
  expect(onlyC, 'class C alone holds far less potential').toBeLessThan(all * 0.7)
  await shot(page, 'model-heat-class-c.png', testInfo)
  await page.getByTestId('class-toggle-A').click()
  await page.getByTestId('class-toggle-B').click()

  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  await expect.poll(async () => alertKeys((await store(page, 'model')).alerts.alerts)).toEqual(alertKeys(cliAlerts0.alerts))
  await expect(page.getByTestId(`territory-row-${into.id}`).locator('.fig__v').first()).toHaveText(String(tierA))
  expect(pageErrors).toEqual([])
})

test('the map follows the segmentation: classes, golden filter and white-space rings as territoria tiers has them, after a cut-off change and its Undo', async ({ page, server, pageErrors }, testInfo) => {
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const seg0 = cliSegments(info.path)
  const cutA0 = seg0.tiers.cutA

  // Accounts by class; alert markers off so that nothing covers the circles.
  await page.getByTestId('legend-toggle').click()
  await page.getByTestId('accounts-by-tier').click()
  await page.getByTestId('toggle-alert-markers').click()
  await expect(page.getByTestId('legend-groups')).toHaveText('Groups, in the colour of the class holding most of their potential')

  // The whole country: groups, coloured by the class holding most of their potential, not grey.
  const groups = (await drawn(page)).filter((a) => a.n > 1)
  expect(groups.length, 'the fitted demo draws groups').toBeGreaterThan(50)
  for (const g of groups) {
    expect(['A', 'B', 'C'], 'a group carries a class').toContain(g.c)
    expect(g.colour, `group of ${g.n} of class ${g.c}`).toBe(CLASS_COLOURS[g.c!])
  }
  await page.getByTestId('legend-groups').scrollIntoViewIfNeeded()
  await shot(page, 'model-groups.png', testInfo)

  // Twin Cities at zoom 8: single accounts only, each of the class territoria tiers gives it, in its colour.
  await jump(page, [-93.3, 45.0], 8)
  const singles0 = await settled(page)
  expect(singles0.length, 'single accounts drawn').toBeGreaterThan(200)
  expect(singles0.every((a) => a.n === 1)).toBe(true)
  for (const a of singles0) {
    expect(a.c, `class of ${a.id}`).toBe(seg0.classOf.get(a.id))
    expect(a.colour, `colour of ${a.id}`).toBe(CLASS_COLOURS[a.c!])
    expect((a.f & 4) !== 0, `white space of ${a.id}`).toBe(seg0.whiteSpace.has(a.id))
  }
  const count = (as: readonly Drawn[], c: string) => as.filter((a) => a.c === c).length
  expect(count(singles0, 'A'), 'class A accounts in view').toBeGreaterThan(20)
  // The pixels: each isolated account's centre is nearest its own class colour over the ground (circles are drawn at 75 %).
  const px0 = classesByPixel(decodePNG(await page.screenshot()), singles0, 0.75)
  expect(px0.of, 'isolated accounts to look at').toBeGreaterThan(12)
  expect(px0.agree / px0.of, `pixels of the wrong class: ${px0.wrong.join('; ')}`).toBeGreaterThanOrEqual(0.9)
  await shot(page, 'model-classes.png', testInfo)

  // Golden only: every drawn account (and group, further out) has bit 1.
  await page.getByTestId('flag-filter').selectOption('golden')
  await expect(page.getByTestId('legend-groups-kept-flag')).toBeVisible()
  const golden = await drawn(page)
  expect(golden.length).toBeGreaterThan(5)
  expect(golden.length).toBeLessThan(singles0.length)
  expect(golden.filter((a) => !(a.f & 1)).map((a) => a.id)).toEqual([])
  expect(golden.map((a) => a.id).sort()).toEqual(singles0.filter((a) => a.f & 1).map((a) => a.id).sort())
  await shot(page, 'model-golden.png', testInfo)
  await jump(page, [-96.3, 37.5], 3.6)
  const goldenGroups = (await drawn(page)).filter((a) => a.n > 1)
  expect(goldenGroups.length, 'groups with a golden account stay').toBeGreaterThan(10)
  expect(goldenGroups.filter((g) => !(g.f & 1)).length).toBe(0)
  await page.getByTestId('flag-filter').selectOption('')
  const allGroups = (await drawn(page)).filter((a) => a.n > 1)
  expect(allGroups.length).toBeGreaterThanOrEqual(goldenGroups.length)

  // White-space rings: exactly the drawn single accounts with bit 4.
  await jump(page, [-93.3, 45.0], 8)
  await page.getByTestId('toggle-white-space').check()
  await expect.poll(() => page.evaluate(() => !!(window as any).__territoria.map.getLayer('accounts-white-space'))).toBe(true)
  const rings = await drawn(page, 'accounts-white-space')
  const ringIds = rings.map((a) => a.id).sort()
  expect(ringIds.length, 'white-space rings drawn').toBeGreaterThan(5)
  expect(ringIds).toEqual((await drawn(page)).filter((a) => a.f & 4).map((a) => a.id).sort())
  expect(ringIds.every((id) => seg0.whiteSpace.has(id))).toBe(true)
  // A hidden class takes its rings with its circles.
  await page.getByTestId('class-toggle-A').click()
  await expect(page.getByTestId('legend-groups-kept-class')).toBeVisible()
  const ringsNoA = (await drawn(page, 'accounts-white-space')).map((a) => a.id)
  expect(ringsNoA.length).toBeLessThan(ringIds.length)
  expect(ringsNoA.every((id) => seg0.classOf.get(id) !== 'A')).toBe(true)
  await page.getByTestId('class-toggle-A').click()
  await page.getByTestId('legend-groups').scrollIntoViewIfNeeded()
  await shot(page, 'model-white-space.png', testInfo)
  await page.getByTestId('toggle-white-space').uncheck()

  // A group's tooltip says whose colour it wears.
  await jump(page, [-96.3, 37.5], 3.6)
  const big = (await drawn(page)).filter((a) => a.n > 1 && a.clear).sort((a, b) => b.n - a.n)[0]
  await page.mouse.move(big.x, big.y)
  await expect(page.getByTestId('map-tooltip')).toContainText(/Class \(most potential\)\s*[ABC]/)
  await page.mouse.move(5, 400)

  // Cut-off A 60 % → 30 % in the Assumptions panel: fewer A, every account as territoria tiers has it after the edit.
  const version0 = (await store(page, 'plan')).alignment.version
  await page.getByTestId('model-tool-assumptions').click()
  await page.getByTestId('section-segments').click()
  await page.getByTestId('input-model.segments.cutA').fill('30')
  await page.getByTestId('assumptions-apply').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['settings'])
  await page.getByTestId('model-close').click()
  await jump(page, [-93.3, 45.0], 8)
  await tilesOfVersion(page, version0)
  const seg1 = cliSegments(info.path)
  expect(seg1.tiers.cutA).toBeCloseTo(0.3, 12)
  expect(seg1.tiers.classes[0].accounts, 'fewer class A accounts in the plan').toBeLessThan(seg0.tiers.classes[0].accounts)
  const singles1 = await settled(page)
  expect(singles1.length).toBe(singles0.length)
  for (const a of singles1) {
    expect(a.c, `class of ${a.id} after the edit`).toBe(seg1.classOf.get(a.id))
    expect(a.colour).toBe(CLASS_COLOURS[a.c!])
  }
  expect(count(singles1, 'A'), 'fewer class A accounts on the map').toBeLessThan(count(singles0, 'A'))
  const px1 = classesByPixel(decodePNG(await page.screenshot()), singles1, 0.75)
  expect(px1.agree / px1.of, `pixels of the wrong class: ${px1.wrong.join('; ')}`).toBeGreaterThanOrEqual(0.9)
  await shot(page, 'model-classes-cut30.png', testInfo)

  // Undo restores the classes, on the map and in the plan.
  const version1 = (await store(page, 'plan')).alignment.version
  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  await tilesOfVersion(page, version1)
  expect(cliSegments(info.path).tiers.cutA).toBeCloseTo(cutA0, 12)
  const singles2 = await settled(page)
  expect(singles2.map((a) => `${a.id}:${a.c}`).sort()).toEqual(singles0.map((a) => `${a.id}:${a.c}`).sort())

  // The legend in Chinese.
  await page.getByTestId('lang-zh-CN').click()
  await page.getByTestId('flag-filter').selectOption('whiteSpace')
  await page.getByTestId('class-toggle-C').click()
  await expect(page.getByTestId('legend-groups')).toHaveText('聚合点，颜色为其中潜力最大的类别')
  await expect(page.getByTestId('legend-groups-kept-class')).toHaveText('隐藏类别时聚合点保留：聚合点混合多个类别。')
  await expect(page.getByTestId('flag-filter').locator('option:checked')).toHaveText('空白市场')
  await page.getByTestId('legend-groups').scrollIntoViewIfNeeded()
  await waitForMapIdle(page)
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.getByTestId('legend').screenshot({ path: join(ARTIFACTS, 'zh-legend.png') })
  await shot(page, 'zh-model-map.png', testInfo)
  expect(pageErrors).toEqual([])
})

test('ROI is written as a multiple (×) in the panel, its tooltip and the map legend, in English and Chinese', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const metrics = cli(info.path, ['metrics'])
  const planRoi: number = metrics.rows.find((r: any) => r.kind === 'plan').values.roi
  // docs/model.md: roi = projectedRevenue / (repCost + travelCost), a ratio of the sums.
  const v = metrics.rows.find((r: any) => r.kind === 'plan').values
  expect(planRoi).toBeCloseTo(v.projectedRevenue / (v.repCost + v.travelCost), 9)
  const multiple = (x: number, locale: string) => {
    const d = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2
    return `${x.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d })}×`
  }
  await page.getByTestId('metric-set-revenue').click()
  const cell = page.getByTestId('territory-row-total').locator('.fig').nth(2)
  await expect(cell.locator('.fig__v')).toHaveText(multiple(planRoi, 'en-US'))
  await expect(cell).toHaveAttribute('title', new RegExp(`^${multiple(planRoi, 'en-US').replace('.', '\\.')}`))
  const t = metrics.rows.find((r: any) => r.kind === 'territory' && Number.isFinite(r.values?.roi))
  await expect(page.getByTestId(`territory-row-${t.id}`).locator('.fig__v').nth(2)).toHaveText(multiple(t.values.roi, 'en-US'))

  // The map coloured by ROI: the legend's range in ×.
  await page.getByTestId('legend-toggle').click()
  await page.getByTestId('mode-metric').click()
  await page.getByTestId('colour-metric').selectOption('roi')
  await expect(page.getByTestId('metric-range')).toContainText('×')
  await expect(page.getByTestId('metric-range').locator('span')).toHaveCount(2)
  for (const s of await page.getByTestId('metric-range').locator('span').allInnerTexts()) expect(s).toMatch(/^[\d,.]+×$/)

  await page.getByTestId('lang-zh-CN').click()
  await expect(cell.locator('.fig__v')).toHaveText(multiple(planRoi, 'zh-CN'))
  await expect(page.getByTestId('metric-set-revenue')).toHaveText('收入')
  await shot(page, 'zh-roi.png', testInfo)
  expect(pageErrors).toEqual([])
})

test('quotas by quarter, month and week add up and match territoria quota', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  await page.getByTestId('model-tool-quotas').click()
  await expect(page.getByTestId('quotas-reconciled')).toBeVisible()
  // The side panel makes way for the table and comes back after.
  await expect(page.getByTestId('territory-panel')).toBeHidden()

  for (const period of ['quarter', 'month', 'week'] as const) {
    await page.getByTestId(`quota-period-${period}`).click()
    const want = cli(info.path, ['quota', '--period', period])
    await expect.poll(async () => (await store(page, 'model')).quotas?.period).toBe(period)
    const got = (await store(page, 'model')).quotas
    expect(got.total).toBe(want.total)
    expect(got.rows.map((r: any) => [r.id, r.year, r.quarters, r.months ?? null])).toEqual(want.rows.map((r: any) => [r.id, r.year, r.quarters, r.months ?? null]))
    await expect(page.getByTestId('quotas-reconciled')).toBeVisible()
  }
  const want = cli(info.path, ['quota', '--period', 'week'])
  const weeks = want.rows.find((r: any) => r.kind === 'plan').weeks.length
  await expect(page.getByTestId('quota-row-plan').locator('td')).toHaveCount(3 + weeks)
  await shot(page, 'quotas-week.png', testInfo)

  // A plan total typed in is split instead of last year's revenue.
  await page.getByTestId('quota-period-quarter').click()
  await page.getByTestId('quota-total').fill('2000000000')
  await page.getByTestId('quota-refresh').click()
  await expect.poll(async () => (await store(page, 'model')).quotas?.total).toBe(2000000000)
  const q = (await store(page, 'model')).quotas
  expect(q.rows.filter((r: any) => r.kind === 'territory').reduce((s: number, r: any) => s + r.year, 0)).toBe(2000000000)
  await expect(page.getByTestId('quotas-reconciled')).toBeVisible()
  await shot(page, 'quotas-quarter.png', testInfo)

  await page.getByTestId('model-close').click()
  await expect(page.getByTestId('territory-panel')).toBeVisible()
  expect(pageErrors).toEqual([])
})

test('the model renders in Simplified Chinese', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('lang-zh-CN').click()
  await page.getByTestId('menu-plan').click()
  await expect(page.getByTestId('menu-plan-assumptions')).toHaveText('假设…')
  await page.getByTestId('menu-plan-assumptions').click()
  await expect(page.getByTestId('model-tab-assumptions')).toHaveText('假设')
  await expect(page.getByTestId('assumptions-apply')).toHaveText('应用')
  await page.getByTestId('section-segments').click()
  await expect(page.getByTestId('field-model.segments.cutA')).toContainText('A 类截至')
  await page.getByTestId('metric-set-revenue').click()
  await shot(page, 'zh-assumptions.png', testInfo)
  await page.getByTestId('model-tab-alerts').click()
  await expect(page.getByTestId('alerts-count')).toContainText('条预警')
  await expect(page.getByTestId('alerts-balance')).toContainText('均衡偏差')
  await shot(page, 'zh-alerts.png', testInfo)
  // No English words left in the drawer.
  const text = await page.getByTestId('model-drawer').innerText()
  expect(text.match(/\b(Assumptions|Alerts|Quotas|Apply|Balance deviation|against target)\b/g)).toBeNull()
  expect(pageErrors).toEqual([])
})
