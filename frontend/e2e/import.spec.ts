import type { Page } from '@playwright/test'
import { mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, expect, openDemo, call, moveMap, waitForMapIdle } from './helpers'

const HERE = dirname(fileURLToPath(import.meta.url))
/** Screenshots for people to look at. */
const ARTIFACTS = resolve(HERE, '../../artifacts/import')
/** Boundary files written by GDAL (see storage/gisfile/testdata/SOURCES.md). */
const GIS_TESTDATA = resolve(HERE, '../../storage/gisfile/testdata')

function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}

/** Calls window.go.app.ImportService.<method>(...args) in the page. */
async function importCall<T = any>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([m, a]) => (window as any).go.app.ImportService[m as string](...(a as unknown[])), [method, args] as const)
}

/** Opens the wizard from the File menu, picks kind and uploads a file (the browser mode has no native dialog). */
async function openWizardWith(page: Page, kind: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByTestId('menu-file').click()
  await page.getByTestId('menu-file-import').click()
  await expect(page.getByTestId('import-wizard')).toBeVisible()
  await page.getByTestId('import-kind').selectOption(kind)
  await page.getByTestId('import-choose').click()
  await page.getByTestId('import-file-input').setInputFiles(file)
  await expect(page.getByTestId('import-filename')).toHaveText(file.name)
  await page.getByTestId('import-next').click()
}

// Five accounts in the continental US and one in the Pacific, outside every
// county (so the panel's "unassigned" row shows it), and three rows with problems: a latitude
// out of range, a potential that is not a number, an id seen before.
const CSV = [
  'Customer accounts (CRM export)',
  'Account ID,Account Name,Longitude,Latitude,Potential',
  'E2E-1,Alpha Foods,-122.42,37.77,120000',
  'E2E-2,Beta Tools,-87.63,41.88,"45,000"',
  'E2E-3,Gamma Care,-95.37,129.76,30000',
  'E2E-4,Delta Labs,-74.0,40.71,abc',
  'E2E-5,Epsilon Inc,-104.99,39.74,80000',
  'E2E-1,Alpha again,-122.4,37.7,1',
  'E2E-6,Zeta Retail,-84.39,33.75,64000',
  'E2E-7,Eta Hotels,-112.07,33.45,20000',
  'E2E-8,Ocean Buoy,-140.0,30.0,1000',
].join('\n')

test('import: an account file with bad rows is checked, the good rows are imported, map and panel follow', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const info0 = await call(page, 'Info')
  const align0 = await call(page, 'Alignment')
  const rows0: any[] = await call(page, 'Territories')
  const planRow0 = rows0.find((r) => r.kind === 'plan')
  const unassigned0 = rows0.find((r) => r.kind === 'unassigned')?.accounts ?? 0

  await page.getByTestId('menu-file').click()
  await page.getByTestId('menu-file-import').click()
  const wizard = page.getByTestId('import-wizard')
  await expect(wizard).toBeVisible()
  await page.getByTestId('import-kind').selectOption('accounts')

  // Browser mode has no native dialog: the wizard offers an upload instead.
  await page.getByTestId('import-choose').click()
  await page.getByTestId('import-file-input').setInputFiles({ name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  await expect(page.getByTestId('import-filename')).toHaveText('accounts.csv')
  await page.getByTestId('import-next').click()

  // Columns are matched from the headers; the header is found below the title row.
  await expect(page.getByTestId('import-map-id')).toHaveValue('Account ID')
  await expect(page.getByTestId('import-map-lat')).toHaveValue('Latitude')
  await expect(page.getByTestId('import-map-potential')).toHaveValue('Potential')
  await expect(page.getByTestId('import-detected')).toContainText('row 2')
  await expect(page.getByTestId('import-preview').locator('tbody tr')).toHaveCount(8)
  await page.getByTestId('import-start').click()

  // Nothing is imported while rows are rejected; each one is listed.
  await expect(page.getByTestId('import-not-committed')).toBeVisible()
  await expect(page.getByTestId('import-summary')).toContainText('9 rows: 6 good, 3 rejected')
  const rejects = page.getByTestId('import-rejects').locator('tbody tr')
  await expect(rejects).toHaveCount(3)
  await expect(rejects.nth(0)).toContainText('5')
  await expect(rejects.nth(0)).toContainText('Latitude')
  await expect(rejects.nth(0)).toContainText('out of range')
  await expect(rejects.nth(1)).toContainText('not a number')
  await expect(rejects.nth(2)).toContainText('duplicate')
  expect((await call(page, 'Info')).accounts).toBe(info0.accounts)

  // The browser mode downloads the report; nothing is written into the data folder.
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-save-report').click()])
  expect(report.suggestedFilename()).toBe('accounts-rejected.xlsx')
  const reportPath = join(testInfo.outputDir, report.suggestedFilename())
  await report.saveAs(reportPath)
  expect(readFileSync(reportPath).subarray(0, 2).toString()).toBe('PK')
  await expect(page.getByTestId('import-report-note')).toContainText('accounts-rejected.xlsx')
  expect(readdirSync(server.home).filter((f) => f.endsWith('.xlsx'))).toEqual([])

  await page.getByTestId('import-good').click()
  await expect(page.getByTestId('import-committed')).toContainText('Added 6')
  await page.getByTestId('import-close').click()
  await expect(wizard).toBeHidden()

  // The plan, the map's alignment version and the panel's totals follow.
  await expect.poll(async () => (await call(page, 'Info')).accounts).toBe(info0.accounts + 6)
  await expect.poll(async () => (await call(page, 'Alignment')).version).toBeGreaterThan(align0.version)
  const rows: any[] = await call(page, 'Territories')
  expect(rows.find((r) => r.kind === 'plan').accounts).toBe(planRow0.accounts + 6)
  const unassigned = rows.find((r) => r.kind === 'unassigned')
  expect(unassigned.accounts).toBe(unassigned0 + 1)
  await expect(page.getByTestId('territory-row-unassigned')).toContainText(String(unassigned.accounts))
  await waitForMapIdle(page)
})

test('import: a boundary layer is checked in a dry run, then added to the plan\'s units and drawn', async ({ page, server }) => {
  await openDemo(page, server)
  const info0 = await call(page, 'Info')
  const file = { name: 'beijing_gbk.zip', mimeType: 'application/zip', buffer: readFileSync(join(GIS_TESTDATA, 'beijing_gbk.zip')) }
  await openWizardWith(page, 'boundaries', file)

  // The layer step shows what was detected: a GBK Shapefile, ids from adcode, names from name, districts.
  const wizard = page.getByTestId('import-wizard')
  await expect(page.getByTestId('import-layer-detected')).toContainText('SHAPEFILE')
  await expect(page.getByTestId('import-layer-detected')).toContainText('GBK')
  await expect(page.getByTestId('import-layer-id')).toHaveValue('adcode')
  await expect(page.getByTestId('import-layer-name')).toHaveValue('name')
  await expect(page.getByTestId('import-layer-level')).toHaveAttribute('placeholder', /district/)
  await expect(page.getByTestId('import-layer-sample').locator('tbody tr')).toHaveCount(3)
  await expect(page.getByTestId('import-layer-sample')).toContainText('东城区')
  await expect(page.getByTestId('import-mode-replace')).toBeChecked()
  await wizard.screenshot({ path: artifact('boundary-fields.png') })

  // A dry run of replacing: every county would go, with the demo's assignments.
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-dry-run')).toBeVisible()
  await expect(page.getByTestId('import-boundary-counts')).toContainText(`Would add 3 · update 0 · keep 0 unchanged · remove ${info0.units.toLocaleString('en-US')}`)
  await expect(page.getByTestId('import-boundary-dropped')).toContainText('would lose the assignments of')
  await expect(page.getByTestId('import-boundary-dropped-table').locator('tbody tr').first()).toBeVisible()
  await wizard.screenshot({ path: artifact('boundary-dry-run-replace.png') })
  expect((await call(page, 'Info')).units).toBe(info0.units)

  // Change the choices: add to the plan's units, and name the level.
  await page.getByTestId('import-change').click()
  await page.getByTestId('import-mode-add').check()
  await page.getByTestId('import-layer-level').fill('district')
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-boundary-counts')).toContainText(`Would add 3 · update 0 · keep ${info0.units.toLocaleString('en-US')} unchanged · remove 0`)
  await expect(page.getByTestId('import-boundary-fields')).toContainText('Ids from adcode, names from name, level district')
  await expect(page.getByTestId('import-boundary-dropped')).toHaveCount(0)
  await wizard.screenshot({ path: artifact('boundary-dry-run-add.png') })
  expect((await call(page, 'Info')).units).toBe(info0.units)

  await page.getByTestId('import-commit').click()
  await expect(page.getByTestId('import-committed')).toBeVisible()
  await expect(page.getByTestId('import-boundary-counts')).toContainText(`Added 3 · updated 0 · unchanged ${info0.units.toLocaleString('en-US')} · removed 0`)
  await page.getByTestId('import-close').click()
  await expect(wizard).toBeHidden()

  // The plan has the three districts; the map draws them.
  expect((await call(page, 'Info')).units).toBe(info0.units + 3)
  const units: any = await call(page, 'Units')
  const dongcheng = units.features.find((f: any) => f.properties.uid === '110101')
  expect(dongcheng?.properties).toMatchObject({ name: '东城区', level: 'district' })
  await expect
    .poll(() => page.evaluate(() => (window as any).__territoria.map.getSource('units')?.serialize?.().data?.features?.length ?? -1))
    .toBe(info0.units + 3)
  await moveMap(page, [116.42, 39.91], 10)
  await waitForMapIdle(page)
  const drawn = await page.evaluate(
    () => (window as any).__territoria.map.querySourceFeatures('units').filter((f: any) => String(f.properties.uid).startsWith('1101')).length,
  )
  expect(drawn).toBeGreaterThan(0)
  await page.screenshot({ path: artifact('boundary-added-map.png') })

  // In Chinese: the same file again is checked against the districts it added.
  await page.getByTestId('lang-switch').getByTestId('lang-zh-CN').click()
  await openWizardWith(page, 'boundaries', file)
  await expect(page.getByTestId('import-layer-detected')).toContainText('3 个要素')
  await page.getByTestId('import-mode-add').check()
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-boundary-counts')).toContainText(`将新增 0 · 更新 0 · 保持 ${(info0.units + 3).toLocaleString('en-US')}`)
  await expect(page.getByTestId('import-boundary-fields')).toContainText('编号取自 adcode，名称取自 name，层级 district')
  await wizard.screenshot({ path: artifact('boundary-dry-run-zh.png') })
  await page.getByTestId('import-change').click()
  await page.getByTestId('import-back').click()
  await page.getByTestId('import-cancel').click()
  await expect(wizard).toBeHidden()
  expect((await call(page, 'Info')).units).toBe(info0.units + 3)
})

// A CRM export whose headers nothing suggests: the planner matches them once,
// saves the matching as a template, and the next export is matched by loading it.
const GERMAN = (rows: string[]) => ['Kundennummer;Firma;Länge;Breite;Potenzial', ...rows].join('\n')

test('import: a column matching saved as a template is reused for the next file and exported as a mapping file', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const info0 = await call(page, 'Info')
  const first = GERMAN(['DE-1;Müller GmbH;-87.62;41.88;50000', 'DE-2;Schmidt AG;-122.41;37.77;70000'])
  await openWizardWith(page, 'accounts', { name: 'kunden-januar.csv', mimeType: 'text/csv', buffer: Buffer.from(first) })

  await expect(page.getByTestId('import-map-id')).toHaveValue('')
  await expect(page.getByTestId('import-template-select')).toContainText('No saved templates')
  for (const [field, column] of [['id', 'Kundennummer'], ['name', 'Firma'], ['lon', 'Länge'], ['lat', 'Breite'], ['potential', 'Potenzial']]) {
    await page.getByTestId(`import-map-${field}`).selectOption(column)
  }
  await page.getByTestId('import-template-name').fill('German CRM')
  await page.getByTestId('import-template-save').click()
  await expect(page.getByTestId('import-template-note')).toHaveText('Saved as template “German CRM”.')
  await page.getByTestId('import-wizard').screenshot({ path: artifact('template-saved.png') })

  // Exported for download as the JSON `territoria import --mapping` reads.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template-export').click()])
  expect(dl.suggestedFilename()).toBe('German CRM.json')
  const mappingPath = join(testInfo.outputDir, 'German CRM.json')
  await dl.saveAs(mappingPath)
  const mapping = JSON.parse(readFileSync(mappingPath, 'utf8'))
  expect(mapping).toMatchObject({ kind: 'accounts', columns: { id: 'Kundennummer', name: 'Firma', lon: 'Länge', lat: 'Breite', potential: 'Potenzial' } })

  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('import-committed')).toContainText('Added 2')
  await page.getByTestId('import-close').click()

  // The next month's file, columns in another order: nothing is matched until the template is loaded.
  const second = ['Breite;Länge;Potenzial;Firma;Kundennummer', '40.71;-74.0;30000;Weber KG;DE-3', '33.75;-84.39;20000;Fischer OHG;DE-4', '39.74;-104.99;10000;Wagner SE;DE-5'].join('\n')
  await openWizardWith(page, 'accounts', { name: 'kunden-februar.csv', mimeType: 'text/csv', buffer: Buffer.from(second) })
  await expect(page.getByTestId('import-map-lat')).toHaveValue('')
  await page.getByTestId('import-template-select').selectOption('German CRM')
  await expect(page.getByTestId('import-map-id')).toHaveValue('Kundennummer')
  await expect(page.getByTestId('import-map-lon')).toHaveValue('Länge')
  await expect(page.getByTestId('import-map-potential')).toHaveValue('Potenzial')
  await expect(page.getByTestId('import-template-missing')).toHaveCount(0)
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('import-committed')).toContainText('Added 3')
  await page.getByTestId('import-close').click()
  await expect.poll(async () => (await call(page, 'Info')).accounts).toBe(info0.accounts + 5)

  // The template is kept in the user's settings, and a mapping file loads as a template too.
  const settings = JSON.parse(readFileSync(join(server.home, 'settings.json'), 'utf8'))
  expect(settings.importTemplates.map((t: any) => t.name)).toEqual(['German CRM'])
  await openWizardWith(page, 'accounts', { name: 'kunden-maerz.csv', mimeType: 'text/csv', buffer: Buffer.from(GERMAN(['DE-6;Koch KG;-95.37;29.76;1000'])) })
  await page.getByTestId('import-template-file').setInputFiles({ name: 'Partner CRM.json', mimeType: 'application/json', buffer: readFileSync(mappingPath) })
  await expect(page.getByTestId('import-map-lat')).toHaveValue('Breite')
  await expect(page.getByTestId('import-template-name')).toHaveValue('Partner CRM')
  await page.getByTestId('import-template-save').click()
  await expect(page.getByTestId('import-template-select')).toHaveValue('Partner CRM')
  expect((await importCall(page, 'Templates', 'accounts')).map((t: any) => t.name)).toEqual(['German CRM', 'Partner CRM'])
  await page.getByTestId('import-template-delete').click()
  await expect(page.getByTestId('import-template-note')).toContainText('deleted')
  expect((await importCall(page, 'Templates', 'accounts')).map((t: any) => t.name)).toEqual(['German CRM'])
  await page.getByTestId('import-cancel').or(page.getByTestId('import-back')).first().click()
})
