import { test, expect, openDemo, call, decodePNG, distinctColours, formatInPage } from './helpers'

function baseName(p: string) {
  return p.split(/[\\/]/).pop() || p
}

test('the demo opens with its plan name, every territory in the table and page ready on the server', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  expect(server.stderr()).toContain('page ready: map')

  const info = await call(page, 'Info')
  expect(info.open).toBe(true)
  await expect(page.getByTestId('plan-name')).toHaveText(info.name || baseName(info.path))

  const rows = await call<any[]>(page, 'Territories')
  const alignment = await call(page, 'Alignment')
  const territoryIds = rows.filter((r) => r.kind === 'territory').map((r) => r.id)
  const alignmentTerritories = alignment.territories.filter((t: any) => t.kind === 'territory')
  const active = info.scenarios.find((s: any) => s.id === info.activeScenario)
  expect(territoryIds.length).toBeGreaterThan(1)
  expect(alignmentTerritories.length).toBe(territoryIds.length)
  expect(active.territories).toBe(territoryIds.length)

  // Every territory of the hierarchy is listed once the tree is expanded.
  await page.getByTestId('expand-all').click()
  const tableRows = page.getByTestId('territory-table').locator('[role=row].is-territory')
  await expect(tableRows).toHaveCount(territoryIds.length)
  const shownIds = await tableRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^territory-row-/, '')))
  expect(shownIds.sort()).toEqual([...territoryIds].sort())

  // Collapsing hides the territories below the top level, expanding brings them back.
  await page.getByTestId('collapse-all').click()
  expect(await tableRows.count()).toBeLessThan(territoryIds.length)
  await page.getByTestId('expand-all').click()
  await expect(tableRows).toHaveCount(territoryIds.length)

  // The status bar and the plan-total row agree with Go.
  const planRow = rows.find((r) => r.kind === 'plan')
  expect(planRow.accounts).toBe(info.accounts)
  await expect(page.getByTestId('status-accounts')).toContainText(await formatInPage(page, info.accounts, 'en', { maximumFractionDigits: 0 }))
  const compact = await formatInPage(page, planRow.accounts, 'en', { notation: 'compact', maximumSignificantDigits: 3 })
  await expect(page.getByTestId('territory-row-total').locator('.c-num').first()).toHaveText(compact)

  await page.screenshot({ path: testInfo.outputPath('demo.png') })
  expect(pageErrors).toEqual([])
})

test('the map is drawn: many colours, fitted to the plan, units coloured by territory', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const map = page.getByTestId('map')
  const shot = await map.screenshot({ path: testInfo.outputPath('map.png') })
  const img = decodePNG(shot)
  const box = (await map.boundingBox())!
  expect(img.width).toBe(Math.round(box.width))
  expect(distinctColours(img), 'distinct colours in the map screenshot').toBeGreaterThan(60)

  const alignment = await call(page, 'Alignment')
  const info = await call(page, 'Info')
  const check = await page.evaluate(
    ({ alignment, bounds }) => {
      const m = (window as any).__territoria.map
      const src = m.getSource('units')
      const ut: number[] = alignment.unitTerritory
      const mismatches: string[] = []
      let coloured = 0
      for (let i = 0; i < ut.length; i++) {
        const want = ut[i] >= 0 ? alignment.territories[ut[i]].color.toLowerCase() : null
        const got = m.getFeatureState({ source: 'units', id: i }).color ?? null
        if ((got && String(got).toLowerCase()) !== want) mismatches.push(`unit ${i}: want ${want}, got ${got}`)
        if (got) coloured++
      }
      const canvas = m.getCanvas().getBoundingClientRect()
      const sw = m.project([bounds[0], bounds[1]])
      const ne = m.project([bounds[2], bounds[3]])
      const rendered = m.queryRenderedFeatures({ layers: ['units-fill'] })
      return {
        hasSource: !!src,
        units: ut.length,
        coloured,
        mismatches: mismatches.slice(0, 5),
        mismatchCount: mismatches.length,
        rendered: new Set(rendered.map((f: any) => f.id)).size,
        canvas: { w: canvas.width, h: canvas.height },
        planPx: { x0: sw.x, y0: ne.y, x1: ne.x, y1: sw.y },
      }
    },
    { alignment, bounds: info.bounds },
  )
  expect(check.hasSource).toBe(true)
  expect(check.units).toBe(info.units)
  expect(check.mismatches, `${check.mismatchCount} units with a wrong colour`).toEqual([])
  expect(check.coloured).toBe(alignment.unitTerritory.filter((t: number) => t >= 0).length)
  expect(check.coloured).toBeGreaterThan(0)
  // Most units are on screen, and the plan's bounds fit inside the map and fill much of it.
  expect(check.rendered).toBeGreaterThan(info.units * 0.5)
  const { planPx, canvas } = check
  const tol = 2
  expect(planPx.x0).toBeGreaterThanOrEqual(-tol)
  expect(planPx.y0).toBeGreaterThanOrEqual(-tol)
  expect(planPx.x1).toBeLessThanOrEqual(canvas.w + tol)
  expect(planPx.y1).toBeLessThanOrEqual(canvas.h + tol)
  const fill = Math.max((planPx.x1 - planPx.x0) / canvas.w, (planPx.y1 - planPx.y0) / canvas.h)
  expect(fill, 'share of the map the plan bounds span').toBeGreaterThan(0.5)
})

test('requests without the token are refused', async ({ browser, server }) => {
  const u = new URL(server.url)
  const bare = `${u.origin}/`
  const ctx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    const resp = await page.goto(bare)
    expect(resp!.status()).toBe(403)
    const wrong = await page.goto(`${bare}?token=${'0'.repeat(u.searchParams.get('token')!.length)}`)
    expect(wrong!.status()).toBe(403)
    // The bridge endpoint is closed too.
    const call = await ctx.request.post(`${u.origin}/call`, { data: { name: 'app.PlanService.Info', args: [] }, failOnStatusCode: false })
    expect(call.status()).toBe(403)
    // With the token the same context gets the page.
    const ok = await page.goto(server.url)
    expect(ok!.status()).toBe(200)
  } finally {
    await ctx.close()
  }
})
