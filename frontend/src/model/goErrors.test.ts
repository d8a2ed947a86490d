import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { localiseGoError, rewriteGoError } from './goErrors'
import { errorPath } from './settings'
import settingsErrors from '../../../app/testdata/settings-errors.json'

/** One message Go gave (app/settings_errors_test.go writes them). */
interface Refusal {
  name: string
  path?: string
  lock?: boolean
  value: string
  message: string
}

const recorded: Refusal[] = settingsErrors

const tr = (lang: 'en' | 'zh-CN') => ({
  t: (k: string, args?: Record<string, unknown>) => i18n.global.t(k, args ?? {}, { locale: lang }),
  te: (k: string) => i18n.global.te(k, lang),
})
const EN = tr('en')
const ZH = tr('zh-CN')
const inEnglish = (m: string) => rewriteGoError(m, EN.t, EN.te)
const inChinese = (m: string) => localiseGoError(m, ZH.t, { locale: 'zh-CN', te: ZH.te })

/** Words of Go's rules and settings that a Chinese sentence must not keep. */
const ENGLISH =
  /\b(want|finite|number|fraction|share|ascending|locked|more than|at most|is not|per year|minutes|tier|class|account|territory|unit|weight|curve|threshold|call plan|retention|saturation|shape|reference|basis|travel|speed|detour|months|white-space|blend|ramp|growth|quota|alert|deviation|band|target|potential|revenue|even|history|utilisation|overdue|admin|disruption|cost|hours|perVisit|metrics|segments)\b/i

describe('every message Go gives (app/testdata/settings-errors.json)', () => {
  it('the file holds settings refusals and lock refusals', () => {
    expect(recorded.filter((r) => !r.lock).length).toBeGreaterThan(50)
    expect(recorded.filter((r) => r.lock).length).toBeGreaterThan(2)
  })
  for (const r of recorded) {
    describe(r.name, () => {
      if (!r.lock) it(`belongs to ${r.path}`, () => expect(errorPath(r.message)).toBe(r.path))
      else it('belongs to no setting', () => expect(errorPath(r.message)).toBeNull())

      it('reads in Chinese', () => {
        const zh = inChinese(r.message)
        expect(zh).not.toBe(r.message)
        expect(zh).not.toBe(inEnglish(r.message))
        expect(zh).toMatch(/[\u4e00-\u9fff]/)
        expect(zh).toContain(r.value)
        expect(zh.split(r.value).join(' ')).not.toMatch(ENGLISH)
      })

      it('reads plainer in English, with the value', () => {
        const text = inEnglish(r.message)
        expect(text).not.toBe(r.message)
        expect(text).toContain(r.value)
        expect(text).toMatch(/[.]$/)
        expect(text).not.toMatch(/\{|\}|validation\.|model\./)
      })
    })
  }
})

describe('localiseGoError by hand', () => {
  const cases: { name: string; message: string; zh: string; en?: string }[] = [
    {
      name: 'a white-space share of 200 %',
      message: 'segments: white-space revenue share 2, want 0 to 1',
      zh: '空白市场低于：2 无效，应为 0 到 1 之间的数。',
      en: 'White space below: 2 is not allowed; it must be from 0 to 1.',
    },
    {
      name: 'cut-off A above B',
      message: 'segments: cut-offs A 0.9 and B 0.8, want 0 < A < B ≤ 1',
      zh: '分级截点：A 为 0.9、B 为 0.8 无效，应满足 0 < A < B ≤ 1。',
      en: 'Class cut-offs: A 0.9 and B 0.8 are not allowed; they must satisfy 0 < A < B ≤ 1.',
    },
    {
      name: 'a call plan of class A',
      message: 'metrics: call plan for tier "A": visits per year is -1, want a finite number ≥ 0',
      zh: 'A 类拜访计划中的“年拜访”：-1 无效，应为不小于 0 的数。',
    },
    {
      name: 'a flag call plan is named by the flag',
      message: 'metrics: call plan for tier "golden": visit minutes is -5, want a finite number ≥ 0',
      zh: '黄金客户拜访计划中的“拜访分钟”：-5 无效，应为不小于 0 的数。',
    },
    {
      name: 'a weight names the figure',
      message: 'metrics: weight of "potential" is -3, want a finite number ≥ 0',
      zh: '“潜力”的均衡权重：-3 无效，应为不小于 0 的数。',
    },
    {
      name: 'a quota weight says it is about quotas',
      message: 'quota weight of potential is -1, want a finite number ≥ 0',
      zh: '潜力的权重（指标）：-1 无效，应为不小于 0 的数。',
    },
    {
      name: 'growth keeps Go’s −100 %',
      message: 'quota growth -2, want more than −100 %',
      zh: '增长率：-2 无效，应大于 −100 %。',
    },
    {
      name: 'the options of the basis in Chinese',
      message: 'segments: basis "x", want potential, revenue, blend or tier',
      zh: '客户排序依据："x" 无效，应为以下之一：潜力、收入（12 个月）、潜力与收入、导入的级别。',
    },
    {
      name: 'a response curve parameter',
      message: 'response curve of class "A": saturation 0.9, want a finite a > 1',
      zh: 'A 类销售响应曲线中的“上限 (a)”：0.9 无效，a 应为大于 1 的数。',
    },
    {
      name: 'the default response curve',
      message: 'default response curve: shape 0, want 0 < c ≤ 50',
      zh: '其他类别销售响应曲线中的“形状 (c)”：0 无效，应满足 0 < c ≤ 50。',
    },
    {
      name: 'a fourth band has no label of its own',
      message: 'metrics: deviation band 4 is 0, want a finite fraction > 0',
      zh: '第 4 档：0 无效，应为大于 0 的比例。',
    },
    {
      name: 'quota weights all zero (no value)',
      message: 'quota weights are all zero; give history, potential or even a weight',
      zh: '指标分配的权重全为 0：请给近 12 个月收入、潜力或平均分配设置权重。',
    },
    {
      name: 'rep hours per year',
      message: 'metrics: rep hours per year -1, want a finite number ≥ 0',
      zh: '测算人数用的标准代表：-1 无效，应为不小于 0 的数。',
    },
    {
      name: 'a locked territory',
      message: 'territory T12 (Des Moines) is locked',
      zh: '区域 T12（Des Moines）已锁定，解锁后才能更改。',
      en: 'Territory T12 (Des Moines) is locked; unlock it to change it.',
    },
    { name: 'a locked unit without a name', message: 'unit 19153 is locked', zh: '单元 19153 已锁定，解锁后才能移动。' },
    { name: 'a read-only plan', message: 'this plan is open read-only', zh: '此方案以只读方式打开，不能更改。' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(inChinese(c.message)).toBe(c.zh)
      if (c.en) expect(inEnglish(c.message)).toBe(c.en)
    })
  }

  const unknown = [
    'the plan is read-only',
    'unknown territory "T99"',
    'metrics: weeks per year is 60, want something new',
    'metrics: the new setting is 3, want a finite number ≥ 0',
    'segments: basis "x", want potential, revenue, blend or stars',
    'unknown alert rule "x", want one of balance, weather',
    'call plan for tier "A": coffee breaks is 3, want a finite number ≥ 0',
    'a territory is locked',
    'Network error',
  ]
  for (const m of unknown) {
    it(`keeps an unknown message as it is: ${m}`, () => {
      expect(inChinese(m)).toBe(m)
      expect(inEnglish(m)).toBe(m)
    })
  }

  it('is never blank', () => {
    expect(inChinese('')).toBe('')
    expect(inChinese('  ')).toBe('  ')
    const t = () => {
      throw new Error('no messages')
    }
    expect(localiseGoError('territory T1 is locked', t)).toBe('territory T1 is locked')
  })

  it('keeps Go’s own message in English', () => {
    for (const r of recorded) expect(localiseGoError(r.message, EN.t, { locale: 'en', te: EN.te })).toBe(r.message)
  })

  it('follows the language at each call', () => {
    const m = 'metrics: admin share 1, want 0 ≤ share < 1'
    expect(inEnglish(m)).toBe('Admin time: 1 is not allowed; it must be at least 0 and below 1.')
    expect(inChinese(m)).toBe('行政时间：1 无效，应不小于 0 且小于 1。')
  })
})
