// A stand-in for the Go side, for looking at the UI in a browser without Go:
// fakePlanData() builds a plan from the us-atlas counties (territories =
// states, districts = census divisions, regions = census regions), and
// installFakeBridge(page) serves it through window.go / window.runtime and
// answers account tile requests with generated vector tiles.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import * as topojson from 'topojson-client'

const require = createRequire(import.meta.url)
const vtpbf = require('@maplibre/vt-pbf')
const { GeoJSONVT } = await import('@maplibre/geojson-vt')
const geojsonvt = (data, options) => new GeoJSONVT(data, options)

const REGIONS = {
  Northeast: { New_England: ['09', '23', '25', '33', '44', '50'], Mid_Atlantic: ['34', '36', '42'] },
  Midwest: { East_North_Central: ['17', '18', '26', '39', '55'], West_North_Central: ['19', '20', '27', '29', '31', '38', '46'] },
  South: {
    South_Atlantic: ['10', '11', '12', '13', '24', '37', '45', '51', '54'],
    East_South_Central: ['01', '21', '28', '47'],
    West_South_Central: ['05', '22', '40', '48'],
  },
  West: { Mountain: ['04', '08', '16', '30', '32', '35', '49', '56'], Pacific: ['06', '41', '53'] },
}
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#86bcb6', '#d37295']

function rng(seed) {
  let s = seed >>> 0
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296)
}

export function fakePlanData() {
  const counties = JSON.parse(readFileSync(require.resolve('us-atlas/counties-10m.json'), 'utf8'))
  const statesTopo = JSON.parse(readFileSync(require.resolve('us-atlas/states-10m.json'), 'utf8'))
  const stateName = new Map(topojson.feature(statesTopo, statesTopo.objects.states).features.map((f) => [f.id, f.properties.name]))
  const fc = topojson.feature(counties, counties.objects.counties)
  const feats = fc.features.filter((f) => f.geometry && !['02', '15', '72', '60', '66', '69', '78'].includes(String(f.id).slice(0, 2)))
  const units = { type: 'FeatureCollection', features: feats.map((f, i) => ({ type: 'Feature', id: i, properties: { uid: f.id, name: f.properties.name, level: 'county' }, geometry: f.geometry })) }
  const territories = []
  const stateIndex = new Map()
  for (const [region, divs] of Object.entries(REGIONS)) {
    const rid = 'R-' + region
    territories.push({ id: rid, name: region, kind: 'region', parent: '', repId: '', rep: '', color: '#999', label: null })
    for (const [div, states] of Object.entries(divs)) {
      const did = 'D-' + div
      territories.push({ id: did, name: div.replace(/_/g, ' '), kind: 'district', parent: rid, repId: '', rep: '', color: '#999', label: null })
      for (const st of states) {
        stateIndex.set(st, territories.length)
        territories.push({ id: 'T-' + st, name: stateName.get(st) ?? st, kind: 'territory', parent: did, repId: 'rep' + st, rep: `Rep ${st}`, color: PALETTE[territories.length % PALETTE.length], label: null })
      }
    }
  }
  const unitTerritory = feats.map((f) => stateIndex.get(String(f.id).slice(0, 2)) ?? -1)
  // label point: mean of county bbox centres
  const acc = new Map()
  const r = rng(7)
  const points = []
  feats.forEach((f, i) => {
    let b = [180, 90, -180, -90]
    const walk = (c) => (typeof c[0] === 'number' ? (b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])]) : c.forEach(walk))
    walk(f.geometry.coordinates)
    const ti = unitTerritory[i]
    const a = acc.get(ti) ?? { x: 0, y: 0, n: 0, units: 0, accounts: 0, potential: 0, revenue: 0 }
    a.x += (b[0] + b[2]) / 2
    a.y += (b[1] + b[3]) / 2
    a.n++
    a.units++
    const k = Math.floor(r() * 30)
    for (let j = 0; j < k; j++) {
      const p = Math.round(1000 + r() * 99000)
      a.accounts++
      a.potential += p
      a.revenue += p * 0.3
      points.push({ type: 'Feature', properties: { n: 1, t: ti, p, tier: 'ABC'[j % 3], id: `A${points.length}`, name: `Account ${points.length}` }, geometry: { type: 'Point', coordinates: [b[0] + r() * (b[2] - b[0]), b[1] + r() * (b[3] - b[1])] } })
    }
    acc.set(ti, a)
  })
  for (const [ti, a] of acc) if (ti >= 0) territories[ti].label = [a.x / a.n, a.y / a.n]
  const tt = territories.filter((t) => t.kind === 'territory')
  const mean = tt.reduce((s, t) => s + (acc.get(territories.indexOf(t))?.potential ?? 0), 0) / tt.length
  const total = [...acc.values()].reduce((s, a) => s + a.potential, 0)
  const rows = []
  const fig = (a) => ({ accounts: a.accounts, units: a.units, potential: a.potential, revenue: a.revenue, lifetimeValue: a.revenue * 4.2 })
  const sum = (list) => list.reduce((s, a) => ({ accounts: s.accounts + a.accounts, units: s.units + a.units, potential: s.potential + a.potential, revenue: s.revenue + a.revenue }), { accounts: 0, units: 0, potential: 0, revenue: 0 })
  const figOf = (t) => {
    if (t.kind === 'territory') return acc.get(territories.indexOf(t)) ?? { accounts: 0, units: 0, potential: 0, revenue: 0 }
    return sum(territories.filter((c) => c.parent === t.id).map(figOf))
  }
  rows.push({ id: '', name: 'Plan', kind: 'plan', parent: '', rep: '', color: '', depth: 0, ...fig(sum([...acc.values()])), potentialShare: 1, potentialDeviation: 0 })
  for (const t of territories) {
    const f = figOf(t)
    rows.push({ id: t.id, name: t.name, kind: t.kind, parent: t.parent, rep: t.rep, color: t.color, depth: t.kind === 'region' ? 1 : t.kind === 'district' ? 2 : 3, ...fig(f), potentialShare: f.potential / total, potentialDeviation: t.kind === 'territory' ? (f.potential - mean) / mean : 0 })
  }
  const bordersTopo = statesTopo
  const inner = topojson.mesh(bordersTopo, bordersTopo.objects.states, (a, b) => a !== b)
  const outer = topojson.mesh(bordersTopo, bordersTopo.objects.states, (a, b) => a === b)
  const borders = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'territory' }, geometry: inner }, { type: 'Feature', properties: { kind: 'edge' }, geometry: outer }] }
  const info = { open: true, path: '/home/me/plans/demo.territoria', name: 'Demo plan', currency: 'USD', schemaVersion: 1, readOnly: false, accounts: points.length, reps: tt.length, units: feats.length, scenarios: null, activeScenario: 's1', bounds: [-124.8, 24.5, -66.9, 49.4] }
  return { info, units, alignment: { scenarioId: 's1', version: 1, territories, unitTerritory, borders }, rows, points }
}

function tileIndexes(points) {
  const idx = []
  for (let z = 0; z <= 14; z++) {
    if (z >= 8) {
      idx[z] = idx[8] ?? geojsonvt({ type: 'FeatureCollection', features: points }, { maxZoom: 14, indexMaxZoom: 5, tolerance: 0, buffer: 16 })
      continue
    }
    const cell = 360 / (2 ** z * 8)
    const cells = new Map()
    for (const p of points) {
      const [x, y] = p.geometry.coordinates
      const k = `${Math.floor(x / cell)},${Math.floor(y / cell)}`
      const c = cells.get(k) ?? { n: 0, p: 0, x: 0, y: 0, t: p.properties.t }
      c.n++
      c.p += p.properties.p
      c.x += x
      c.y += y
      cells.set(k, c)
    }
    const feats = [...cells.values()].map((c) => ({ type: 'Feature', properties: { n: c.n, t: c.t, p: c.p, tier: '' }, geometry: { type: 'Point', coordinates: [c.x / c.n, c.y / c.n] } }))
    idx[z] = geojsonvt({ type: 'FeatureCollection', features: feats }, { maxZoom: z, indexMaxZoom: z, tolerance: 0, buffer: 16 })
  }
  return idx
}

/** Installs the fake bridge into a Playwright page; opts.open starts with the plan open. */
export async function installFakeBridge(page, data, opts = {}) {
  const idx = tileIndexes(data.points)
  let tileCount = 0
  await page.route('**/__fake/data.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...data, points: undefined }) }),
  )
  await page.route('**/tiles/accounts/**', (route) => {
    const m = /\/tiles\/accounts\/(\d+)\/(\d+)\/(\d+)\.pbf/.exec(route.request().url())
    if (!m) return route.fulfill({ status: 400 })
    const [z, x, y] = m.slice(1).map(Number)
    tileCount++
    try {
      const tile = idx[Math.min(z, 14)].getTile(z, x, y)
      if (!tile || !tile.features.length) return route.fulfill({ status: 204 })
      const buf = vtpbf.fromGeojsonVt({ accounts: tile }, { version: 2 })
      return route.fulfill({ contentType: 'application/x-protobuf', body: Buffer.from(buf) })
    } catch (e) {
      console.error('fake tile', z, x, y, e)
      return route.fulfill({ status: 500, body: String(e) })
    }
  })
  await page.addInitScript(
    ({ open }) => {
      const listeners = {}
      const emit = (n, d) => (listeners[n] ?? []).forEach((cb) => cb(d))
      let data = null
      const state = { open, lang: 'en', basemapUrl: '', recent: ['/home/me/plans/demo.territoria', '/home/me/plans/west-2025.territoria'], ready: [] }
      const scenarios = [{ id: 's1', name: 'Baseline 2025', territories: 49 }, { id: 's2', name: 'Expansion', territories: 49 }]
      const load = async () => (data ??= await (await fetch('/__fake/data.json')).json())
      const info = async () => {
        const d = await load()
        return state.open ? { ...d.info, scenarios, activeScenario: state.active ?? 's1' } : { open: false, path: '', name: '', currency: '', schemaVersion: 0, readOnly: false, accounts: 0, reps: 0, units: 0, scenarios: null, activeScenario: '', bounds: [0, 0, 0, 0] }
      }
      const settings = () => ({ language: state.lang, basemapUrl: state.basemapUrl, recentPlans: state.recent })
      window.__fake = { state, emit, calls: [] }
      const S = {
        Info: info,
        OpenDemo: async () => ((state.open = true), emit('plan:changed', await info()), info()),
        OpenPlan: async (p) => {
          if (!p.endsWith('.territoria')) throw new Error(`cannot open ${p}: not a plan file`)
          state.open = true
          return info()
        },
        NewPlan: async () => ((state.open = true), info()),
        SaveAs: async () => info(),
        ChooseOpenPath: async () => Promise.reject('no-dialog'),
        ChooseSavePath: async () => Promise.reject('no-dialog'),
        RecentPlans: async () => state.recent,
        Scenarios: async () => scenarios,
        CreateScenario: async (name) => {
          const s = { id: 's' + (scenarios.length + 1), name, territories: 0 }
          scenarios.push(s)
          emit('scenarios:changed', scenarios)
          return s
        },
        CloneScenario: async (id, name) => S.CreateScenario(name),
        RenameScenario: async (id, name) => {
          const s = scenarios.find((x) => x.id === id)
          s.name = name
          emit('scenarios:changed', scenarios)
          return s
        },
        DeleteScenario: async (id) => {
          if (scenarios.length <= 1) throw new Error('the last scenario cannot be deleted')
          scenarios.splice(scenarios.findIndex((x) => x.id === id), 1)
          if (state.active === id) state.active = scenarios[0].id
          emit('scenarios:changed', scenarios)
        },
        SwitchScenario: async (id) => ((state.active = id), info()),
        Units: async () => (await load()).units,
        Alignment: async () => (await load()).alignment,
        Territories: async () => (await load()).rows,
        Settings: async () => settings(),
        SetLanguage: async (l) => ((state.lang = l), settings()),
        SetBasemapURL: async (u) => ((state.basemapUrl = u), settings()),
        Ready: async (d) => void state.ready.push(d),
      }
      for (const k of Object.keys(S)) {
        const f = S[k]
        S[k] = (...a) => (window.__fake.calls.push([k, ...a]), f(...a))
      }
      window.go = { app: { PlanService: S } }
      window.runtime = {
        EventsOn: (n, cb) => {
          ;(listeners[n] ??= []).push(cb)
          return () => (listeners[n] = listeners[n].filter((x) => x !== cb))
        },
      }
    },
    { open: !!opts.open },
  )
  return { tiles: () => tileCount }
}
