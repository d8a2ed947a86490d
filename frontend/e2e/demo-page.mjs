// A demo server in the browser mode and a headless Chromium page on it, for
// the measurement scripts (edit-latency.mjs, model-latency.mjs).
import { chromium } from 'playwright-core'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Starts `territoria serve --demo` (TERRITORIA_BIN) with its own
 * TERRITORIA_HOME, opens it in headless Chromium, waits until service is
 * bound in the page, calls fn(page) and tears everything down.
 */
export async function withDemoPage(service, fn) {
  const bin = process.env.TERRITORIA_BIN
  if (!bin) {
    console.error('TERRITORIA_BIN is not set: point it at the territoria-headless binary')
    process.exit(2)
  }
  const home = mkdtempSync(join(tmpdir(), 'territoria-latency-'))
  const proc = spawn(bin, ['serve', '--demo'], { env: { ...process.env, TERRITORIA_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (d) => resolve(d.split('\n')[0].trim()))
    proc.on('exit', (c) => reject(new Error(`server exited with ${c}`)))
  })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage()
    await page.goto(url)
    await page.waitForFunction((s) => !!window.go?.app?.[s], service, { timeout: 30_000 })
    return await fn(page)
  } finally {
    await browser.close()
    proc.kill()
    rmSync(home, { recursive: true, force: true })
  }
}
