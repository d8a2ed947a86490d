// Opens the dev server in headless Chromium with the fake bridge and writes
// screenshots: node e2e/preview.mjs [url] [outDir]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fakePlanData, installFakeBridge } from './fake-bridge.mjs'

const url = process.argv[2] ?? 'http://localhost:5173/'
const out = process.argv[3] ?? join(tmpdir(), 'territoria-shots')
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
})
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
const errors = []
page.on('pageerror', (e) => errors.push(String(e)))
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
const fake = await installFakeBridge(page, fakePlanData())
await page.goto(url)
await page.waitForSelector('[data-testid=welcome]')
await page.waitForFunction(() => window.__fake.state.ready.length > 0, null, { timeout: 60000 })
await page.screenshot({ path: join(out, '1-welcome.png') })
await page.click('[data-testid=welcome-demo]')
await page.waitForSelector('[data-testid^=territory-row-T-]')
await page.waitForTimeout(4000)
await page.screenshot({ path: join(out, '2-plan.png') })
await page.click('[data-testid=territory-row-T-48]')
await page.waitForSelector('[data-testid=detail-card]')
await page.waitForTimeout(3000)
await page.screenshot({ path: join(out, '3-selected.png') })
const box = await page.locator('[data-testid=map]').boundingBox()
await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
await page.waitForTimeout(800)
await page.screenshot({ path: join(out, '4-hover.png') })
await page.click('[data-testid=lang-zh-CN]')
await page.click('[data-testid=menu-file]')
await page.waitForTimeout(300)
await page.screenshot({ path: join(out, '5-zh-menu.png') })
await page.keyboard.press('Escape')
await page.click('[data-testid=menu-file]')
await page.click('[data-testid=menu-file-open]')
await page.waitForSelector('[data-testid=prompt-dialog]')
await page.screenshot({ path: join(out, '6-path-dialog.png') })
console.log(JSON.stringify({ tiles: fake.tiles(), errors, ready: await page.evaluate(() => window.__fake.state.ready) }, null, 1))
await browser.close()
