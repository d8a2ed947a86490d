// Live editing in the browser mode: painting units, dragging a vertex shared
// by two drawn territories, moving accounts. After each edit the panel shows
// exactly what `territoria metrics` reads from the plan file, and Undo brings
// the numbers back.
import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, cli, history, clickableUnit, artifactsDir, shotTo, formatInPage, waitForMapIdle } from './helpers'

/** Screenshots for people to look at, next to the desktop smoke test's. */
const ARTIFACTS = artifactsDir('edit')
const shot = (page: Page, name: string, testInfo: { outputPath: (n: string) => string }) => shotTo(ARTIFACTS, page, name, testInfo)

type Row = { id: string; kind: string; name: string; parent: string; accounts: number; units: number; potential: number; revenue: number; lifetimeValue: number }
type Metrics = { rows: Row[]; balance: { index: number } }

const key = (r: Pick<Row, 'id' | 'kind'>) => (r.kind === 'plan' || r.kind === 'unassigned' ? `#${r.kind}` : r.id)
const FIGURES = ['accounts', 'units', 'potential', 'revenue', 'lifetimeValue'] as const

/**
 * `territoria metrics PLAN --json` on a copy of the plan file (the server
 * holds the file's lock; every edit is committed before it answers).
 */
function cliMetrics(planPath: string): Metrics {
  return cli<Metrics>(planPath, ['metrics'])
}

/** The rows the panel is showing (the page's plan store). */
async function panelRows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const app = (document.querySelector('#app') as any).__vue_app__
    return JSON.parse(JSON.stringify(app.config.globalProperties.$pinia.state.value.plan.rows))
  })
}

/** Every figure of every row of the panel equals the CLI's. */
async function expectPanelMatchesCLI(page: Page, planPath: string): Promise<Metrics> {
  const m = cliMetrics(planPath)
  const want = new Map(m.rows.map((r) => [key(r), Object.fromEntries(FIGURES.map((f) => [f, r[f]]))]))
  await expect
    .poll(async () => {
      const rows = await panelRows(page)
      return new Map(rows.map((r) => [key(r), Object.fromEntries(FIGURES.map((f) => [f, r[f]]))]))
    })
    .toEqual(want)
  return m
}

/** The compact table cells of a row (accounts, potential, revenue, LTV) as the CLI's numbers would print. */
async function expectCells(page: Page, row: Row, currency: string) {
  const count = await formatInPage(page, row.accounts, 'en', { notation: 'compact', maximumSignificantDigits: 3 })
  const money = (v: number) =>
    formatInPage(page, v, 'en', { notation: 'compact', maximumSignificantDigits: 3, style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
  const testid = row.kind === 'plan' ? 'territory-row-total' : `territory-row-${row.id}`
  const cells = page.getByTestId(testid).locator('.fig__v')
  await expect(cells).toHaveText([count, await money(row.potential), await money(row.revenue), await money(row.lifetimeValue)])
}

/** Page coordinates of [lon, lat]. */
async function toPage(page: Page, ll: [number, number]) {
  return page.evaluate((ll) => {
    const m = (window as any).__territoria.map
    const r = m.getCanvas().getBoundingClientRect()
    const p = m.project(ll)
    return { x: r.left + p.x, y: r.top + p.y }
  }, ll)
}

test('painting a unit into a territory: the panel shows what territoria metrics reports, and Undo restores it', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const alignment = await call(page, 'Alignment')
  const before = await expectPanelMatchesCLI(page, info.path)

  const target = alignment.territories.findIndex((t: any) => t.id === 'T13' || t.kind === 'territory')
  const targetId: string = alignment.territories[target].id
  const spot = await clickableUnit(page, alignment.unitTerritory, target)
  expect(spot, 'a clear spot inside a unit of another territory').not.toBeNull()
  const sourceId: string = alignment.territories[alignment.unitTerritory[spot!.unit]].id

  await page.keyboard.press('b')
  await expect(page.getByTestId('tool-paint')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('mode-hint')).toContainText('assign them to the chosen territory')
  await page.getByTestId('active-territory').selectOption(targetId)
  await page.mouse.click(spot!.x, spot!.y)

  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['paint'])
  await expect(page.getByTestId('undo-label')).toHaveText('Undo paint')
  const after = await expectPanelMatchesCLI(page, info.path)
  const row = (m: Metrics, id: string) => m.rows.find((r) => r.id === id)!
  expect(row(after, targetId).units).toBe(row(before, targetId).units + 1)
  expect(row(after, sourceId).units).toBe(row(before, sourceId).units - 1)
  // The map recoloured the unit with the target's colour.
  const colour = await page.evaluate((u) => (window as any).__territoria.map.getFeatureState({ source: 'units', id: u }).color, spot!.unit)
  expect(colour).toBe(alignment.territories[target].color)

  // The table cells: figures as the CLI reports them, and the change in this edit.
  await page.getByTestId('expand-all').click()
  await page.getByTestId(`territory-row-${targetId}`).scrollIntoViewIfNeeded()
  await expectCells(page, row(after, targetId), info.currency)
  await expectCells(page, row(after, sourceId), info.currency)
  await expectCells(page, after.rows.find((r) => r.kind === 'plan')!, info.currency)
  const gained = row(after, targetId).accounts - row(before, targetId).accounts
  if (gained > 0) {
    const plus = await formatInPage(page, gained, 'en', { notation: 'compact', maximumSignificantDigits: 3 })
    await expect(page.getByTestId(`territory-row-${targetId}`).getByTestId('fig-gesture').first()).toHaveText(`+${plus}`)
  }
  await shot(page, 'paint.png', testInfo)

  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  await expect(page.getByTestId('undo-label')).toHaveText('Nothing to undo')
  const undone = await expectPanelMatchesCLI(page, info.path)
  expect(undone.rows).toEqual(before.rows)
  await expectCells(page, row(before, targetId), info.currency)
  await expect.poll(() => page.evaluate((u) => (window as any).__territoria.map.getFeatureState({ source: 'units', id: u }).color, spot!.unit)).toBe(
    alignment.territories[alignment.unitTerritory[spot!.unit]].color,
  )
  // Redo from the tool bar paints it again.
  await page.getByTestId('redo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([false])
  await expectPanelMatchesCLI(page, info.path)
  expect(pageErrors).toEqual([])
})

test('dragging a vertex shared by two drawn territories moves both outlines; numbers follow and Undo puts it back', async ({ page, server, pageErrors }, testInfo) => {
  // Drawing, splitting, dragging and the map settling after each step take a while with software WebGL.
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')

  // Draw a territory over Kansas and Nebraska.
  await page.keyboard.press('d')
  const corners: [number, number][] = [
    [-101.5, 41.5],
    [-97, 41.5],
    [-97, 37.5],
    [-101.5, 37.5],
  ]
  for (const c of corners) {
    const p = await toPage(page, c)
    await page.mouse.click(p.x, p.y)
    await page.waitForTimeout(150)
  }
  const first = await toPage(page, corners[0])
  await page.mouse.click(first.x, first.y)
  await expect(page.getByTestId('pick-dialog')).toBeVisible()
  await page.getByTestId('pick-name').fill('Plains')
  await page.getByTestId('pick-ok').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['create'])

  // Split it along a line from north to south: two drawn territories with one shared border.
  await page.keyboard.press('x')
  for (const c of [
    [-99.3, 42.3],
    [-99.0, 39.5],
    [-99.3, 36.8],
  ] as [number, number][]) {
    const p = await toPage(page, c)
    await page.mouse.click(p.x, p.y)
    await page.waitForTimeout(150)
  }
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('prompt-dialog')).toBeVisible()
  await page.getByTestId('prompt-input').fill('Plains West')
  await page.getByTestId('prompt-ok').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['create', 'split'])
  const beforeDrag = await expectPanelMatchesCLI(page, info.path)

  const drawn = await page.evaluate(() => (window as any).go.app.EditService.Drawn())
  expect(drawn.areas.features).toHaveLength(2)
  const shared = drawn.arcs.find((a: any) => (a.territories ?? []).length === 2)
  expect(shared, 'the split line is one arc bounding both territories').toBeTruthy()
  const index = Math.floor(shared.coords.length / 2)
  const vertex: [number, number] = shared.coords[index]
  expect(index > 0 && index < shared.coords.length - 1).toBe(true)

  // Vertex mode shows the vertices; drag the shared one east.
  await page.keyboard.press('e')
  await expect(page.getByTestId('mode-hint')).toContainText('Drag a vertex')
  await waitForMapIdle(page)
  const start = await toPage(page, vertex)
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(start.x + i * 5, start.y + i)
    await page.waitForTimeout(40)
  }
  await expect(page.getByTestId('mode-hint')).toContainText('Reshaping 2 territories')
  // Mid-drag the polygons shown are Go's live ones: both moved already.
  await expect
    .poll(() =>
      page.evaluate((v) => {
        const app = (document.querySelector('#app') as any).__vue_app__
        const feats: any[] = app.config.globalProperties.$pinia.state.value.edit.drawn?.areas?.features ?? []
        return feats.filter((f) => !JSON.stringify(f.geometry.coordinates).includes(JSON.stringify(v))).length
      }, vertex),
    )
    .toBe(2)
  await shot(page, 'vertex-dragging.png', testInfo)
  await page.mouse.up()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['create', 'split', 'reshape'])

  const moved = await page.evaluate(() => (window as any).go.app.EditService.Drawn())
  const arc = moved.arcs.find((a: any) => a.id === shared.id)
  const to: [number, number] = arc.coords[index]
  expect(to[0]).toBeGreaterThan(vertex[0])
  // Both polygons hold the moved vertex: the shared border moved on both sides.
  for (const f of moved.areas.features) expect(JSON.stringify(f.geometry.coordinates)).toContain(JSON.stringify(to))
  const afterDrag = await expectPanelMatchesCLI(page, info.path)
  await shot(page, 'vertex-dragged.png', testInfo)

  await page.getByTestId('undo').click()
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([false, false, true])
  const back = await page.evaluate(() => (window as any).go.app.EditService.Drawn())
  expect(back.arcs.find((a: any) => a.id === shared.id).coords[index]).toEqual(vertex)
  const undone = await expectPanelMatchesCLI(page, info.path)
  expect(undone.rows).toEqual(beforeDrag.rows)
  void afterDrag

  // A double-click on the shared border adds a vertex to both sides; a right-click on it takes it away.
  const a0: [number, number] = shared.coords[0]
  const a1: [number, number] = shared.coords[1]
  const mid = await toPage(page, [(a0[0] + a1[0]) / 2, (a0[1] + a1[1]) / 2])
  await page.mouse.dblclick(mid.x, mid.y)
  await expect.poll(async () => (await history(page)).map((h) => `${h.kind}${h.undone ? '-' : ''}`)).toEqual(['create', 'split', 'reshape'])
  const inserted = await page.evaluate(() => (window as any).go.app.EditService.Drawn())
  const withVertex = inserted.arcs.find((a: any) => a.id === shared.id)
  expect(withVertex.coords).toHaveLength(shared.coords.length + 1)
  for (const f of inserted.areas.features) expect(JSON.stringify(f.geometry.coordinates)).toContain(JSON.stringify(withVertex.coords[1]))
  const added = await toPage(page, withVertex.coords[1])
  await page.mouse.click(added.x, added.y, { button: 'right' })
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['create', 'split', 'reshape', 'reshape'])
  const removed = await page.evaluate(() => (window as any).go.app.EditService.Drawn())
  expect(removed.arcs.find((a: any) => a.id === shared.id).coords).toEqual(shared.coords)
  expect(pageErrors).toEqual([])
})

test('moving accounts to another territory and back to their geography', async ({ page, server, pageErrors }, testInfo) => {
  test.slow()
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const before = await expectPanelMatchesCLI(page, info.path)

  // Lasso accounts around Chicago with the accounts tool.
  await page.keyboard.press('m')
  const c = await toPage(page, [-87.8, 41.9])
  const r = 22
  await page.mouse.move(c.x + r, c.y)
  await page.mouse.down()
  for (let i = 1; i <= 28; i++) {
    const a = (i / 28) * 2 * Math.PI
    await page.mouse.move(c.x + r * Math.cos(a), c.y + r * Math.sin(a))
    await page.waitForTimeout(15)
  }
  await page.mouse.up()
  const bar = page.getByTestId('selection-bar')
  await expect(bar).toBeVisible()
  const picked = Number((await page.getByTestId('selection-chip').textContent())!.replace(/[^0-9]/g, ''))
  expect(picked).toBeGreaterThan(0)

  const target = before.rows.find((x) => x.kind === 'territory' && x.name === 'Iowa') ?? before.rows.find((x) => x.kind === 'territory')!
  await page.getByTestId('selection-target').selectOption(target.id)
  await page.getByTestId('selection-assign').click()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['move-accounts'])
  await expect(bar).toBeHidden()
  const after = await expectPanelMatchesCLI(page, info.path)
  const tAfter = after.rows.find((x) => x.id === target.id)!
  expect(tAfter.accounts).toBe(target.accounts + picked)
  await page.getByTestId('expand-all').click()
  await page.getByTestId(`territory-row-${target.id}`).scrollIntoViewIfNeeded()
  await expectCells(page, tAfter, info.currency)
  const plus = await formatInPage(page, picked, 'en', { notation: 'compact', maximumSignificantDigits: 3 })
  await expect(page.getByTestId(`territory-row-${target.id}`).getByTestId('fig-gesture').first()).toHaveText(`+${plus}`)
  await shot(page, 'accounts-moved.png', testInfo)

  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await history(page)).map((h) => h.undone)).toEqual([true])
  const undone = await expectPanelMatchesCLI(page, info.path)
  expect(undone.rows).toEqual(before.rows)
  expect(pageErrors).toEqual([])
})

test('panel editing: create, rename, lock (edits refused with Go’s message), merge, drag under another district, delete', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const kinds = async () => (await history(page)).map((h) => h.kind)
  const store = () => page.evaluate(() => JSON.parse(JSON.stringify((document.querySelector('#app') as any).__vue_app__.config.globalProperties.$pinia.state.value.view.selectedId)))
  const before = cliMetrics(info.path)
  const district = before.rows.find((r) => r.kind === 'district')!
  const other = before.rows.find((r) => r.kind === 'district' && r.id !== district.id)!
  const victim = before.rows.find((r) => r.kind === 'territory' && r.parent === district.id)!
  const locked = before.rows.find((r) => r.kind === 'territory' && r.id !== victim.id)!

  // New territory under the selected district, with a rep.
  await page.getByTestId(`territory-row-${district.id}`).click()
  await page.getByTestId('new-node').click()
  await page.getByTestId('new-territory').click()
  await expect(page.getByTestId('node-dialog')).toBeVisible()
  await expect(page.getByTestId('node-parent')).toHaveValue(district.id)
  await page.getByTestId('node-name').fill('Prairie')
  await page.getByTestId('node-rep').selectOption({ index: 1 })
  await page.getByTestId('node-ok').click()
  await expect.poll(kinds).toEqual(['create'])
  // The new territory becomes the selection once the page has read the new hierarchy.
  await expect.poll(store).not.toBe(district.id)
  const created: string = await store()
  await expect(page.getByTestId(`territory-row-${created}`)).toContainText('Prairie')

  // Rename from the row menu.
  await page.getByTestId(`territory-row-${created}`).hover()
  await page.getByTestId(`row-menu-${created}`).click()
  await page.getByTestId('row-action-rename').click()
  await page.getByTestId('node-name').fill('Prairie North')
  await page.getByTestId('node-ok').click()
  await expect(page.getByTestId(`territory-row-${created}`)).toContainText('Prairie North')

  // A locked territory refuses an edit that would change it; the notice carries Go's message.
  await page.getByTestId(`territory-row-${locked.id}`).scrollIntoViewIfNeeded()
  await page.getByTestId(`territory-row-${locked.id}`).hover()
  await page.getByTestId(`lock-${locked.id}`).click()
  await expect(page.getByTestId(`locked-${locked.id}`)).toBeVisible()
  const lockedBefore = cliMetrics(info.path)
  await page.getByTestId(`territory-row-${created}`).click({ modifiers: ['Control'] })
  await page.getByTestId(`territory-row-${locked.id}`).click({ modifiers: ['Control'] })
  await page.getByTestId('merge-selected').click()
  await expect(page.getByTestId('pick-dialog')).toBeVisible()
  await page.getByTestId(`pick-option-${created}`).check()
  await page.getByTestId('pick-ok').click()
  await expect(page.getByTestId('notice-error')).toContainText(`territory ${locked.id} (${locked.name}) is locked`)
  expect(await kinds()).toEqual(['create', 'update', 'lock'])
  expect(cliMetrics(info.path).rows).toEqual(lockedBefore.rows)

  // Merging the new territory into an unlocked one works.
  await page.getByTestId(`territory-row-${locked.id}`).click({ modifiers: ['Control'] })
  await page.getByTestId(`territory-row-${victim.id}`).click({ modifiers: ['Control'] })
  await expect(page.getByTestId('merge-selected')).toHaveText(/2/)
  await page.getByTestId('merge-selected').click()
  await page.getByTestId(`pick-option-${victim.id}`).check()
  await page.getByTestId('pick-ok').click()
  await expect.poll(kinds).toEqual(['create', 'update', 'lock', 'merge'])
  await expect(page.getByTestId(`territory-row-${created}`)).toHaveCount(0)

  // Drag the territory onto another district.
  await page.getByTestId(`territory-row-${victim.id}`).dragTo(page.getByTestId(`territory-row-${other.id}`))
  await expect.poll(kinds).toEqual(['create', 'update', 'lock', 'merge', 'update'])
  expect((await call(page, 'Alignment')).territories.find((t: any) => t.id === victim.id).parent).toBe(other.id)
  await expectPanelMatchesCLI(page, info.path)
  await shot(page, 'panel-edits.png', testInfo)

  // Delete it; its units go to the territory chosen.
  await page.getByTestId(`territory-row-${victim.id}`).hover()
  await page.getByTestId(`row-menu-${victim.id}`).click()
  await page.getByTestId('row-action-delete').click()
  await page.getByTestId('pick-select').selectOption('')
  await page.getByTestId('pick-ok').click()
  await expect.poll(kinds).toEqual(['create', 'update', 'lock', 'merge', 'update', 'delete'])
  await expect(page.getByTestId(`territory-row-${victim.id}`)).toHaveCount(0)
  const after = await expectPanelMatchesCLI(page, info.path)
  expect(after.rows.find((r) => r.kind === 'unassigned')!.units).toBe(victim.units)
  await expect(page.getByTestId('territory-row-unassigned')).toBeVisible()
  expect(pageErrors).toEqual([])
})

test('the editing tools and panel speak Chinese', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('lang-zh-CN').click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByTestId('mode-hint')).toContainText('点击地理单元或区域')
  await expect(page.getByTestId('tool-paint')).toHaveAttribute('title', /涂绘/)
  await expect(page.getByTestId('metric-set-workload')).toHaveText('工作量')
  await expect(page.getByTestId('balance-summary')).toContainText('变异系数')
  await page.keyboard.press('b')
  await expect(page.getByTestId('mode-hint')).toContainText('分配给所选区域')
  await page.getByTestId('history-toggle').click()
  await expect(page.getByTestId('history')).toContainText('此方案还没有编辑')
  await shot(page, 'zh.png', testInfo)
  await page.getByTestId('lang-en').click()
  await expect(page.getByTestId('mode-hint')).toContainText('assign them to the chosen territory')
})
