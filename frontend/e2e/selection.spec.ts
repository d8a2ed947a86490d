import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, formatInPage, waitForMapIdle } from './helpers'

/** Detail-card figures as the UI formats them in English. */
async function expectDetailFor(page: Page, row: any, units: number, currency: string) {
  const card = page.getByTestId('detail-card')
  await expect(card.getByTestId('detail-name')).toHaveText(row.name)
  const count = (v: number) => formatInPage(page, v, 'en', { maximumFractionDigits: 0 })
  const money = (v: number) =>
    formatInPage(page, v, 'en', { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0 })
  await expect(card.getByTestId('detail-accounts')).toHaveText(await count(row.accounts))
  await expect(card.getByTestId('detail-units')).toHaveText(await count(units))
  await expect(card.getByTestId('detail-potential')).toHaveText(await money(row.potential))
  await expect(card.getByTestId('detail-revenue')).toHaveText(await money(row.revenue))
  await expect(card.getByTestId('detail-ltv')).toHaveText(await money(row.lifetimeValue))
}

/** Units whose feature-state marks them selected. */
async function selectedUnits(page: Page, n: number): Promise<number[]> {
  return page.evaluate((n) => {
    const m = (window as any).__territoria.map
    const out: number[] = []
    for (let i = 0; i < n; i++) if (m.getFeatureState({ source: 'units', id: i }).sel) out.push(i)
    return out
  }, n)
}

/**
 * Finds a spot on the map canvas well inside a unit of some territory, where
 * nothing (label, legend, card) covers the canvas. Returns page coordinates
 * and the unit's id.
 */
async function clickableUnit(page: Page, unitTerritory: number[], avoidTerritory = -1) {
  return page.evaluate(
    ({ ut, avoid }) => {
      const m = (window as any).__territoria.map
      const canvas: HTMLCanvasElement = m.getCanvas()
      const r = canvas.getBoundingClientRect()
      const unitAt = (x: number, y: number) => {
        const f = m.queryRenderedFeatures([x, y], { layers: ['units-fill'] })[0]
        return f ? Number(f.id) : null
      }
      const counts = new Map<number, { x: number; y: number; unit: number }[]>()
      for (let y = 20; y < r.height - 20; y += 14) {
        for (let x = 20; x < r.width - 20; x += 14) {
          const u = unitAt(x, y)
          if (u === null || ut[u] < 0 || ut[u] === avoid) continue
          // Well inside: the same unit all around, and the canvas is what a click would hit.
          const ring = [[-6, 0], [6, 0], [0, -6], [0, 6], [-6, -6], [6, 6], [-6, 6], [6, -6]]
          if (!ring.every(([dx, dy]) => unitAt(x + dx, y + dy) === u)) continue
          if (!ring.concat([[0, 0]]).every(([dx, dy]) => document.elementFromPoint(r.left + x + dx, r.top + y + dy) === canvas)) continue
          const list = counts.get(ut[u]) ?? []
          list.push({ x: r.left + x, y: r.top + y, unit: u })
          counts.set(ut[u], list)
        }
      }
      // The territory with the most clear spots, and its middle spot.
      let best: { x: number; y: number; unit: number } | null = null
      let bestN = 0
      for (const list of counts.values()) {
        if (list.length > bestN) {
          bestN = list.length
          best = list[Math.floor(list.length / 2)]
        }
      }
      return best
    },
    { ut: unitTerritory, avoid: avoidTerritory },
  )
}

test('clicking a territory on the map or in the table selects it and shows its figures', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const info = await call(page, 'Info')
  const alignment = await call(page, 'Alignment')
  const rows: any[] = await call(page, 'Territories')
  const ut: number[] = alignment.unitTerritory
  const unitsOf = (ti: number) => ut.flatMap((t, i) => (t === ti ? [i] : []))

  await expect(page.getByTestId('detail-card')).toHaveCount(0)

  // On the map.
  const spot = await clickableUnit(page, ut)
  expect(spot, 'a clear spot inside some territory on the map').not.toBeNull()
  const ti = ut[spot!.unit]
  const terr = alignment.territories[ti]
  const row = rows.find((r) => r.id === terr.id)
  expect(row, `Territories() has a row for ${terr.id}`).toBeTruthy()
  expect(row.kind).toBe('territory')
  expect(row.units).toBe(unitsOf(ti).length)

  await page.mouse.click(spot!.x, spot!.y)
  await expectDetailFor(page, row, unitsOf(ti).length, info.currency)
  const tableRow = page.getByTestId(`territory-row-${terr.id}`)
  await expect(tableRow).toHaveAttribute('aria-selected', 'true')
  await expect(tableRow).toHaveClass(/is-selected/)
  // A selection made on the map scrolls its row into view.
  await expect(tableRow).toBeInViewport()
  await expect(page.locator('[role=row][aria-selected=true]')).toHaveCount(1)
  await expect.poll(() => selectedUnits(page, ut.length)).toEqual(unitsOf(ti))
  await page.screenshot({ path: testInfo.outputPath('selected-on-map.png') })

  // In the table: another territory.
  const otherIdx = alignment.territories.findIndex((t: any, i: number) => t.kind === 'territory' && i !== ti && ut.includes(i))
  const other = alignment.territories[otherIdx]
  const otherRow = rows.find((r) => r.id === other.id)
  await page.getByTestId('expand-all').click()
  await page.getByTestId(`territory-row-${other.id}`).click()
  await expectDetailFor(page, otherRow, unitsOf(otherIdx).length, info.currency)
  await expect(page.getByTestId(`territory-row-${other.id}`)).toHaveAttribute('aria-selected', 'true')
  await expect(tableRow).toHaveAttribute('aria-selected', 'false')
  await expect.poll(() => selectedUnits(page, ut.length)).toEqual(unitsOf(otherIdx))

  // Selecting from the table flies the map to the territory: its units end up on screen.
  await waitForMapIdle(page)
  const visible = await page.evaluate((ids) => {
    const m = (window as any).__territoria.map
    const seen = new Set(m.queryRenderedFeatures({ layers: ['units-fill'] }).map((f: any) => Number(f.id)))
    return ids.filter((i: number) => seen.has(i)).length
  }, unitsOf(otherIdx))
  expect(visible).toBe(unitsOf(otherIdx).length)
  await page.screenshot({ path: testInfo.outputPath('selected-in-table.png') })

  // Escape clears the selection.
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('detail-card')).toHaveCount(0)
  await expect(page.locator('[role=row][aria-selected=true]')).toHaveCount(0)
  await expect.poll(() => selectedUnits(page, ut.length)).toEqual([])
})
