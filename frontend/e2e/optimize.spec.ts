// Automatic territory design in the browser mode: the optimizer runs on the
// demo plan from the Scenario menu, shows its progress, is stopped once (the
// best so far becomes a scenario), runs again to the end, and its result
// scenario and report open. The new scenario's figures are those
// `territoria metrics --scenario NEW` reads from the plan file.
import type { Page } from '@playwright/test'
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, expect, openDemo, call, cli, waitForMapIdle } from './helpers'

/** Screenshots for people to look at. */
const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../artifacts/optimize')

type Row = { id: string; kind: string; name: string; accounts: number; units: number; potential: number; revenue: number; lifetimeValue: number; potentialDeviation: number }
type Metrics = { scenarioId: string; scenarioName: string; rows: Row[]; balance: { index: number; metrics: Record<string, { maxAbsDeviation: number }> } }

const key = (r: Pick<Row, 'id' | 'kind'>) => (r.kind === 'plan' || r.kind === 'unassigned' ? `#${r.kind}` : r.id)
const FIGURES = ['accounts', 'units', 'potential', 'revenue', 'lifetimeValue'] as const

const zh = JSON.parse(readFileSync(new URL('../src/i18n/optimize/zh-CN.json', import.meta.url), 'utf8'))

/** `territoria metrics PLAN --scenario S --json` on a copy of the plan file (the server holds its lock). */
function cliMetrics(planPath: string, scenario: string): Metrics {
  return cli<Metrics>(planPath, ['metrics', '--scenario', scenario])
}

/** A slice of the page's Pinia state. */
async function pinia<T = any>(page: Page, store: string): Promise<T> {
  return page.evaluate((s) => {
    const app = (document.querySelector('#app') as any).__vue_app__
    const st = app.config.globalProperties.$pinia.state.value[s]
    return JSON.parse(JSON.stringify(st, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v)))
  }, store)
}

async function menu(page: Page, item: string) {
  await page.getByTestId('menu-scenario').click()
  await page.getByTestId(`menu-scenario-${item}`).click()
}

async function shot(page: Page, name: string, testInfo: { outputPath: (n: string) => string }, target?: ReturnType<Page['getByTestId']>) {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = testInfo.outputPath(name)
  if (target) await target.screenshot({ path })
  else await page.screenshot({ path })
  copyFileSync(path, join(ARTIFACTS, name))
}

/** Notes a measured figure in the test's annotations and in artifacts/optimize/timings.txt. */
function figure(testInfo: { annotations: { type: string; description?: string }[] }, text: string) {
  testInfo.annotations.push({ type: 'figures', description: text })
  mkdirSync(ARTIFACTS, { recursive: true })
  appendFileSync(join(ARTIFACTS, 'timings.txt'), `${new Date().toISOString()} ${text}\n`)
}

/** Collects optimize:progress events in the page. */
async function listenProgress(page: Page) {
  await page.evaluate(() => {
    const w = window as any
    w.__optimizeProgress = []
    w.runtime.EventsOn('optimize:progress', (p: unknown) => w.__optimizeProgress.push({ at: Date.now(), ...(p as object) }))
  })
}
const progressEvents = (page: Page): Promise<any[]> => page.evaluate(() => (window as any).__optimizeProgress)

test('optimizer: progress, stop keeps the best so far, a full run, its scenario and its report', async ({ page, server, pageErrors }, testInfo) => {
  // Two optimizations and the map settling after each scenario switch take a while with software WebGL.
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const original = info.activeScenario as string
  const originalName = info.scenarios.find((s: any) => s.id === original).name as string
  await listenProgress(page)

  // The Scenario menu offers the optimizer; no report exists yet.
  await page.getByTestId('menu-scenario').click()
  await expect(page.getByTestId('menu-scenario-design')).toBeEnabled()
  await expect(page.getByTestId('menu-scenario-rebalance')).toBeEnabled()
  await expect(page.getByTestId('menu-scenario-report')).toBeDisabled()
  await page.getByTestId('menu-scenario-rebalance').click()
  const dialog = page.getByTestId('optimize-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('optimize-mode-rebalance')).toBeChecked()
  // Defaults: workload 60, potential 30, revenue 10; any balanced metric, unit data included.
  await expect(page.getByTestId('optimize-weight-workloadHours')).toHaveValue('60')
  await expect(page.getByTestId('optimize-weight-potential')).toHaveValue('30')
  await expect(page.getByTestId('optimize-weight-revenue')).toHaveValue('10')
  await expect(page.getByTestId('optimize-weight-population')).toHaveValue('0')
  await expect(page.getByTestId('optimize-tolerance')).toHaveValue('5')
  await expect(page.getByTestId('optimize-contiguous')).toBeChecked()
  await expect(page.getByTestId('optimize-max-revenue')).toHaveValue('10')
  await expect(page.getByTestId('optimize-name')).toHaveValue(`${originalName} (rebalanced)`)

  // Build mode asks for k and offers one territory per rep; a name in use is refused before Go is asked.
  await page.getByTestId('optimize-mode-build').check()
  await expect(page.getByTestId('optimize-territories')).toHaveValue(String(info.scenarios[0].territories))
  await expect(page.getByTestId('optimize-rep-homes')).toBeEnabled()
  await expect(page.getByTestId('optimize-name')).toHaveValue(`${info.scenarios[0].territories} territories (designed)`)
  await page.getByTestId('optimize-territories').fill('1')
  await expect(page.getByTestId('optimize-problem')).toContainText('from 2 to')
  await expect(page.getByTestId('optimize-run')).toBeDisabled()
  await page.getByTestId('optimize-territories').fill(String(info.scenarios[0].territories))
  await page.getByTestId('optimize-name').fill(originalName)
  await expect(page.getByTestId('optimize-problem')).toContainText('already exists')
  await page.getByTestId('optimize-name').fill('Stopped early')
  await expect(page.getByTestId('optimize-problem')).toHaveCount(0)
  // An exhaustive design of 40 territories from scratch runs long enough to be stopped.
  await page.getByTestId('optimize-more').click()
  await page.getByTestId('optimize-effort').selectOption({ label: 'Exhaustive (slow)' })
  await shot(page, 'dialog-en.png', testInfo, dialog)

  // Run, watch progress, stop.
  await page.getByTestId('optimize-run').click()
  await expect(page.getByTestId('optimize-progress')).toBeVisible()
  await expect(page.getByTestId('optimize-best')).toContainText('largest deviation')
  await expect(page.getByTestId('optimize-elapsed')).toHaveText(/Elapsed 0:0[2-9]/, { timeout: 30_000 })
  await expect(page.getByTestId('optimize-stop-hint')).toContainText('keeps the best territories found so far')
  await shot(page, 'progress-en.png', testInfo, dialog)
  const seen = await progressEvents(page)
  expect(seen.length).toBeGreaterThan(2)
  // At most ten a second (the first and the last may come closer).
  const gaps = seen.slice(1).map((e, i) => e.at - seen[i].at)
  expect(gaps.filter((g) => g < 60).length).toBeLessThanOrEqual(2)
  const stopAt = Date.now()
  await page.getByTestId('optimize-stop').click()
  await expect(dialog).toBeHidden({ timeout: 30_000 })
  const stopSeconds = (Date.now() - stopAt) / 1000
  await expect(page.getByTestId('notice-info')).toContainText('Stopped: the best territories found so far were saved as scenario “Stopped early”')
  const report = page.getByTestId('optimize-report')
  await expect(report).toBeVisible()
  await expect(page.getByTestId('optimize-report-stopped')).toBeVisible()
  const stopped = (await call<any[]>(page, 'Scenarios')).find((s) => s.name === 'Stopped early')
  expect(stopped, 'the stopped run saved its best so far as a scenario').toBeTruthy()
  expect(stopped.territories).toBe(info.scenarios[0].territories)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(stopped.id)
  const st = await pinia(page, 'optimize')
  const stoppedEntry = Object.values(st.reports as Record<string, any>).find((e: any) => e.scenarioId === stopped.id) as any
  expect(stoppedEntry.report.cancelled).toBe(true)
  expect(stoppedEntry.request).toMatchObject({ mode: 'build', from: '', territories: info.scenarios[0].territories, effort: 10 })
  expect(stoppedEntry.millis).toBeLessThan(60_000)
  figure(testInfo, `design 40 from scratch, exhaustive, stopped: ${stoppedEntry.millis} ms in Go, ${seen.length} progress events before the stop, ${stopSeconds.toFixed(1)} s from Stop to the report`)

  // Rebalance the original scenario, to the end, with a normal search.
  await page.getByTestId('scenario-select').selectOption(original)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(original)
  await waitForMapIdle(page)
  await page.evaluate(() => ((window as any).__optimizeProgress = []))
  await menu(page, 'rebalance')
  await expect(dialog).toBeVisible()
  // The last run's settings are offered again.
  await expect(page.getByTestId('optimize-name')).toHaveValue(`${originalName} (rebalanced)`)
  await page.getByTestId('optimize-more').click()
  await page.getByTestId('optimize-effort').selectOption({ label: 'Normal' })
  await expect(page.getByTestId('optimize-seed')).toHaveValue('1')
  const started = Date.now()
  await page.getByTestId('optimize-run').click()
  await expect(dialog).toBeHidden({ timeout: 60_000 })
  const fullSeconds = (Date.now() - started) / 1000
  await expect(report).toBeVisible()
  await expect(page.getByTestId('optimize-report-stopped')).toHaveCount(0)
  const events = await progressEvents(page)
  expect(events.length).toBeGreaterThan(0)
  expect(events[events.length - 1].phase).toBe('report')

  const scenarios: any[] = await call(page, 'Scenarios')
  const result = scenarios.find((s) => s.name === `${originalName} (rebalanced)`)
  expect(result).toBeTruthy()
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(result.id)
  await expect(page.getByTestId('scenario-select')).toHaveValue(result.id)
  await expect(page.getByTestId('optimize-report-scenario')).toContainText(result.name)
  await waitForMapIdle(page)

  // The panel shows exactly what territoria metrics reads for the new scenario.
  const cli = cliMetrics(info.path, result.id)
  expect(cli.scenarioId).toBe(result.id)
  const want = new Map(cli.rows.map((r) => [key(r), Object.fromEntries(FIGURES.map((f) => [f, r[f]]))]))
  await expect
    .poll(async () => {
      const rows: Row[] = (await pinia(page, 'plan')).rows
      return new Map(rows.map((r) => [key(r), Object.fromEntries(FIGURES.map((f) => [f, r[f]]))]))
    })
    .toEqual(want)
  // The report's figures after are those of the plan file: largest potential and revenue deviation, per territory too.
  const entry = Object.values((await pinia(page, 'optimize')).reports as Record<string, any>).find((e: any) => e.scenarioId === result.id) as any
  const rep = entry.report
  const mi = (m: string) => rep.metrics.findIndex((x: any) => x.metric === m)
  for (const m of ['potential', 'revenue']) {
    expect(rep.metrics[mi(m)].after.maxAbsDeviation).toBeCloseTo(cli.balance.metrics[m].maxAbsDeviation, 9)
  }
  const cliTerr = new Map(cli.rows.filter((r) => r.kind === 'territory').map((r) => [r.id, r]))
  expect(rep.rows.map((r: any) => r.id).sort()).toEqual([...cliTerr.keys()].sort())
  for (const r of rep.rows) expect(r.deviation[mi('potential')]).toBeCloseTo(cliTerr.get(r.id)!.potentialDeviation, 9)
  expect(rep.hasBefore).toBe(true)
  expect(rep.revenueMovedShare).toBeLessThanOrEqual(0.1 + 1e-9) // the 10 % cap
  figure(
    testInfo,
    `rebalance, normal: ${entry.millis} ms in Go, ${fullSeconds.toFixed(1)} s from click to report; index ${rep.indexBefore.toFixed(1)} → ${rep.indexAfter.toFixed(1)}; ${rep.unitsMoved} units, ${(100 * rep.revenueMovedShare).toFixed(1)} % of revenue moved`,
  )

  // The report: balance per metric, the bound and why exact balance is impossible, shape, disruption, moves.
  await expect(page.getByTestId('optimize-report-metric-potential')).toBeVisible()
  await expect(page.getByTestId('optimize-report-impossible')).toContainText('impossible')
  await expect(page.getByTestId('optimize-report-bounds')).toContainText('Los Angeles alone holds')
  await expect(page.getByTestId('optimize-report-units-moved')).toHaveText(rep.unitsMoved.toLocaleString('en'))
  await expect(page.getByTestId('optimize-report-accounts-moved')).toContainText(rep.accountsMoved.toLocaleString('en'))
  if (rep.hasProjected) await expect(page.getByTestId('optimize-report-projected')).toBeVisible()
  await expect(page.getByTestId('optimize-moves-count')).toHaveText(`${rep.moves.length.toLocaleString('en')} of ${rep.moves.length.toLocaleString('en')}`)
  await shot(page, 'report-en.png', testInfo)

  // Filter the moves by reason and by name; a click picks the unit and zooms to it.
  await page.getByTestId('optimize-moves-reason').selectOption('balance')
  const balanceMoves = rep.moves.filter((m: any) => m.reason.code === 'balance')
  await expect(page.getByTestId('optimize-moves-count')).toHaveText(new RegExp(`^${balanceMoves.length.toLocaleString('en')} of`))
  const first = balanceMoves[0]
  await page.getByTestId('optimize-moves-filter').fill(first.name)
  const row = page.getByTestId(`optimize-move-${first.id}`)
  await expect(row).toBeVisible()
  await expect(row.getByTestId('move-reason')).toContainText('over target')
  const zoomBefore = await page.evaluate(() => (window as any).__territoria.map.getZoom())
  await row.click()
  await expect.poll(async () => (await pinia(page, 'edit')).pickedUnits).toEqual([first.id])
  await expect.poll(() => page.evaluate(() => (window as any).__territoria.map.getZoom())).toBeGreaterThan(zoomBefore + 0.5)
  await waitForMapIdle(page)
  await shot(page, 'move-picked-en.png', testInfo)

  // The report can be reopened later: from another scenario it says which scenario it is for.
  await page.getByTestId('optimize-report-close').click()
  await expect(report).toHaveCount(0)
  await page.getByTestId('scenario-select').selectOption(original)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(original)
  await menu(page, 'report')
  await expect(report).toBeVisible()
  await expect(page.getByTestId('optimize-report-not-shown')).toBeVisible()
  await page.getByTestId('optimize-report-show').click()
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(result.id)
  await expect(page.getByTestId('optimize-report-not-shown')).toHaveCount(0)
  await expect(page.getByTestId('optimize-report-scenario')).toContainText(result.name)

  // In Chinese: the report and the dialog.
  await page.getByTestId('lang-zh-CN').click()
  await expect(page.locator('.optrep__title')).toHaveText(zh.report.title)
  await expect(page.getByTestId('optimize-report-bounds')).toContainText('一个单元就占平均区域目标的')
  await page.getByTestId('optimize-moves-filter').fill('')
  await page.getByTestId('optimize-moves-reason').selectOption('')
  await page.locator('.optrep__body').evaluate((el) => {
    ;(document.activeElement as HTMLElement | null)?.blur()
    el.scrollTop = 0
  })
  await waitForMapIdle(page)
  await shot(page, 'report-zh-CN.png', testInfo)
  await menu(page, 'design')
  await expect(dialog).toBeVisible()
  await expect(dialog.locator('.dialog__title')).toHaveText(zh.title.build)
  await expect(page.getByTestId('optimize-run')).toHaveText(zh.run.build)
  await shot(page, 'dialog-zh-CN.png', testInfo, dialog)
  await page.getByTestId('optimize-cancel').click()
  await expect(dialog).toBeHidden()
  await page.getByTestId('lang-en').click()
  expect(pageErrors).toEqual([])
})

test('optimizer: designing territories from scratch, one per rep', async ({ page, server, pageErrors }, testInfo) => {
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const reps: any[] = await call(page, 'Reps')
  const withHome = reps.filter((r) => r.home && (r.home[0] !== 0 || r.home[1] !== 0)).length
  await menu(page, 'design')
  const dialog = page.getByTestId('optimize-dialog')
  await expect(page.getByTestId('optimize-mode-build')).toBeChecked()
  await page.getByTestId('optimize-rep-homes').check()
  await page.getByTestId('optimize-territories').fill(String(withHome))
  await page.getByTestId('optimize-weight-population').fill('50')
  await page.getByTestId('optimize-weight-revenue').fill('0')
  await page.getByTestId('optimize-home-distance').fill('30')
  await page.getByTestId('optimize-name').fill('One per rep')
  const started = Date.now()
  await page.getByTestId('optimize-run').click()
  await expect(dialog).toBeHidden({ timeout: 60_000 })
  const report = page.getByTestId('optimize-report')
  await expect(report).toBeVisible()
  const seconds = (Date.now() - started) / 1000
  const designed = (await call<any[]>(page, 'Scenarios')).find((s) => s.name === 'One per rep')
  expect(designed.territories).toBe(withHome)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(designed.id)
  // Built from nothing: no before, no moves; the weights the request carried show normalized.
  await expect(page.getByTestId('optimize-report-disruption')).toHaveCount(0)
  await expect(page.getByTestId('optimize-moves')).toHaveCount(0)
  await expect(page.getByTestId('optimize-report-metric-population')).toContainText('35.7%') // 50 / (60 + 30 + 50)
  await expect(page.getByTestId('optimize-report-metric-revenue')).toHaveCount(0)
  const cli = cliMetrics(info.path, designed.id)
  expect(cli.rows.filter((r) => r.kind === 'territory')).toHaveLength(withHome)
  const entry = Object.values((await pinia(page, 'optimize')).reports as Record<string, any>).find((e: any) => e.scenarioId === designed.id) as any
  figure(testInfo, `design ${withHome} from scratch, one per rep, normal: ${entry.millis} ms in Go, ${seconds.toFixed(1)} s from click to report; index ${entry.report.indexAfter.toFixed(1)}`)
  await waitForMapIdle(page)
  await shot(page, 'designed-per-rep-en.png', testInfo)
  expect(pageErrors).toEqual([])
})
