import { describe, expect, it } from 'vitest'
import en from '../../i18n/export/en.json'
import { FORMAT_GROUPS, defaultChoices, optionsFor, percentOf, problemOf, provenanceMessage, requestOf, sizeLabel } from './export'

describe('export choices', () => {
  it('lists every format once, each with a name and a hint', () => {
    const all = FORMAT_GROUPS.flatMap((g) => g.formats)
    expect(new Set(all).size).toBe(all.length)
    expect(all.sort()).toEqual(['csv', 'geojson', 'kml', 'pdf', 'png', 'share', 'shp', 'svg', 'xlsx'])
    for (const f of all) {
      expect(en.formats[f as keyof typeof en.formats]).toBeTruthy()
      expect(en.hints[f as keyof typeof en.hints]).toBeTruthy()
    }
  })

  it.each([
    ['xlsx', { baseline: true, accounts: false, pixels: false, share: false }],
    ['geojson', { baseline: false, accounts: true, pixels: false, share: false }],
    ['png', { baseline: false, accounts: false, pixels: true, share: false }],
    ['pdf', { baseline: true, accounts: false, pixels: false, share: false }],
    ['share', { baseline: false, accounts: false, pixels: false, share: true }],
  ] as const)('%s uses the options it needs', (f, want) => {
    expect(optionsFor(f)).toMatchObject(want)
  })

  it('sends only the options of the chosen format', () => {
    const c = { ...defaultChoices('csv'), baseline: 's2', noAccounts: true, colorBy: 'potential', anonymise: true, width: 800 }
    const r = requestOf(c, '/tmp/out', 'zh-CN')
    expect(r).toMatchObject({ format: 'csv', path: '/tmp/out', baseline: '', noAccounts: false, colorBy: '', anonymise: false, width: 0, lang: 'zh-CN' })
    const p = requestOf({ ...c, format: 'png', title: '  Q3 plan ' }, '', 'en')
    expect(p).toMatchObject({ format: 'png', path: '', width: 800, height: 1000, dpi: 144, colorBy: 'potential', title: 'Q3 plan', noAccounts: false })
    const s = requestOf({ ...c, format: 'share', readOnly: true }, 'x.territoria', 'en')
    expect(s).toMatchObject({ anonymise: true, readOnly: true, allScenarios: false, colorBy: '' })
  })

  it.each([
    [{ width: 1600, height: 1000, dpi: 144 }, ''],
    [{ width: 50, height: 1000, dpi: 144 }, 'export.badSize'],
    [{ width: 1600.5, height: 1000, dpi: 144 }, 'export.badSize'],
    [{ width: 1600, height: 30000, dpi: 144 }, 'export.badSize'],
    [{ width: 1600, height: 1000, dpi: 0 }, 'export.badDpi'],
  ])('checks picture sizes: %o', (size, want) => {
    expect(problemOf({ ...defaultChoices('png'), ...size })).toBe(want)
    expect(problemOf({ ...defaultChoices('xlsx'), ...size })).toBe('')
  })

  it('turns progress into a percentage when the total is known', () => {
    expect(percentOf(null)).toBeNull()
    expect(percentOf({ format: 'xlsx', stage: 'write', done: 0, total: 1 })).toBeNull()
    expect(percentOf({ format: 'xlsx', stage: 'accounts', done: 250, total: 1000 })).toBe(25)
    expect(percentOf({ format: 'xlsx', stage: 'accounts', done: 2000, total: 1000 })).toBe(100)
  })

  it('writes sizes for people', () => {
    expect(sizeLabel(512)).toBe('512 B')
    expect(sizeLabel(5 * 1024)).toBe('5 kB')
    expect(sizeLabel(5.5 * 1024 * 1024)).toBe('5.5 MB')
  })

  it('says where a shared copy came from', () => {
    expect(provenanceMessage(null, () => '', () => '')).toBeNull()
    const m = provenanceMessage({ exportedBy: 'ann', exportedAt: '2026-03-14T09:30:00Z', fromScenario: 's2', readOnly: true }, (id) => (id === 's2' ? 'Q3 draft' : ''), () => '14 March')
    expect(m).toEqual({ key: 'export.provenanceReadOnly', values: { who: 'ann', when: '14 March', scenario: 'Q3 draft' } })
    expect(provenanceMessage({ exportedBy: '', exportedAt: '', fromScenario: 'gone', readOnly: false }, () => '', () => '')?.values).toEqual({ who: '?', when: '?', scenario: 'gone' })
  })
})
