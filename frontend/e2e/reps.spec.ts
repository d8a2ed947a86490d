// The Reps tab of the planning model in the browser mode: one row per rep
// with the figures `territoria reps --json` reports (projected revenue and
// utilisation to the last digit), totals that are the sum of the reps; a paint
// that moves one rep's territory into another's changes both rows and the
// change against the baseline, and Undo takes it back; a territory clicked
// in a row is selected; a rep without territories and a territory without a
// rep are shown as such; new assumptions reach the table; Chinese renders.
import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, cli, store, history, artifactsDir, shotTo, formatInPage } from './helpers'

/** Screenshots for people to look at. */
const ARTIFACTS = artifactsDir('model')
const shot = (page: Page, name: string, testInfo: { outputPath: (n: string) => string }) => shotTo(ARTIFACTS, page, name, testInfo)

/** A rep as `territoria reps --json` reports it. */
interface CliRep {
  id: string
  name: string
  territories: string[]
  values: Record<string, number>
  baseline?: Record<string, number>
}

/** One row of the table as the page shows it: the raw figures (data-value) and the texts. */
interface Row {
  id: string
  idle: boolean
  values: Record<string, number | null>
  text: Record<string, string>
  title: Record<string, string>
  territories: string[]
}

const FIGURES = ['workloadHours', 'capacityHours', 'utilisation', 'projectedRevenue', 'change', 'changePct', 'revenueAtRisk', 'revenueLost', 'roi', 'repsNeeded']

/** Every row of the reps table in its order, and the totals row. */
async function table(page: Page): Promise<{ rows: Row[]; total: Row }> {
  return page.evaluate((figures) => {
    const read = (tr: Element): Row => {
      const values: Record<string, number | null> = {}
      const text: Record<string, string> = {}
      const title: Record<string, string> = {}
      for (const f of figures) {
        const td = tr.querySelector(`[data-testid="rep-${f}"]`)
        const v = td?.getAttribute('data-value')
        values[f] = v == null || v === '' ? null : Number(v)
        text[f] = (td?.textContent ?? '').trim()
        title[f] = td?.getAttribute('title') ?? ''
      }
      const id = (tr.getAttribute('data-testid') ?? '').replace(/^rep-row-/, '')
      const territories = [...tr.querySelectorAll('[data-testid^="rep-territory-"]')].map((b) => (b.getAttribute('data-testid') ?? '').slice(`rep-territory-${id}-`.length))
      return { id, idle: tr.classList.contains('is-idle'), values, text, title, territories }
    }
    const rows = [...document.querySelectorAll('[data-testid^="rep-row-"]')].map(read)
    return { rows, total: read(document.querySelector('[data-testid="reps-total"]')!) }
  }, FIGURES)
}

/** The reps' figures that must equal the CLI's, by rep id. */
function figures(reps: { id: string; values: Record<string, number | null> }[], names = ['projectedRevenue', 'utilisation', 'workloadHours', 'roi']) {
  return Object.fromEntries(reps.map((r) => [r.id, names.map((n) => r.values[n] ?? null)]))
}

/**
 * The reps whose figures in the table differ from the CLI's by more than
 * rounding: Go keeps the figures of an open plan up to date edit by edit,
 * the CLI sums them afresh, so the last bits may differ (1e-15 relative).
 */
function mismatches(rows: Row[], reps: CliRep[], rel = 1e-9, names?: string[]): string[] {
  const got = figures(rows, names)
  const want = figures(reps, names)
  const out: string[] = []
  for (const id of new Set([...Object.keys(got), ...Object.keys(want)])) {
    const a = got[id]
    const b = want[id]
    if (!a || !b) {
      out.push(`${id}: ${a ? 'not in the CLI' : 'not in the table'}`)
      continue
    }
    a.forEach((x, i) => {
      const y = b[i]
      if (x === y) return
      if (x === null || y === null || Math.abs(x - y) > rel * Math.max(1, Math.abs(y))) out.push(`${id}: ${x} in the table, ${y} from the CLI`)
    })
  }
  return out
}

/** The reps table fits its drawer (no horizontal scrolling) and the drawer leaves the map room. */
async function expectFits(page: Page): Promise<void> {
  const fit = await page.evaluate(() => {
    const s = document.querySelector('.mreps-panel__scroll')!
    return { scroll: s.scrollWidth, client: s.clientWidth, drawer: document.querySelector('[data-testid="model-drawer"]')!.getBoundingClientRect().width }
  })
  expect(fit.scroll, 'no horizontal scroll').toBeLessThanOrEqual(fit.client)
  expect(fit.drawer).toBeGreaterThan(600)
  expect(fit.drawer).toBeLessThan(900)
}

/** Each CLI rep's change of projected revenue against the baseline. */
const change = (r: CliRep) => (r.values.projectedRevenue ?? 0) - (r.baseline?.projectedRevenue ?? 0)

/** Money as the table writes it in full (formatMoney, not compact). */
const fullMoney = (page: Page, v: number, currency: string, locale = 'en') =>
  formatInPage(page, v, locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 })

test('each rep’s figures are what territoria reps reports; a paint changes two reps against the baseline, Undo takes it back; a territory click selects it', async ({ page, server, pageErrors }, testInfo) => {
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const currency: string = (await store(page, 'plan')).info.currency
  const reps0 = cli<CliRep[]>(info.path, ['reps'])
  expect(reps0.length, 'the demo has reps').toBeGreaterThan(10)

  // From the Plan menu; the side panel makes way and comes back after.
  await page.getByTestId('menu-plan').click()
  await expect(page.getByTestId('menu-plan-reps')).toHaveText('Reps')
  await page.getByTestId('menu-plan-reps').click()
  await expect(page.getByTestId('model-tab-reps')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('reps-table')).toBeVisible()
  await expect(page.getByTestId('territory-panel')).toBeHidden()
  await expect(page.getByTestId('reps-count')).toHaveText(`${reps0.length} reps`)
  await expect(page.getByTestId('reps-against')).toHaveText('Change against: this scenario before its edits')

  // Every rep: projected revenue, utilisation, workload and ROI to the last digit, and as the table writes them.
  const t0 = await table(page)
  expect(t0.rows.map((r) => r.id).sort()).toEqual(reps0.map((r) => r.id).sort())
  expect(mismatches(t0.rows, reps0, 0), 'a table freshly read is the CLI to the last digit').toEqual([])
  for (const r of reps0) {
    const row = t0.rows.find((x) => x.id === r.id)!
    expect(row.territories).toEqual(r.territories)
    expect(row.title.projectedRevenue, r.id).toBe(await fullMoney(page, r.values.projectedRevenue, currency))
    expect(row.text.utilisation, r.id).toBe(await formatInPage(page, r.values.utilisation, 'en', { style: 'percent', maximumFractionDigits: 1 }))
    expect(row.text.roi, r.id).toMatch(/^[\d,.]+×$/)
    expect(row.text.change, r.id).toBe('±0')
  }
  // The totals are the sums of the reps; with a rep on every territory, the plan's projected revenue.
  const sum = (xs: CliRep[], k: string) => xs.reduce((s, r) => s + (r.values[k] ?? 0), 0)
  for (const k of ['projectedRevenue', 'workloadHours', 'capacityHours', 'revenueAtRisk', 'revenueLost', 'repsNeeded']) {
    expect(t0.total.values[k], k).toBeCloseTo(sum(reps0, k), 6)
  }
  expect(t0.total.values.utilisation).toBeCloseTo(sum(reps0, 'workloadHours') / sum(reps0, 'capacityHours'), 12)
  const plan0 = cli(info.path, ['metrics']).rows.find((r: any) => r.kind === 'plan')
  expect(t0.total.values.projectedRevenue).toBeCloseTo(plan0.values.projectedRevenue, 3)
  await expect(page.getByTestId('reps-vacant')).toHaveCount(0)
  await expect(page.getByTestId('rep-no-territory')).toHaveCount(0)

  // The table fits the drawer at 1400 px: no horizontal scrolling, the drawer leaves the map room.
  await expectFits(page)

  // Sorting: by utilisation, the busiest rep first; again, the least busy first; by name, A→Z.
  await page.getByTestId('reps-sort-utilisation').click()
  const byUtil = [...reps0].sort((a, b) => b.values.utilisation - a.values.utilisation)
  expect((await table(page)).rows[0].id).toBe(byUtil[0].id)
  await page.getByTestId('reps-sort-utilisation').click()
  expect((await table(page)).rows[0].id).toBe(byUtil[byUtil.length - 1].id)
  await shot(page, 'reps.png', testInfo)
  await page.getByTestId('reps-sort-name').click()
  const names = (await table(page)).rows.map((r) => reps0.find((x) => x.id === r.id)!.name)
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')))

  // The edit: every unit of The Dakotas goes to Minnesota (as a paint stroke would send them).
  const rows = (await store(page, 'plan')).rows as any[]
  const from = rows.find((r) => r.name === 'The Dakotas')
  const into = rows.find((r) => r.name === 'Minnesota')
  expect(from?.repId && into?.repId, 'the demo has The Dakotas and Minnesota with reps').toBeTruthy()
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
  const reps1 = cli<CliRep[]>(info.path, ['reps'])
  const repFrom = reps1.find((r) => r.id === from.repId)!
  const repInto = reps1.find((r) => r.id === into.repId)!
  expect(repFrom.values.projectedRevenue, 'the CLI sees the paint').toBeLessThan(reps0.find((r) => r.id === from.repId)!.values.projectedRevenue)
  // The table follows: the same figures as the CLI, for every rep.
  await expect.poll(async () => mismatches((await table(page)).rows, reps1)).toEqual([])
  const t1 = await table(page)
  const rowFrom = t1.rows.find((r) => r.id === from.repId)!
  const rowInto = t1.rows.find((r) => r.id === into.repId)!
  // "vs baseline": the paint moved revenue from one rep's book to the other's.
  expect(rowFrom.values.change).toBeCloseTo(change(repFrom), 6)
  expect(rowInto.values.change).toBeCloseTo(change(repInto), 6)
  expect(change(repFrom)).toBeLessThan(0)
  expect(change(repInto)).toBeGreaterThan(0)
  expect(rowFrom.text.change).toMatch(/^−\$/)
  expect(rowInto.text.change).toMatch(/^\+\$/)
  expect(rowFrom.title.change).toBe('−' + (await fullMoney(page, -change(repFrom), currency)))
  expect(rowFrom.values.changePct).toBeCloseTo(change(repFrom) / reps0.find((r) => r.id === from.repId)!.values.projectedRevenue, 9)
  expect(rowFrom.text.changePct).toMatch(/^−\d/)
  // Other reps did not change; the total's change is the sum of the two.
  for (const r of t1.rows.filter((x) => x.id !== from.repId && x.id !== into.repId)) expect(r.text.change, r.id).toBe('±0')
  expect(t1.total.values.change).toBeCloseTo(change(repFrom) + change(repInto), 6)
  expect(t1.total.values.projectedRevenue).toBeCloseTo(sum(reps1, 'projectedRevenue'), 6)
  await page.getByTestId('reps-sort-change').click()
  await expect(page.locator('[data-testid^="rep-row-"]').first()).toHaveAttribute('data-testid', `rep-row-${into.repId}`)
  await expectFits(page)
  await shot(page, 'reps-after-paint.png', testInfo)

  // Undo: back to the start, everywhere.
  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  await expect.poll(async () => mismatches((await table(page)).rows, reps0)).toEqual([])
  expect(mismatches((await table(page)).rows, cli<CliRep[]>(info.path, ['reps']))).toEqual([])
  expect((await table(page)).rows.every((r) => r.text.change === '±0')).toBe(true)

  // A territory in a row: selected and shown on the map, its row marked.
  await page.getByTestId(`rep-territory-${into.repId}-${into.id}`).click()
  await expect.poll(async () => (await store(page, 'view')).selectedId).toBe(into.id)
  await expect(page.getByTestId(`rep-row-${into.repId}`)).toHaveClass(/is-selected/)
  await expect(page.getByTestId(`rep-territory-${into.repId}-${into.id}`)).toHaveClass(/is-selected/)
  await shot(page, 'reps-selected.png', testInfo)

  // Closing the drawer gives the side panel back.
  await page.getByTestId('model-close').click()
  await expect(page.getByTestId('territory-panel')).toBeVisible()
  expect(pageErrors).toEqual([])
})

test('a rep without territories is greyed, a territory without a rep is noted; the totals still add up; new assumptions reach the table', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const currency: string = (await store(page, 'plan')).info.currency
  const rows = (await store(page, 'plan')).rows as any[]
  const vacated = rows.find((r) => r.name === 'Minnesota')
  await page.getByTestId('model-tool-reps').click()
  await expect(page.getByTestId('reps-table')).toBeVisible()

  // Minnesota loses its rep (one undoable edit).
  await page.evaluate(async (id) => {
    const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
    await pinia._s.get('edit').updateTerritory(id, { repId: '' })
  }, vacated.id)
  await expect.poll(async () => (await history(page)).length).toBe(1)
  const reps = cli<CliRep[]>(info.path, ['reps'])
  const idle = reps.find((r) => r.id === vacated.repId)!
  expect(idle.territories).toEqual([])
  await expect(page.getByTestId(`rep-row-${vacated.repId}`)).toHaveClass(/is-idle/)
  await expect(page.getByTestId(`rep-row-${vacated.repId}`).getByTestId('rep-no-territory')).toHaveText('no territory')
  await expect(page.getByTestId('reps-idle')).toContainText('1 without a territory')
  await expect.poll(async () => mismatches((await table(page)).rows, reps)).toEqual([])

  // The note: the territory without a rep and its projected revenue, which with the reps' total makes the plan's.
  const metrics = cli(info.path, ['metrics'])
  const mn = metrics.rows.find((r: any) => r.id === vacated.id)
  const planRow = metrics.rows.find((r: any) => r.kind === 'plan')
  await expect(page.getByTestId('reps-vacant')).toHaveText(
    `Territories without a rep: 1 (Minnesota), ${await fullMoney(page, mn.values.projectedRevenue, currency)} projected revenue, not in the total`,
  )
  const t = await table(page)
  expect(t.total.values.projectedRevenue! + mn.values.projectedRevenue).toBeCloseTo(planRow.values.projectedRevenue, 3)
  // The rep lost its whole book against the baseline.
  const row = t.rows.find((r) => r.id === vacated.repId)!
  expect(row.values.change).toBeCloseTo(-idle.baseline!.projectedRevenue, 6)
  expect(row.text.changePct).toBe('−100%')
  // Sorted by the change, the rep who lost the most comes first.
  await page.getByTestId('reps-sort-change').click()
  await page.getByTestId('reps-sort-change').click()
  await expect(page.locator('[data-testid^="rep-row-"]').first()).toHaveAttribute('data-testid', `rep-row-${vacated.repId}`)
  await expectFits(page)
  await shot(page, 'reps-vacant.png', testInfo)

  await page.getByTestId('undo').click()
  await expect(page.getByTestId('reps-vacant')).toHaveCount(0)
  await expect(page.getByTestId(`rep-row-${vacated.repId}`)).not.toHaveClass(/is-idle/)

  // New assumptions (fewer working weeks) change every rep's capacity and utilisation: the table follows.
  const message = await page.evaluate(async () => {
    const pinia = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia
    const model = pinia._s.get('model')
    return model.applySettings({ ...JSON.parse(JSON.stringify(model.settings)), weeksPerYear: 40 })
  })
  expect(message).toBe('')
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['settings'])
  const fewer = cli<CliRep[]>(info.path, ['reps'])
  expect(fewer[0].values.capacityHours).toBeLessThan(reps.find((r) => r.id === fewer[0].id)!.values.capacityHours ?? Infinity)
  const names = ['capacityHours', 'utilisation', 'projectedRevenue', 'roi']
  await expect.poll(async () => mismatches((await table(page)).rows, fewer, 1e-9, names)).toEqual([])
  expect(pageErrors).toEqual([])
})

test('the Reps tab renders in Simplified Chinese', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('lang-zh-CN').click()
  await page.getByTestId('menu-plan').click()
  await expect(page.getByTestId('menu-plan-reps')).toHaveText('代表')
  await page.getByTestId('menu-plan-reps').click()
  await expect(page.getByTestId('model-tab-reps')).toHaveText('代表')
  // The sorted column carries an arrow.
  await expect(page.getByTestId('reps-sort-name')).toHaveText('代表▲')
  await expect(page.getByTestId('reps-sort-territories')).toHaveText('区域')
  await expect(page.getByTestId('reps-sort-projectedRevenue')).toHaveText('预计收入')
  await expect(page.getByTestId('reps-sort-change')).toHaveText('较基准')
  await expect(page.getByTestId('reps-sort-utilisation')).toHaveText('利用率')
  await expect(page.getByTestId('reps-total').locator('th')).toHaveText('合计')
  await expect(page.getByTestId('reps-count')).toContainText('位代表')
  await expect(page.getByTestId('reps-against')).toContainText('本方案编辑之前')
  // Figures in the page's locale: ROI as a multiple, money in 万/亿.
  const first = page.locator('[data-testid^="rep-row-"]').first()
  await expect(first.getByTestId('rep-roi')).toHaveText(/×$/)
  await expect(first.getByTestId('rep-projectedRevenue')).toHaveText(/[万亿]/)
  const head = await page.getByTestId('reps-table').locator('thead').innerText()
  expect(head.match(/\b(Rep|Territories|Workload|Capacity|Util|Projected|baseline|At risk|Lost|Reps needed)\b/g)).toBeNull()
  await shot(page, 'reps-zh.png', testInfo)
  expect(pageErrors).toEqual([])
})
