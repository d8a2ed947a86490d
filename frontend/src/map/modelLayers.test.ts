// The model's map expressions, evaluated by MapLibre's own expression
// engine against features as the account tiles carry them (docs/bridge.md,
// "Feature properties"): single accounts and groups with a class (c) and
// flags (f), and tiles of a plan without segments.
import { describe, expect, it } from 'vitest'
import { createExpression, featureFilter } from '@maplibre/maplibre-gl-style-spec'
import {
  CLASS_COLOURS,
  GROUP_COLOUR,
  GROUP_OUTLINE_DARKEN,
  SINGLE_OUTLINE,
  WHITE_SPACE_LAYER,
  accountFilter,
  darken,
  heatLayer,
  segmentLines,
  tierColourExpression,
  tierStrokeExpression,
  tileSegment,
  whiteSpaceLayer,
} from './modelLayers'

type Props = Record<string, unknown>

const single = (c: string, f: number, extra: Props = {}): Props => ({ n: 1, t: 0, p: 100, tier: 'X', c, f, id: `a-${c}-${f}`, name: 'Acme', ...extra })
const group = (c: string, f: number, n = 12): Props => ({ n, t: 0, p: 5000, tier: '', c, f })
/** A feature of tiles that carry no segments. */
const oldSingle = (tier: string): Props => ({ n: 1, t: 0, p: 100, tier, id: 'old', name: 'Old' })
const oldGroup = (): Props => ({ n: 9, t: 0, p: 900, tier: '' })

const feature = (properties: Props) => ({ type: 1, properties, geometry: [] })

/** Evaluates a colour expression for a feature as "#rrggbb". */
function colourOf(expr: unknown, props: Props): string {
  if (typeof expr === 'string') return expr
  const r = createExpression(expr, { type: 'color', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never)
  if (r.result !== 'success') throw new Error(`bad expression: ${JSON.stringify(r.value)}`)
  const c = r.value.evaluate({ zoom: 8 }, feature(props) as never) as { r: number; g: number; b: number }
  const hex = (x: number) => Math.round(x * 255).toString(16).padStart(2, '0')
  return `#${hex(c.r)}${hex(c.g)}${hex(c.b)}`
}

/** True when a layer filter keeps the feature. */
function keeps(filter: unknown, props: Props): boolean {
  return featureFilter(filter as never).filter({ zoom: 8 } as never, feature(props) as never)
}

const CLASSES = ['A', 'B', 'C']

describe('colour by class', () => {
  const colour = tierColourExpression(CLASSES)
  it('colours a single account by its class in force, not by its imported tier', () => {
    expect(colourOf(colour, single('A', 0))).toBe(CLASS_COLOURS.A)
    expect(colourOf(colour, single('B', 0, { tier: 'A' }))).toBe(CLASS_COLOURS.B)
    expect(colourOf(colour, single('C', 4))).toBe(CLASS_COLOURS.C)
  })
  it('colours a group by the class holding most of its potential', () => {
    expect(colourOf(colour, group('A', 7))).toBe(CLASS_COLOURS.A)
    expect(colourOf(colour, group('B', 0))).toBe(CLASS_COLOURS.B)
    expect(colourOf(colour, group('C', 2))).toBe(CLASS_COLOURS.C)
  })
  it('falls back to the imported tier, and to grey, when the tiles hold no class', () => {
    expect(colourOf(colour, oldSingle('B'))).toBe(CLASS_COLOURS.B)
    expect(colourOf(colour, oldSingle('Z'))).toBe(GROUP_COLOUR)
    expect(colourOf(colour, oldGroup())).toBe(GROUP_COLOUR)
  })
  it('gives imported tiers (basis "tier") colours of their own', () => {
    const e = tierColourExpression(['Gold', 'Silver', ''])
    const gold = colourOf(e, single('Gold', 0))
    const silver = colourOf(e, single('Silver', 0))
    expect(gold).not.toBe(silver)
    expect([gold, silver]).not.toContain(GROUP_COLOUR)
    expect(colourOf(e, group('Silver', 0))).toBe(silver)
  })
  it('is grey for everything when no class is known', () => {
    expect(colourOf(tierColourExpression([]), single('A', 0))).toBe(GROUP_COLOUR)
  })
})

describe('outline by class', () => {
  const stroke = tierStrokeExpression(CLASSES)
  it('outlines a group in a darker shade of its class colour', () => {
    expect(colourOf(stroke, group('A', 0))).toBe(darken(CLASS_COLOURS.A, GROUP_OUTLINE_DARKEN))
    expect(colourOf(stroke, group('B', 0))).toBe(darken(CLASS_COLOURS.B, GROUP_OUTLINE_DARKEN))
    expect(colourOf(stroke, group('A', 0))).not.toBe(colourOf(stroke, group('B', 0)))
  })
  it('outlines single accounts dark whatever their class', () => {
    expect(colourOf(stroke, single('A', 0))).toBe(SINGLE_OUTLINE)
    expect(colourOf(stroke, single('C', 0))).toBe(SINGLE_OUTLINE)
  })
  it('darkens by mixing with black', () => {
    expect(darken('#ffffff', 0.5)).toBe('#808080')
    expect(darken('#b91c1c', 0)).toBe('#b91c1c')
    expect(darken('#b91c1c', 1)).toBe('#000000')
    expect(darken('red', 0.5)).toBe('red')
  })
})

describe('account filter', () => {
  it('filters nothing without hidden classes or a flag', () => {
    expect(accountFilter([], '')).toBeNull()
  })
  it('hides single accounts of hidden classes and keeps every group (groups mix classes)', () => {
    const f = accountFilter(['A', 'C'], '')
    expect(keeps(f, single('A', 0))).toBe(false)
    expect(keeps(f, single('C', 1))).toBe(false)
    expect(keeps(f, single('B', 0))).toBe(true)
    expect(keeps(f, group('A', 0))).toBe(true)
    expect(keeps(f, group('C', 0))).toBe(true)
    // Tiles without classes: the imported tier decides.
    expect(keeps(f, oldSingle('A'))).toBe(false)
    expect(keeps(f, oldSingle('B'))).toBe(true)
  })
  it('keeps single accounts with the flag, and groups of which any account has it', () => {
    for (const [flag, bit] of [
      ['golden', 1],
      ['sleeping', 2],
      ['whiteSpace', 4],
    ] as const) {
      const f = accountFilter([], flag)
      for (let bits = 0; bits < 8; bits++) {
        const want = (bits & bit) !== 0
        expect(keeps(f, single('B', bits)), `${flag}: single with f=${bits}`).toBe(want)
        expect(keeps(f, group('B', bits)), `${flag}: group with f=${bits}`).toBe(want)
      }
      expect(keeps(f, oldSingle('A')), `${flag}: no flags in the tiles`).toBe(false)
    }
  })
  it('applies hidden classes and the flag together', () => {
    const f = accountFilter(['A'], 'golden')
    expect(keeps(f, single('A', 1))).toBe(false)
    expect(keeps(f, single('B', 1))).toBe(true)
    expect(keeps(f, single('B', 4))).toBe(false)
    expect(keeps(f, group('A', 3))).toBe(true)
    expect(keeps(f, group('A', 6))).toBe(false)
  })
  it('ignores an unknown flag', () => {
    expect(accountFilter([], 'platinum' as never)).toBeNull()
  })
})

describe('white-space rings', () => {
  const ringFilter = (f: ReturnType<typeof accountFilter>) => (whiteSpaceLayer(f) as { filter: unknown }).filter
  it('ring single accounts with the white-space bit only', () => {
    const layer = whiteSpaceLayer()
    expect(layer.id).toBe(WHITE_SPACE_LAYER)
    const f = ringFilter(null)
    expect(keeps(f, single('A', 4))).toBe(true)
    expect(keeps(f, single('B', 5))).toBe(true)
    expect(keeps(f, single('A', 3))).toBe(false)
    expect(keeps(f, group('A', 4))).toBe(false)
    expect(keeps(f, oldSingle('A'))).toBe(false)
  })
  it('ring only accounts the account filter keeps', () => {
    const f = ringFilter(accountFilter(['A'], 'golden'))
    expect(keeps(f, single('A', 5))).toBe(false)
    expect(keeps(f, single('B', 5))).toBe(true)
    expect(keeps(f, single('B', 4))).toBe(false)
  })
})

describe('heat map', () => {
  it('weighs potential in units of the mean account potential and follows the account filter', () => {
    const l = heatLayer(2000, null) as { paint: Record<string, unknown>; filter?: unknown }
    expect(l.filter).toBeUndefined()
    const w = createExpression(l.paint['heatmap-weight'], { type: 'number', 'property-type': 'data-driven', expression: { interpolated: false, parameters: ['zoom', 'feature'] } } as never)
    expect(w.result).toBe('success')
    expect((w.value as { evaluate: (g: unknown, f: unknown) => number }).evaluate({ zoom: 5 }, feature(group('A', 0)))).toBe(2.5)
    const hidden = heatLayer(0, accountFilter(['A'], '')) as { filter?: unknown }
    expect(keeps(hidden.filter, single('A', 0))).toBe(false)
    expect(keeps(hidden.filter, group('A', 0))).toBe(true)
  })
})

describe('tile segments', () => {
  it('reads class and flags of a single account and of a group', () => {
    expect(tileSegment(single('A', 5))).toEqual({ group: false, cls: 'A', flags: ['golden', 'whiteSpace'] })
    expect(tileSegment(group('B', 2))).toEqual({ group: true, cls: 'B', flags: ['sleeping'] })
    expect(tileSegment(oldSingle('A'))).toBeNull()
  })
  it('gives tooltip lines that say what a group holds', () => {
    const t = (k: string) => k
    expect(segmentLines(single('A', 1), t)).toEqual([
      { label: 'model.tooltip.class', value: 'A' },
      { label: 'model.tooltip.flags', value: 'model.flag.golden' },
    ])
    expect(segmentLines(group('C', 6), t)).toEqual([
      { label: 'model.tooltip.groupClass', value: 'C' },
      { label: 'model.tooltip.groupFlags', value: 'model.flag.sleeping, model.flag.whiteSpace' },
    ])
    expect(segmentLines(single('B', 0), t)).toEqual([{ label: 'model.tooltip.class', value: 'B' }])
    expect(segmentLines(oldGroup(), t)).toEqual([])
  })
})
