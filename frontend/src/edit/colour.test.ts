import { describe, expect, it } from 'vitest'
import type { TerritoryRow } from '../api/types'
import { DEVIATION_COLOURS, NO_VALUE, RAMP, deviationBandColour, metricColours, metricRange, rampColour } from './colour'

function row(id: string, kind: string, potential: number, over: Partial<TerritoryRow> = {}): TerritoryRow {
  return { id, name: id, kind, parent: '', rep: '', color: '', depth: 0, accounts: 0, units: 0, potential, revenue: 0, lifetimeValue: 0, potentialShare: 0, potentialDeviation: 0, ...over }
}

describe('rampColour', () => {
  it('hits the stops at the ends and interpolates between', () => {
    expect(rampColour(0)).toBe(RAMP[0])
    expect(rampColour(1)).toBe(RAMP[RAMP.length - 1])
    expect(rampColour(0.5)).toBe(RAMP[2])
    expect(rampColour(-3)).toBe(RAMP[0])
    expect(rampColour(NaN)).toBe(NO_VALUE)
  })
})

describe('deviationBandColour', () => {
  const cases: [number | undefined, string][] = [
    [0, DEVIATION_COLOURS[3]],
    [0.04, DEVIATION_COLOURS[3]],
    [-0.07, DEVIATION_COLOURS[2]],
    [0.07, DEVIATION_COLOURS[4]],
    [-0.15, DEVIATION_COLOURS[1]],
    [0.15, DEVIATION_COLOURS[5]],
    [-0.5, DEVIATION_COLOURS[0]],
    [0.5, DEVIATION_COLOURS[6]],
    [undefined, NO_VALUE],
  ]
  for (const [d, want] of cases) it(`${d}`, () => expect(deviationBandColour(d)).toBe(want))
})

describe('metricColours', () => {
  const rows = new Map([
    ['a', row('a', 'territory', 10, { deviation: { potential: -0.3 } })],
    ['b', row('b', 'territory', 30, { deviation: { potential: 0.3 } })],
    ['c', row('c', 'territory', 20)],
    ['d', row('d', 'district', 60)],
  ])
  it('ramps values from the lowest to the highest territory; other nodes get null', () => {
    expect(metricRange(rows.values(), 'potential')).toEqual([10, 30])
    expect(metricColours(['a', 'b', 'c', 'd', 'x'], rows, { metric: 'potential', by: 'value' })).toEqual([RAMP[0], RAMP[4], RAMP[2], null, null])
  })
  it('colours deviations by band; a territory without the figure is grey', () => {
    expect(metricColours(['a', 'b'], rows, { metric: 'potential', by: 'deviation' })).toEqual([DEVIATION_COLOURS[0], DEVIATION_COLOURS[6]])
    expect(metricColours(['a'], rows, { metric: 'utilisation', by: 'value' })).toEqual([NO_VALUE])
  })
  it("follows Go's band when the row has one", () => {
    const r = new Map([['a', row('a', 'territory', 1, { deviation: { potential: -0.03 }, band: { potential: 3 } })]])
    expect(metricColours(['a'], r, { metric: 'potential', by: 'deviation' })).toEqual([DEVIATION_COLOURS[0]])
  })
  it('one value is the middle of the ramp', () => {
    const one = new Map([['a', row('a', 'territory', 5)]])
    expect(metricColours(['a'], one, { metric: 'potential', by: 'value' })).toEqual([RAMP[2]])
  })
})
