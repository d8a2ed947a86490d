// Go's refusals in Simplified Chinese: a value of the Assumptions panel Go
// refuses is explained next to its field in Chinese (the setting, the value
// as the planner typed it — 200 %, not Go's stored 2 — and the rule in the
// same units) and nothing changes; an edit refused because a territory is
// locked (painting into it, merging it) says so in Chinese in the notice.
// Switching to English shows the same sentence in English; a lock's refusal
// stays Go's own message there.
import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, history, clickableUnit, artifactsDir, shotTo } from './helpers'

/** Screenshots for people to look at. */
const ARTIFACTS = artifactsDir('model')
const shot = (page: Page, name: string, testInfo: { outputPath: (n: string) => string }) => shotTo(ARTIFACTS, page, name, testInfo)

/** English words of Go's rules that must not be left in a Chinese message. */
const ENGLISH = /\b(want|finite|number|share|white-space|cut-offs|is locked|territory|revenue|segments)\b/i

test('a refused assumption is explained in Chinese next to its field, and nothing changes', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('lang-zh-CN').click()
  await page.getByTestId('model-tool-assumptions').click()
  await expect(page.getByTestId('assumptions-apply')).toHaveText('应用')
  await page.getByTestId('section-segments').click()

  // White space below 200 % of potential: Go wants a share from 0 to 1.
  await page.getByTestId('input-model.segments.whiteSpaceShare').fill('200')
  await page.getByTestId('assumptions-apply').click()
  const ws = page.getByTestId('field-model.segments.whiteSpaceShare').getByTestId('field-error')
  await expect(ws).toHaveText('空白市场低于：200 % 无效，应为 0 到 100 % 之间。')
  await expect(page.getByTestId('settings-error-summary')).toContainText('客户分级')
  expect(await ws.innerText()).not.toMatch(ENGLISH)
  expect(await history(page)).toEqual([])
  await shot(page, 'zh-refusal-settings.png', testInfo)

  // The same refusal in English, in the field's units too; back in Chinese it is Chinese again.
  await page.getByTestId('lang-en').click()
  await expect(ws).toHaveText('White space below: 200 % is not allowed; it must be from 0 to 100 %.')
  await shot(page, 'en-refusal-settings.png', testInfo)
  await page.getByTestId('lang-zh-CN').click()
  await expect(ws).toContainText('应为 0 到 100 % 之间')

  // Cut-off A above cut-off B.
  await page.getByTestId('input-model.segments.whiteSpaceShare').fill('10')
  await expect(ws).toHaveCount(0)
  await page.getByTestId('input-model.segments.cutA').fill('90')
  await page.getByTestId('input-model.segments.cutB').fill('80')
  await page.getByTestId('assumptions-apply').click()
  const cut = page.getByTestId('field-model.segments.cutA').getByTestId('field-error')
  await expect(cut).toHaveText('分级截点：A 为 90 %、B 为 80 % 无效，应满足 0 < A < B ≤ 100 %。')
  expect(await cut.innerText()).not.toMatch(/0\.[89]/)
  expect(await cut.innerText()).not.toMatch(ENGLISH)
  expect(await history(page)).toEqual([])
  await shot(page, 'zh-refusal-cutoffs.png', testInfo)

  // A refusal in another section takes the planner there, in Chinese too.
  await page.getByTestId('assumptions-discard').click()
  await page.getByTestId('section-alerts').click()
  await page.getByTestId('input-model.alerts.utilisationLow').fill('120')
  await page.getByTestId('section-segments').click()
  await page.getByTestId('assumptions-apply').click()
  await expect(page.getByTestId('section-alerts')).toHaveClass(/is-active/)
  await expect(page.getByTestId('field-model.alerts.utilisationLow').getByTestId('field-error')).toHaveText(
    '预警阈值：“利用率过低”的 120 % 应低于“利用率过高”的 110 %。',
  )
  await expect(page.getByTestId('settings-error-summary')).toContainText('预警')
  await shot(page, 'zh-refusal-alerts.png', testInfo)
  expect(await history(page)).toEqual([])
  expect(pageErrors).toEqual([])
})

test('edits refused by a locked territory say so in Chinese', async ({ page, server, pageErrors }, testInfo) => {
  await openDemo(page, server)
  await page.getByTestId('lang-zh-CN').click()
  const alignment = await call(page, 'Alignment')
  const terrs = alignment.territories.map((t: any, i: number) => ({ ...t, i })).filter((t: any) => t.kind === 'territory')
  const spot0 = await clickableUnit(page, alignment.unitTerritory, -2)
  expect(spot0, 'a clear spot inside some territory').not.toBeNull()
  // Lock a territory other than the one under the spot, so the spot paints into it.
  const locked = terrs.find((t: any) => t.i !== alignment.unitTerritory[spot0!.unit])!
  const other = terrs.find((t: any) => t.id !== locked.id)!

  await page.getByTestId(`territory-row-${locked.id}`).scrollIntoViewIfNeeded()
  await page.getByTestId(`territory-row-${locked.id}`).hover()
  await page.getByTestId(`lock-${locked.id}`).click()
  await expect(page.getByTestId(`locked-${locked.id}`)).toBeVisible()
  await expect.poll(async () => (await history(page)).map((h) => h.kind)).toEqual(['lock'])
  const want = `区域 ${locked.id}（${locked.name}）已锁定，解锁后才能更改。`

  // Paint a unit of another territory into the locked one.
  const spot = await clickableUnit(page, alignment.unitTerritory, locked.i)
  expect(spot, 'a clear spot outside the locked territory').not.toBeNull()
  await page.keyboard.press('b')
  await expect(page.getByTestId('tool-paint')).toHaveAttribute('aria-pressed', 'true')
  await page.getByTestId('active-territory').selectOption(locked.id)
  await page.mouse.click(spot!.x, spot!.y)
  const notice = page.getByTestId('notice-error').filter({ hasText: locked.id })
  await expect(notice.first()).toContainText(want)
  expect(await notice.first().innerText()).not.toMatch(ENGLISH)
  expect((await history(page)).map((h) => h.kind)).toEqual(['lock'])
  await shot(page, 'zh-refusal-paint.png', testInfo)
  await page.keyboard.press('v')

  // Merge the locked territory into another.
  for (const n of await page.getByTestId('notice-error').all()) await n.locator('.notice__close').click()
  await page.getByTestId(`territory-row-${other.id}`).scrollIntoViewIfNeeded()
  await page.getByTestId(`territory-row-${other.id}`).click({ modifiers: ['Control'] })
  await page.getByTestId(`territory-row-${locked.id}`).scrollIntoViewIfNeeded()
  await page.getByTestId(`territory-row-${locked.id}`).click({ modifiers: ['Control'] })
  await page.getByTestId('merge-selected').click()
  await expect(page.getByTestId('pick-dialog')).toBeVisible()
  await page.getByTestId(`pick-option-${other.id}`).check()
  await page.getByTestId('pick-ok').click()
  await expect(page.getByTestId('notice-error').filter({ hasText: locked.id }).first()).toContainText(want)
  expect((await history(page)).map((h) => h.kind)).toEqual(['lock'])
  await shot(page, 'zh-refusal-merge.png', testInfo)

  // In English the notice is Go's own message.
  await page.getByTestId('lang-en').click()
  await expect(page.getByTestId('notice-error').filter({ hasText: locked.id }).first()).toContainText(`territory ${locked.id} (${locked.name}) is locked`)
  expect(pageErrors).toEqual([])
})
