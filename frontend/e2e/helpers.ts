// Shared fixtures for the end-to-end tests: a `territoria serve --demo`
// process per test with its own TERRITORIA_HOME, calls into the page's bridge,
// and a small PNG decoder for checking what the map drew.
import { test as base, expect, type Page } from '@playwright/test'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inflateSync } from 'node:zlib'

/** A running `territoria serve --demo`. */
export interface Server {
  /** The page URL with its ?token=, as printed on the first line of stdout. */
  url: string
  /** The TERRITORIA_HOME the server was started with. */
  home: string
  /** Everything the server has written to stderr so far. */
  stderr(): string
  /** Resolves once stderr holds at least n lines containing text. */
  waitForStderr(text: string, n?: number, timeoutMs?: number): Promise<void>
  /** Stops the server and removes its home directory. */
  stop(): Promise<void>
}

function binary(): string {
  const bin = process.env.TERRITORIA_BIN
  if (!bin) throw new Error('TERRITORIA_BIN is not set: point it at the territoria-headless binary (make e2e does this)')
  if (!existsSync(bin) || !statSync(bin).isFile()) throw new Error(`TERRITORIA_BIN=${bin}: no such file; build it with "make headless"`)
  return bin
}

function countLines(s: string, text: string): number {
  return s.split('\n').filter((l) => l.includes(text)).length
}

/** Starts `territoria serve --demo` with a fresh TERRITORIA_HOME and waits for its URL. */
export async function startServer(): Promise<Server> {
  const bin = binary()
  const home = mkdtempSync(join(tmpdir(), 'territoria-e2e-'))
  const proc: ChildProcess = spawn(bin, ['serve', '--demo'], {
    env: { ...process.env, TERRITORIA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let exited: number | null | undefined
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL from ${bin} serve --demo within 30 s; stderr:\n${err}`)), 30_000)
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const nl = out.indexOf('\n')
      if (nl >= 0) {
        clearTimeout(timer)
        resolve(out.slice(0, nl).trim())
      }
    })
    proc.on('exit', (code) => {
      exited = code
      clearTimeout(timer)
      reject(new Error(`${bin} serve --demo exited with ${code} before printing its URL; stderr:\n${err}`))
    })
  })
  expect(url, 'first stdout line is the page URL with its token').toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+$/)

  return {
    url,
    home,
    stderr: () => err,
    async waitForStderr(text, n = 1, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs
      while (countLines(err, text) < n) {
        if (exited !== undefined) throw new Error(`server exited (${exited}) while waiting for "${text}"; stderr:\n${err}`)
        if (Date.now() > end) throw new Error(`server did not print "${text}" ${n}× within ${timeoutMs} ms; stderr:\n${err}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop() {
      if (exited === undefined && proc.exitCode === null) {
        const done = new Promise((r) => proc.once('exit', r))
        proc.kill('SIGTERM')
        const t = setTimeout(() => proc.kill('SIGKILL'), 5_000)
        await done
        clearTimeout(t)
      }
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** The test API with a `server` fixture: one demo server per test. */
export const test = base.extend<{ server: Server; pageErrors: string[] }>({
  server: async ({}, use, testInfo) => {
    const s = await startServer()
    try {
      await use(s)
    } finally {
      await testInfo.attach('server-stderr.txt', { body: s.stderr(), contentType: 'text/plain' })
      await s.stop()
    }
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await use(errors)
  },
})
export { expect }

/** Waits until MapLibre has loaded its style and every visible tile and stopped moving. */
export async function waitForMapIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const m = (window as any).__territoria?.map
      return !!m && m.loaded() && m.areTilesLoaded() && !m.isMoving() && !!m.getSource('units')
    },
    null,
    { timeout, polling: 200 },
  )
}

/**
 * Moves the map to center at zoom as a hand on the mouse would: the move
 * carries a DOM event, so the map stops refitting the whole plan when its
 * container changes size (a drawer closing, the panel shown), as it does
 * after a pan or zoom by the user. Does not wait for the map.
 */
export async function moveMap(page: Page, center: readonly [number, number], zoom: number): Promise<void> {
  await page.evaluate(([c, z]) => (window as any).__territoria.map.jumpTo({ center: c, zoom: z }, { originalEvent: new WheelEvent('wheel') }), [center, zoom] as const)
}

/** Opens the served demo and waits until the server hears `page ready: map` (the nth time) and the map is idle. */
export async function openDemo(page: Page, server: Server, readyCount = 1): Promise<void> {
  await page.goto(server.url)
  await server.waitForStderr('page ready: map', readyCount)
  await waitForMapIdle(page)
}

/** Calls window.go.app.PlanService.<method>(...args) in the page and returns its result. */
export async function call<T = any>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([m, a]) => (window as any).go.app.PlanService[m as string](...(a as unknown[])),
    [method, args] as const,
  )
}

/** Number formats as the UI writes them (see src/format.ts), computed with the page's Intl. */
export async function formatInPage(
  page: Page,
  value: number,
  locale: string,
  opts: Intl.NumberFormatOptions,
): Promise<string> {
  return page.evaluate(([v, l, o]) => new Intl.NumberFormat(l as string, o as Intl.NumberFormatOptions).format(v as number), [
    value,
    locale,
    opts,
  ] as const)
}

/** A decoded 8-bit RGB or RGBA PNG. */
export interface Image {
  width: number
  height: number
  /** RGBA bytes, 4 per pixel, row by row. */
  rgba: Uint8Array
}

/** Decodes a non-interlaced 8-bit RGB/RGBA PNG such as Chromium's screenshots. */
export function decodePNG(buf: Buffer): Image {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (!sig.every((b, i) => buf[i] === b)) throw new Error('decodePNG: not a PNG (bad signature)')
  let off = 8
  let width = 0
  let height = 0
  let colorType = 0
  const idat: Buffer[] = []
  while (off < buf.length) {
    const len = buf.readUInt32BE(off)
    const type = buf.toString('latin1', off + 4, off + 8)
    const data = buf.subarray(off + 8, off + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      const depth = data[8]
      colorType = data[9]
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) {
        throw new Error(`decodePNG: unsupported PNG (bit depth ${depth}, colour type ${colorType}, interlace ${data[12]})`)
      }
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    off += 12 + len
  }
  const bpp = colorType === 6 ? 4 : 3
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * bpp
  const px = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const row = px.subarray(y * stride, (y + 1) * stride)
    const prev = y > 0 ? px.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride)
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp] : 0
      const b = prev[i]
      const c = i >= bpp ? prev[i - bpp] : 0
      let v = src[i]
      switch (filter) {
        case 0:
          break
        case 1:
          v += a
          break
        case 2:
          v += b
          break
        case 3:
          v += (a + b) >> 1
          break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a)
          const pb = Math.abs(p - b)
          const pc = Math.abs(p - c)
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
          break
        }
        default:
          throw new Error(`decodePNG: bad filter type ${filter} in row ${y}`)
      }
      row[i] = v & 0xff
    }
  }
  if (bpp === 4) return { width, height, rgba: px }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0, j = 0; i < px.length; i += 3, j += 4) {
    rgba[j] = px[i]
    rgba[j + 1] = px[i + 1]
    rgba[j + 2] = px[i + 2]
    rgba[j + 3] = 255
  }
  return { width, height, rgba }
}

/** Counts distinct colours, ignoring the lowest bits so antialiasing noise does not count. */
export function distinctColours(img: Image, shift = 3): number {
  const seen = new Set<number>()
  for (let i = 0; i < img.rgba.length; i += 4) {
    seen.add(((img.rgba[i] >> shift) << 16) | ((img.rgba[i + 1] >> shift) << 8) | (img.rgba[i + 2] >> shift))
  }
  return seen.size
}

/** Parses "#rrggbb" into [r, g, b]. */
export function hexRGB(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)]
}

/**
 * `territoria CMD COPY ARGS… --json` on a copy of the plan file (the server
 * holds the file's lock; every edit is committed before it answers), with
 * its own TERRITORIA_HOME so that the copy does not join the recent plans.
 */
export function cli<T = any>(planPath: string, args: string[]): T {
  const dir = mkdtempSync(join(tmpdir(), 'territoria-cli-'))
  try {
    const copy = join(dir, 'copy.territoria')
    copyFileSync(planPath, copy)
    const env = { ...process.env, TERRITORIA_HOME: dir }
    const [cmd, ...rest] = args
    return JSON.parse(execFileSync(process.env.TERRITORIA_BIN!, [cmd, copy, ...rest, '--json'], { encoding: 'utf8', env }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The state of a Pinia store of the page (Maps as objects, Sets as arrays). */
export async function store<T = any>(page: Page, id: string): Promise<T> {
  return page.evaluate((id) => {
    const app = (document.querySelector('#app') as any).__vue_app__
    const st = app.config.globalProperties.$pinia.state.value[id]
    return JSON.parse(JSON.stringify(st, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v)))
  }, id)
}

/** The active scenario's edit history, oldest first. */
export async function history(page: Page): Promise<{ kind: string; undone: boolean }[]> {
  return page.evaluate(() => (window as any).go.app.EditService.History())
}

/** artifacts/<name> at the top of the repository: screenshots for people to look at. */
export function artifactsDir(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../artifacts', name)
}

/**
 * A screenshot of the page (or of target) once the map is idle, kept with
 * the test's output and copied to dir; returns the PNG.
 */
export async function shotTo(
  dir: string,
  page: Page,
  name: string,
  testInfo: { outputPath: (n: string) => string },
  target?: ReturnType<Page['getByTestId']>,
): Promise<Buffer> {
  await waitForMapIdle(page)
  mkdirSync(dir, { recursive: true })
  const path = testInfo.outputPath(name)
  const buf = target ? await target.screenshot({ path }) : await page.screenshot({ path })
  copyFileSync(path, join(dir, name))
  return buf
}

/** A spot well inside a unit of some territory other than avoid, clear of overlays (page coordinates). */
export async function clickableUnit(page: Page, unitTerritory: number[], avoid: number) {
  return page.evaluate(
    ({ ut, avoid }) => {
      const m = (window as any).__territoria.map
      const canvas: HTMLCanvasElement = m.getCanvas()
      const r = canvas.getBoundingClientRect()
      const unitAt = (x: number, y: number) => {
        const f = m.queryRenderedFeatures([x, y], { layers: ['units-fill'] })[0]
        return f ? Number(f.id) : null
      }
      for (let y = 160; y < r.height - 60; y += 12) {
        for (let x = 60; x < r.width - 60; x += 12) {
          const u = unitAt(x, y)
          if (u === null || ut[u] < 0 || ut[u] === avoid) continue
          const ring = [[-7, 0], [7, 0], [0, -7], [0, 7], [-7, -7], [7, 7], [-7, 7], [7, -7]]
          if (!ring.every(([dx, dy]) => unitAt(x + dx, y + dy) === u)) continue
          if (!ring.concat([[0, 0]]).every(([dx, dy]) => document.elementFromPoint(r.left + x + dx, r.top + y + dy) === canvas)) continue
          return { x: r.left + x, y: r.top + y, unit: u }
        }
      }
      return null
    },
    { ut: unitTerritory, avoid },
  )
}
