import { describe, expect, it } from 'vitest'
import { i18n } from '../i18n'
import { isPercentPath, localiseGoError, rewriteGoError } from './goErrors'
import { errorPath, FIELDS } from './settings'
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
/** Text with its no-break spaces (between a number and "%") as plain ones, as people read it. */
const sp = (s: string) => s.replace(/\u00a0/g, ' ')
const inEnglish = (m: string) => sp(rewriteGoError(m, EN.t, EN.te))
const inChinese = (m: string) => sp(localiseGoError(m, ZH.t, { locale: 'zh-CN', te: ZH.te }))
const onEnglishPage = (m: string) => sp(localiseGoError(m, EN.t, { locale: 'en', te: EN.te }))

/** Paths of the recorded messages whose values the panel shows as percentages: its percent fields, the bands and target shares. */
const percentField = (path: string | undefined) =>
  !!path && (FIELDS.some((f) => f.path === path && f.kind === 'percent') || /^bands(\.\d+)?$/.test(path) || path.startsWith('targets['))

/** A recorded value as the planner typed it: every number ×100 with " %" (a list of bands joined). */
function typed(value: string, sep: string): string {
  const pct = (v: string) => `${Math.round(Number(v) * 100 * 1e4) / 1e4} %`
  const list = /^\[(.*)\]$/.exec(value)
  return list ? list[1].trim().split(/\s+/).map(pct).join(sep) : pct(value)
}

/** True when text holds the number n on its own (not as part of "100" or "0.15"). */
const holdsNumber = (text: string, n: string) => new RegExp(`(^|[^\\d.])${n.replace(/[.[\]]/g, '\\$&')}(?![\\d.])`).test(text)

/** Words of Go's rules and settings that a Chinese sentence must not keep. */
const ENGLISH =
  /\b(want|finite|number|fraction|share|ascending|locked|more than|at most|is not|per year|minutes|tier|class|account|territory|unit|weight|curve|threshold|call plan|retention|saturation|shape|reference|basis|travel|speed|detour|months|white-space|blend|ramp|growth|quota|alert|deviation|band|target|potential|revenue|even|history|utilisation|overdue|admin|disruption|cost|hours|perVisit|metrics|segments)\b/i

describe('every message Go gives (app/testdata/settings-errors.json)', () => {
  it('the file holds settings refusals and lock refusals', () => {
    expect(recorded.filter((r) => !r.lock).length).toBeGreaterThan(50)
    expect(recorded.filter((r) => r.lock).length).toBeGreaterThan(2)
  })
  it('many of them are about percent fields, and others are not', () => {
    const pct = recorded.filter((r) => !r.lock && percentField(r.path))
    expect(pct.length).toBeGreaterThan(20)
    expect(pct.map((r) => r.path)).toEqual(expect.arrayContaining(['model.segments.cutA', 'model.segments.whiteSpaceShare', 'bands', 'model.adminShare']))
    expect(recorded.filter((r) => !r.lock && !percentField(r.path)).length).toBeGreaterThan(20)
  })
  for (const r of recorded) {
    const pct = !r.lock && percentField(r.path) && r.value !== ''
    describe(r.name, () => {
      if (!r.lock) it(`belongs to ${r.path}`, () => expect(errorPath(r.message)).toBe(r.path))
      else it('belongs to no setting', () => expect(errorPath(r.message)).toBeNull())
      it(pct ? 'is typed in percent' : 'is not typed in percent', () => expect(isPercentPath(errorPath(r.message))).toBe(pct || (!r.lock && percentField(r.path))))

      /** The value as the page shows it in a language whose lists are joined by sep. */
      const value = (sep: string) => (pct ? typed(r.value, sep) : r.value)

      /** The value ×100 with "%", and no stored fraction of the message left. */
      const inPercent = (text: string, sep: string) => {
        expect(text).toContain(value(sep))
        const raw = /^\[(.*)\]$/.exec(r.value)?.[1].trim().split(/\s+/) ?? [r.value]
        for (const n of raw) if (typed(n, sep) !== `${n} %`) expect(holdsNumber(text, n), `${n} in ${text}`).toBe(false)
        // Go's fractions (the value, the other cut-off, the rule's 1) are all whole percentages here.
        expect(text).not.toMatch(/\d\.\d/)
        // A rule bounded by Go's 1 (all of a share) is bounded by 100 %.
        const want = /, want (.*)$/.exec(r.message)?.[1] ?? ''
        if (holdsNumber(want, '1')) expect(text).toContain('100 %')
      }

      it('reads in Chinese', () => {
        const zh = inChinese(r.message)
        expect(zh).not.toBe(r.message)
        expect(zh).not.toBe(inEnglish(r.message))
        expect(zh).toMatch(/[\u4e00-\u9fff]/)
        expect(zh).toContain(value('、'))
        if (pct) inPercent(zh, '、')
        expect(zh.split(value('、')).join(' ')).not.toMatch(ENGLISH)
      })

      it('reads plainer in English, with the value', () => {
        const text = inEnglish(r.message)
        expect(text).not.toBe(r.message)
        expect(text).toContain(value(', '))
        if (pct) inPercent(text, ', ')
        expect(text).toMatch(/[.]$/)
        expect(text).not.toMatch(/\{|\}|validation\.|model\./)
      })

      if (!r.lock) {
        it('is written again in the English page too', () => expect(onEnglishPage(r.message)).toBe(inEnglish(r.message)))
      } else {
        it('stays Go’s own message in the English page', () => expect(onEnglishPage(r.message)).toBe(r.message))
      }
    })
  }
})

describe('localiseGoError by hand', () => {
  const cases: { name: string; message: string; zh: string; en?: string }[] = [
    {
      name: 'a white-space share of 200 %',
      message: 'segments: white-space revenue share 2, want 0 to 1',
      zh: '空白市场低于：200 % 无效，应为 0 到 100 % 之间。',
      en: 'White space below: 200 % is not allowed; it must be from 0 to 100 %.',
    },
    {
      name: 'cut-off A above B',
      message: 'segments: cut-offs A 0.9 and B 0.8, want 0 < A < B ≤ 1',
      zh: '分级截点：A 为 90 %、B 为 80 % 无效，应满足 0 < A < B ≤ 100 %。',
      en: 'Class cut-offs: A 90 % and B 80 % are not allowed; they must satisfy 0 < A < B ≤ 100 %.',
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
      zh: '增长率：-200 % 无效，应大于 −100 %。',
      en: 'Growth: -200 % is not allowed; it must be more than −100 %.',
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
      en: 'Sales response of Class A, Most (a): 0.9 is not allowed; a must be a number above 1.',
    },
    {
      name: 'the default response curve',
      message: 'default response curve: shape 0, want 0 < c ≤ 50',
      zh: '其他类别销售响应曲线中的“形状 (c)”：0 无效，应满足 0 < c ≤ 50。',
    },
    {
      name: 'a fourth band has no label of its own',
      message: 'metrics: deviation band 4 is 0, want a finite fraction > 0',
      zh: '第 4 档：0 % 无效，应大于 0 %。',
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
    {
      name: 'bands out of order, in percent and still “not ascending” in English',
      message: 'metrics: deviation bands [0.1 0.03 0.2] are not ascending',
      zh: '偏差档位：10 %、3 %、20 % 无效，每一档应比前一档宽（须递增）。',
      en: 'Deviation bands 10 %, 3 %, 20 % are not ascending: each band must be wider than the one before.',
    },
    {
      name: 'utilisation low above high, in percent',
      message: 'alert thresholds: low utilisation 1.2 is not below high utilisation 1.1',
      zh: '预警阈值：“利用率过低”的 120 % 应低于“利用率过高”的 110 %。',
      en: 'Alert thresholds: “Utilisation low” 120 % is not below high utilisation (“Utilisation high” 110 %); it must be lower.',
    },
    {
      name: 'a ramp factor in percent of the share',
      message: 'ramp factor 1.5, want more than 0 and at most 1',
      zh: '新代表的爬坡系数：150 % 无效，应大于 0 % 且不超过 100 %。',
    },
    {
      name: 'a target share in percent',
      message: 'metrics: target share of territory "T01" is -0.2, want a finite share > 0',
      zh: '区域 T01 的目标份额：-20 % 无效，应大于 0 %。',
    },
    {
      name: 'a fraction Go prints in floating point reads as typed',
      message: 'metrics: deviation band 2 is 0.07, want a finite fraction > 0',
      zh: '第 2 档（黄色）：7 % 无效，应大于 0 %。',
    },
    {
      name: 'a value Go cannot print as a number stays as written',
      message: 'segments: white-space revenue share NaN, want 0 to 1',
      zh: '空白市场低于：NaN 无效，应为 0 到 100 % 之间。',
    },
    { name: 'recent months are not a percent field', message: 'segments: recent months 0, want 1 to 120', zh: '近期窗口：0 无效，应为 1 到 120 之间的数。' },
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

  it('keeps Go’s own message of a lock in English, and writes every other form again', () => {
    const en = onEnglishPage
    for (const r of recorded) expect(en(r.message) === r.message).toBe(!!r.lock)
    expect(en('territory T12 (Des Moines) is locked')).toBe('territory T12 (Des Moines) is locked')
    expect(en('segments: cut-offs A 0.9 and B 0.8, want 0 < A < B ≤ 1')).toBe(
      'Class cut-offs: A 90 % and B 80 % are not allowed; they must satisfy 0 < A < B ≤ 100 %.',
    )
    expect(en('Network error')).toBe('Network error')
  })

  it('holds every "%" to its number with a no-break space', () => {
    for (const r of recorded) {
      for (const text of [rewriteGoError(r.message, EN.t, EN.te), localiseGoError(r.message, ZH.t, { locale: 'zh-CN', te: ZH.te })]) {
        expect(text, text).not.toMatch(/ %/)
      }
    }
    expect(rewriteGoError('segments: white-space revenue share 2, want 0 to 1', EN.t, EN.te)).toBe(
      'White space below: 200\u00a0% is not allowed; it must be from 0 to 100\u00a0%.',
    )
    expect(rewriteGoError('quota growth -2, want more than −100 %', ZH.t, ZH.te)).toBe('增长率：-200\u00a0% 无效，应大于 −100\u00a0%。')
  })

  it('follows the language at each call', () => {
    const m = 'metrics: admin share 1, want 0 ≤ share < 1'
    expect(inEnglish(m)).toBe('Admin time: 100 % is not allowed; it must be at least 0 % and below 100 %.')
    expect(inChinese(m)).toBe('行政时间：100 % 无效，应不小于 0 % 且小于 100 %。')
  })
})
