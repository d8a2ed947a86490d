// The planning model in the browser mode: the Assumptions panel changes the
// plan's settings as one undoable edit (the balance index then is what
// `territoria metrics` reports), values Go refuses are explained in place,
// the documented defaults are those of a new plan; customer tiers, the
// potential heat map and the alerts follow an edit; quotas add up and match
// `territoria quota`; both languages render.
import type { Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, expect, openDemo, call, decodePNG, waitForMapIdle } from './helpers'
import { DEFAULT_SETTINGS, diffPaths } from '../src/model/settings'

/** Screenshots for people to look at. */
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../artifacts/model')

/** Runs the CLI with args on a copy of the plan file (the server holds the file's lock; edits are committed before they answer). */
function cli<T = any>(planPath: string, args: string[]): T {
  const dir = mkdtempSync(join(tmpdir(), 'territoria-model-'))
  try {
    const copy = join(dir, 'copy.territoria')
    copyFileSync(planPath, copy)
    const env = { ...process.env, TERRITORIA_HOME: dir }
    const [cmd, ...rest] = args
    return JSON.parse(execFileSync(process.env.TERRITORIA_BIN!, [cmd, copy, ...rest, '--json'], { encoding: 'utf8', env }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The state of a Pinia store of the page. */
async function store<T = any>(page: Page, id: string): Promise<T> {
  return page.evaluate((id) => {
    const app = (document.querySelector('#app') as any).__vue_app__
    return JSON.parse(JSON.stringify(app.config.globalProperties.$pinia.state.value[id]))
  }, id)
}

async function history(page: Page): Promise<{ kind: string; undone: boolean }[]> {
  return page.evaluate(() => (window as any).go.app.EditService.History())
}

async function shot(page: Page, name: string, testInfo: { outputPath: (n: string) => string }) {
  await waitForMapIdle(page)
  mkdirSync(ARTIFACTS, { recursive: true })
  const buf = await page.screenshot({ path: testInfo.outputPath(name) })
  copyFileSync(testInfo.outputPath(name), join(ARTIFACTS, name))
  return buf
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

  // Hiding classes takes their accounts out of the heat map (close enough for single accounts: aggregated tiles hold no class).
  await page.evaluate(() => (window as any).__territoria.map.jumpTo({ center: [-87.9, 42.0], zoom: 6.5 }))
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
