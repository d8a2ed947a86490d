import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect, openDemo, call, waitForMapIdle } from './helpers'

// In the browser mode there is no native save dialog: the export dialog has
// Go write the file and the browser downloads it.

async function openExport(page: import('@playwright/test').Page) {
  await page.getByTestId('menu-file').click()
  await page.getByTestId('menu-file-export').click()
  await expect(page.getByTestId('export-dialog')).toBeVisible()
}

/** Collects export:progress events in the page. */
async function listenProgress(page: import('@playwright/test').Page) {
  await page.evaluate(() => {
    const w = window as any
    w.__exportProgress = []
    w.runtime.EventsOn('export:progress', (p: unknown) => w.__exportProgress.push(p))
  })
}

test('export: the workbook is written by Go with progress and downloaded in the browser mode', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  await listenProgress(page)
  await openExport(page)
  await expect(page.getByTestId('export-format-xlsx')).toBeChecked()
  await expect(page.getByTestId('export-hint')).toContainText('change report')
  await expect(page.getByTestId('export-baseline')).toBeVisible()
  await page.getByTestId('export-dialog').screenshot({ path: testInfo.outputPath('export-dialog.png') })

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/)
  const file = join(testInfo.outputDir, download.suggestedFilename())
  await download.saveAs(file)
  const bytes = readFileSync(file)
  expect(bytes.subarray(0, 2).toString()).toBe('PK') // a zip archive, as every .xlsx is
  expect(bytes.length).toBeGreaterThan(100_000)
  await expect(page.getByTestId('export-downloaded')).toContainText(download.suggestedFilename())

  // Progress arrived while Go wrote the 50,000 accounts, ending with "done".
  const events: any[] = await page.evaluate(() => (window as any).__exportProgress)
  expect(events.length).toBeGreaterThan(0)
  expect(events.some((e) => e.stage === 'accounts' && e.total === 50_000)).toBe(true)
  expect(events[events.length - 1].stage).toBe('done')

  await page.getByTestId('export-close').click()
  await expect(page.getByTestId('export-dialog')).toBeHidden()
})

test('export: GIS options, a map picture, and a shared read-only copy that says where it came from', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const info0 = await call(page, 'Info')

  // GeoJSON without accounts: the result lists the layers.
  await openExport(page)
  await page.getByTestId('export-format-geojson').check()
  await page.getByTestId('export-no-accounts').check()
  const [gj] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  expect(gj.suggestedFilename()).toMatch(/\.geojson$/)
  const gjPath = join(testInfo.outputDir, gj.suggestedFilename())
  await gj.saveAs(gjPath)
  const fc = JSON.parse(readFileSync(gjPath, 'utf8'))
  expect(fc.type).toBe('FeatureCollection')
  expect(fc.features.filter((f: any) => f.properties.layer === 'territories')).toHaveLength(40)
  expect(fc.features.some((f: any) => f.properties.layer === 'accounts')).toBe(false)
  await expect(page.getByTestId('export-layers')).toContainText('40')
  await page.getByTestId('export-close').click()

  // A PNG of a chosen size; a size out of range is refused before Go is asked.
  await openExport(page)
  await page.getByTestId('export-format-png').check()
  await page.getByTestId('export-width').fill('50')
  await expect(page.getByTestId('export-problem')).toBeVisible()
  await expect(page.getByTestId('export-run')).toBeDisabled()
  await page.getByTestId('export-width').fill('800')
  await page.getByTestId('export-height').fill('500')
  await page.getByTestId('export-color-by').selectOption('potential')
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  const pngPath = join(testInfo.outputDir, png.suggestedFilename())
  await png.saveAs(pngPath)
  const head = readFileSync(pngPath)
  expect(head.subarray(1, 4).toString()).toBe('PNG')
  expect(head.readUInt32BE(16)).toBe(800) // IHDR width
  expect(head.readUInt32BE(20)).toBe(500) // IHDR height
  await page.getByTestId('export-close').click()

  // Share Plan…: anonymised, read-only.
  await page.getByTestId('menu-file').click()
  await page.getByTestId('menu-file-share').click()
  await expect(page.getByTestId('export-format-share')).toBeChecked()
  await page.getByTestId('export-anonymise').check()
  await expect(page.getByTestId('export-read-only')).toBeChecked()
  const [shared] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  expect(shared.suggestedFilename()).toMatch(/\.territoria$/)
  const sharedPath = join(testInfo.outputDir, 'shared-' + Date.now() + '.territoria')
  await shared.saveAs(sharedPath)
  await page.getByTestId('export-close').click()

  // Opening the copy tells who exported it, when, and from which scenario.
  await page.getByTestId('menu-file').click()
  await page.getByTestId('menu-file-open').click()
  await page.getByTestId('prompt-input').fill(sharedPath)
  await page.getByTestId('prompt-ok').click()
  await expect(page.getByTestId('notice-info')).toContainText('Shared copy, read-only')
  await expect(page.getByTestId('notice-info')).toContainText(info0.scenarios[0].name)
  const info = await call(page, 'Info')
  expect(info.readOnly).toBe(true)
  expect(info.accounts).toBe(info0.accounts)
  await waitForMapIdle(page)
})
