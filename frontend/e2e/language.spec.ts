import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { test, expect, openDemo, call, waitForMapIdle } from './helpers'

type Messages = Record<string, Record<string, string>>
const load = (name: string): Messages => JSON.parse(readFileSync(new URL(`../src/i18n/${name}.json`, import.meta.url), 'utf8'))
const en = load('en')
const zh = load('zh-CN')

/** The UI strings that must be visible in the chosen language. */
async function expectChrome(page: Page, m: Messages) {
  await expect(page.locator('.panel__title')).toHaveText(m.panel.title)
  await expect(page.getByTestId('menu-file')).toHaveText(m.menu.file)
  await expect(page.getByTestId('menu-scenario')).toHaveText(m.menu.scenario)
  await expect(page.getByTestId('menu-view')).toHaveText(m.menu.view)
  await expect(page.getByTestId('expand-all')).toHaveText(m.panel.expandAll)
  await expect(page.getByTestId('territory-filter')).toHaveAttribute('placeholder', m.panel.search)
  await expect(page.getByTestId('territory-row-total').locator('.c-name')).toHaveText(m.panel.planTotal)
}

/**
 * Leaf texts in the chrome (top bar, panel head, legend, status bar, menus)
 * that are an English message with a different Chinese translation.
 */
async function untranslated(page: Page): Promise<string[]> {
  const english = new Set<string>()
  for (const [sec, msgs] of Object.entries(en)) {
    for (const [k, v] of Object.entries(msgs)) if (zh[sec]?.[k] !== v && !v.includes('{')) english.add(v)
  }
  const texts = await page.evaluate(() => {
    const roots = document.querySelectorAll('.topbar, .panel__head, .ttable__row--head, .ttable__row--total, [data-testid=legend], [data-testid=statusbar]')
    const out: string[] = []
    for (const r of roots) {
      for (const el of r.querySelectorAll('*')) {
        if (el.children.length === 0 && el.textContent) out.push(el.textContent.trim())
      }
    }
    return out
  })
  return texts.filter((t) => english.has(t))
}

test('switching to 中文 translates the UI, persists across reloads, and switching back restores English', async ({ page, server }, testInfo) => {
  await openDemo(page, server)
  expect((await call(page, 'Settings')).language).not.toBe('zh-CN')
  await expectChrome(page, en)
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  // The same scan on the English page finds English strings, so it can see them.
  expect((await untranslated(page)).length).toBeGreaterThan(5)

  await page.getByTestId('lang-switch').getByTestId('lang-zh-CN').click()
  await expectChrome(page, zh)
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByTestId('lang-zh-CN')).toHaveClass(/is-active/)
  await expect.poll(async () => (await call(page, 'Settings')).language).toBe('zh-CN')
  // The menus are translated too.
  await page.getByTestId('menu-scenario').click()
  await expect(page.getByTestId('menu-scenario-clone')).toContainText(zh.menu.cloneScenario)
  await page.screenshot({ path: testInfo.outputPath('zh-menu.png') })
  await page.keyboard.press('Escape')
  expect(await untranslated(page), 'English strings left on a Chinese page').toEqual([])

  // The choice survives a reload: the page reads Settings().language.
  await page.reload()
  await server.waitForStderr('page ready: map', 2)
  await waitForMapIdle(page)
  await expectChrome(page, zh)
  await page.screenshot({ path: testInfo.outputPath('zh-reloaded.png') })

  await page.getByTestId('lang-en').click()
  await expectChrome(page, en)
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect.poll(async () => (await call(page, 'Settings')).language).toBe('en')

  await page.reload()
  await server.waitForStderr('page ready: map', 3)
  await expectChrome(page, en)
})
