import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, waitForMapIdle } from './helpers'

async function menu(page: Page, item: string) {
  await page.getByTestId('menu-scenario').click()
  await page.getByTestId(`menu-scenario-${item}`).click()
}

/** The scenario-select options as [value, text] pairs. */
async function options(page: Page): Promise<[string, string][]> {
  return page.getByTestId('scenario-select').locator('option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent!.trim()] as [string, string]))
}

/** The select lists exactly the scenarios Go reports, by id and name, and shows the active one. */
async function expectSelectMatchesGo(page: Page) {
  await expect
    .poll(async () => {
      const [list, info] = [await call<any[]>(page, 'Scenarios'), await call(page, 'Info')]
      const opts = await options(page)
      const value = await page.getByTestId('scenario-select').inputValue()
      return (
        opts.length === list.length &&
        list.every((s, i) => opts[i][0] === s.id && opts[i][1].startsWith(`${s.name} ·`) && opts[i][1].includes(String(s.territories))) &&
        value === info.activeScenario
      )
    })
    .toBe(true)
}

test('scenarios: clone, switch, rename and delete from the menu', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  const before: any[] = await call(page, 'Scenarios')
  const info0 = await call(page, 'Info')
  const original = before.find((s) => s.id === info0.activeScenario)
  await expectSelectMatchesGo(page)

  // Clone: the dialog proposes "<name> (copy)"; we give our own name.
  await menu(page, 'clone')
  const dialog = page.getByTestId('prompt-dialog')
  await expect(dialog).toBeVisible()
  await expect(page.getByTestId('prompt-input')).toHaveValue(`${original.name} (copy)`)
  await page.getByTestId('prompt-input').fill('Growth plan')
  await page.getByTestId('prompt-ok').click()
  await expect(dialog).toHaveCount(0)

  await expect.poll(async () => (await call<any[]>(page, 'Scenarios')).length).toBe(before.length + 1)
  const afterClone: any[] = await call(page, 'Scenarios')
  const clone = afterClone.find((s) => !before.some((b) => b.id === s.id))
  expect(clone.name).toBe('Growth plan')
  expect(clone.territories).toBe(original.territories)
  // The clone becomes the active scenario, with the same alignment as the original.
  expect((await call(page, 'Info')).activeScenario).toBe(clone.id)
  await expectSelectMatchesGo(page)
  const cloneAlignment = await call(page, 'Alignment')
  expect(cloneAlignment.scenarioId).toBe(clone.id)
  await waitForMapIdle(page)
  await page.screenshot({ path: testInfo.outputPath('cloned.png') })

  // Switch back to the original with the select, then to the clone again.
  await page.getByTestId('scenario-select').selectOption(original.id)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(original.id)
  await expectSelectMatchesGo(page)
  const originalAlignment = await call(page, 'Alignment')
  expect(originalAlignment.scenarioId).toBe(original.id)
  expect(cloneAlignment.unitTerritory).toEqual(originalAlignment.unitTerritory)
  expect(cloneAlignment.territories.map((t: any) => t.name)).toEqual(originalAlignment.territories.map((t: any) => t.name))
  await page.getByTestId('scenario-select').selectOption(clone.id)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(clone.id)

  // Rename the clone; cancelling first changes nothing.
  await menu(page, 'rename')
  await expect(page.getByTestId('prompt-input')).toHaveValue('Growth plan')
  await page.getByTestId('prompt-input').fill('Ignored name')
  await page.getByTestId('prompt-cancel').click()
  await expect(page.getByTestId('prompt-dialog')).toHaveCount(0)
  expect((await call<any[]>(page, 'Scenarios')).find((s) => s.id === clone.id).name).toBe('Growth plan')
  await menu(page, 'rename')
  await page.getByTestId('prompt-input').fill('Growth plan 2027')
  await page.getByTestId('prompt-input').press('Enter')
  await expect.poll(async () => (await call<any[]>(page, 'Scenarios')).find((s) => s.id === clone.id)?.name).toBe('Growth plan 2027')
  await expectSelectMatchesGo(page)
  await expect(page.getByTestId('scenario-select').locator('option:checked')).toContainText('Growth plan 2027')
  await page.screenshot({ path: testInfo.outputPath('renamed.png') })

  // Delete asks first; cancelling keeps the scenario.
  await menu(page, 'delete')
  const confirm = page.getByTestId('confirm-dialog')
  await expect(confirm).toContainText('Growth plan 2027')
  await page.screenshot({ path: testInfo.outputPath('confirm-delete.png') })
  await page.getByTestId('confirm-cancel').click()
  await expect(confirm).toHaveCount(0)
  expect((await call<any[]>(page, 'Scenarios')).some((s) => s.id === clone.id)).toBe(true)

  await menu(page, 'delete')
  await page.getByTestId('confirm-ok').click()
  await expect.poll(async () => (await call<any[]>(page, 'Scenarios')).map((s) => s.id)).toEqual(before.map((s) => s.id))
  const infoAfter = await call(page, 'Info')
  expect(before.map((s) => s.id)).toContain(infoAfter.activeScenario)
  await expectSelectMatchesGo(page)
})

test('a new scenario starts empty and the last scenario cannot be deleted', async ({ page, server }) => {
  await openDemo(page, server)
  const before: any[] = await call(page, 'Scenarios')
  const units = (await call(page, 'Info')).units

  await menu(page, 'new')
  await page.getByTestId('prompt-input').fill('Blank slate')
  await page.getByTestId('prompt-ok').click()
  await expect.poll(async () => (await call<any[]>(page, 'Scenarios')).length).toBe(before.length + 1)
  const created = (await call<any[]>(page, 'Scenarios')).find((s) => s.name === 'Blank slate')
  expect(created.territories).toBe(0)
  await expect.poll(async () => (await call(page, 'Info')).activeScenario).toBe(created.id)
  await expectSelectMatchesGo(page)
  // Every unit is unassigned: the table has no territories and the unassigned row holds every unit.
  const alignment = await call(page, 'Alignment')
  expect(alignment.unitTerritory.every((t: number) => t === -1)).toBe(true)
  await expect(page.getByTestId('territory-table').locator('[role=row].is-territory')).toHaveCount(0)
  const unassigned = (await call<any[]>(page, 'Territories')).find((r) => r.kind === 'unassigned')
  expect(unassigned.units).toBe(units)
  await expect(page.getByTestId('territory-row-unassigned')).toBeVisible()

  // Delete every scenario through the UI until one is left; then deleting is refused.
  for (let n = before.length + 1; n > 1; n--) {
    await menu(page, 'delete')
    await page.getByTestId('confirm-ok').click()
    await expect.poll(async () => (await call<any[]>(page, 'Scenarios')).length).toBe(n - 1)
  }
  await expectSelectMatchesGo(page)
  await page.getByTestId('menu-scenario').click()
  await expect(page.getByTestId('menu-scenario-delete')).toHaveClass(/disabled/)
  await page.keyboard.press('Escape')
  await expect(call(page, 'DeleteScenario', (await call(page, 'Info')).activeScenario)).rejects.toThrow(/at least one scenario/i)
  expect((await call<any[]>(page, 'Scenarios')).length).toBe(1)
})
