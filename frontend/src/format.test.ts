import { describe, expect, it } from 'vitest'
import { darken, deviationColor, formatCompact, formatCount, formatDeviation, formatMoney, formatShare, isCurrencyCode } from './format'

// Intl output uses narrow no-break spaces in some locales; compare without them.
const squash = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '')

describe('formatMoney', () => {
  const cases: { name: string; v: number; cur: string; loc: string; compact?: boolean; want: string }[] = [
    { name: 'USD in en', v: 1234567.4, cur: 'USD', loc: 'en', want: '$1,234,567' },
    { name: 'lowercase code', v: 1000, cur: 'usd', loc: 'en', want: '$1,000' },
    { name: 'CNY in zh-CN', v: 1234567, cur: 'CNY', loc: 'zh-CN', want: '¥1,234,567' },
    { name: 'compact en', v: 1234567, cur: 'USD', loc: 'en', compact: true, want: '$1.23M' },
    { name: 'compact zh-CN uses 万', v: 1234567, cur: 'CNY', loc: 'zh-CN', compact: true, want: '¥123万' },
    { name: 'compact zh-CN uses 亿', v: 250_000_000, cur: 'CNY', loc: 'zh-CN', compact: true, want: '¥2.5亿' },
    { name: 'negative', v: -500, cur: 'EUR', loc: 'en', want: '-€500' },
    { name: 'no currency', v: 1500, cur: '', loc: 'en', want: '1,500' },
    { name: 'unknown code kept as suffix', v: 1500, cur: 'POINTS', loc: 'en', want: '1,500 POINTS' },
    { name: 'NaN', v: NaN, cur: 'USD', loc: 'en', want: '–' },
  ]
  for (const c of cases) {
    it(c.name, () => expect(squash(formatMoney(c.v, c.cur, c.loc, c.compact))).toBe(squash(c.want)))
  }
})

describe('counts and shares', () => {
  it('formatCount groups digits and rounds', () => expect(formatCount(50000.6, 'en')).toBe('50,001'))
  it('formatCount non-finite', () => expect(formatCount(Infinity, 'en')).toBe('–'))
  it('formatCompact en', () => expect(formatCompact(45391, 'en')).toBe('45.4K'))
  it('formatCompact zh-CN', () => expect(formatCompact(45391, 'zh-CN')).toBe('4.54万'))
  it('formatShare', () => expect(formatShare(0.125, 'en')).toBe('12.5%'))
})

describe('formatDeviation', () => {
  const cases: [number, string][] = [
    [0.125, '+12.5%'],
    [-0.03, '-3%'],
    [0, '0%'],
    [0.00001, '0%'],
    [-0.00001, '0%'],
    [3.078, '+307.8%'],
  ]
  for (const [v, want] of cases) it(`${v}`, () => expect(formatDeviation(v, 'en').replace('−', '-')).toBe(want))
})

describe('isCurrencyCode', () => {
  for (const [code, want] of [['USD', true], ['cny', true], ['US', false], ['ABCD', false], ['', false], ['1AB', false]] as const) {
    it(`${code || '(empty)'}`, () => expect(isCurrencyCode(code)).toBe(want))
  }
})

describe('colours', () => {
  it('deviationColor is neutral at zero and differs by sign', () => {
    const zero = deviationColor(0)
    expect(deviationColor(-0.3)).not.toBe(zero)
    expect(deviationColor(0.3)).not.toBe(zero)
    expect(deviationColor(-0.3)).not.toBe(deviationColor(0.3))
  })
  it('deviationColor saturates beyond ±50%', () => {
    expect(deviationColor(2)).toBe(deviationColor(0.5))
    expect(deviationColor(-2)).toBe(deviationColor(-0.5))
  })
  it('darken scales channels and leaves non-hex alone', () => {
    expect(darken('#ff8040', 0.5)).toBe('#804020')
    expect(darken('#fff', 0)).toBe('#ffffff')
    expect(darken('red', 0.5)).toBe('red')
  })
})
