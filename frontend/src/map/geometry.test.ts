import { describe, expect, it } from 'vitest'
import { expandBounds, fitPadding, unionBBox, validBounds, type BBox } from './geometry'

describe('fitPadding', () => {
  it('pads every side equally when nothing floats over the map', () => {
    const p = fitPadding(800, 600, {})
    expect(p.top).toBe(p.left)
    expect(p.right).toBe(p.left)
    expect(p.bottom).toBe(p.left)
    expect(p.left).toBeGreaterThanOrEqual(12)
    expect(p.left).toBeLessThanOrEqual(48)
  })

  it('adds each inset to its own side only', () => {
    const base = fitPadding(1000, 800, {})
    const p = fitPadding(1000, 800, { left: 200, bottom: 30 })
    expect(p.left - base.left).toBe(200)
    expect(p.bottom - base.bottom).toBe(30)
    expect(p.top).toBe(base.top)
    expect(p.right).toBe(base.right)
  })

  it('leaves at least half of a small container for the bounds', () => {
    const p = fitPadding(400, 300, { left: 300, right: 40, top: 250 })
    expect(p.left + p.right).toBeLessThanOrEqual(200)
    expect(p.top + p.bottom).toBeLessThanOrEqual(150)
    // Scaling keeps the larger overlay on the larger side.
    expect(p.left).toBeGreaterThan(p.right)
    expect(p.top).toBeGreaterThan(p.bottom)
  })

  it('ignores negative and non-finite insets', () => {
    const base = fitPadding(900, 700, {})
    expect(fitPadding(900, 700, { left: -50, top: Number.NaN, right: Infinity })).toEqual(base)
  })
})

describe('unionBBox', () => {
  const boxes: (BBox | null)[] = [[0, 0, 1, 1], null, [-5, 2, -4, 3]]
  it('covers every listed box and skips missing ones', () => {
    expect(unionBBox(boxes, [0, 1, 2])).toEqual([-5, 0, 1, 3])
  })
  it('is null when no listed index has a box', () => {
    expect(unionBBox(boxes, [1, 7])).toBeNull()
  })
})

describe('validBounds', () => {
  for (const [name, b, ok] of [
    ['a normal box', [-125, 24, -66, 50], true],
    ['an empty box', [10, 10, 10, 20], false],
    ['a box past the antimeridian', [170, 10, 190, 20], false],
    ['a box with NaN', [0, Number.NaN, 1, 1], false],
    ['too few numbers', [0, 0, 1], false],
  ] as const) {
    it(`${ok ? 'accepts' : 'rejects'} ${name}`, () => expect(validBounds(b)).toBe(ok))
  }
})

describe('expandBounds', () => {
  it('widens each side by a share of the width and height', () => {
    expect(expandBounds([-120, 30, -70, 50], 0.1)).toEqual([-125, 28, -65, 52])
  })
  it('stays within the world a map can show', () => {
    const b = expandBounds([-179, -80, 179, 84], 0.5)
    expect(b).toEqual([-180, -85, 180, 85])
    expect(validBounds(b)).toBe(true)
  })
})
