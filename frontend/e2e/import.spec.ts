import { test, expect, openDemo, call, waitForMapIdle } from './helpers'

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

test('import: an account file with bad rows is checked, the good rows are imported, map and panel follow', async ({ page, server }) => {
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

  await page.getByTestId('import-save-report').click()
  await expect(page.getByTestId('import-report-note')).toContainText('import-report.xlsx')

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
