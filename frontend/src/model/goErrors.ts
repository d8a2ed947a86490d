// Go's refusals in the page's language. Go refuses invalid assumptions and
// edits of locked things with English messages naming the value and the
// rule ("segments: white-space revenue share 2, want 0 to 1"); this reads
// each known form and writes it again from message keys (validation.*),
// naming the setting with the label the Assumptions panel shows, the value
// in the units the planner typed it (a share Go stores as 2 is the 200 %
// typed into a percent field) and the rule in the same units. A message it
// does not know is returned as it is. Every form is listed in
// app/testdata/settings-errors.json (app/settings_errors_test.go), which the
// tests of this file read.
import type { Translate } from './alerts'
import { fieldKey, metricLabel, type HasKey } from './labels'
import { errorPath, FIELDS, toInput } from './settings'

/** What Go's message says once its wording is taken apart. */
interface Parts {
  subject: string
  value: string
  rule: string
}

/** How localiseGoError reads and writes. */
export interface LocaliseOptions {
  /**
   * The page's language. Every language gets the message written again in
   * the panel's words and units, except that English keeps Go's own
   * message for an edit refused by a lock ("territory T01 (…) is locked").
   */
  locale?: string
  /** vue-i18n's te; by default a key exists when t does not return the key. */
  te?: HasKey
}

/**
 * Go's message in the page's language: a sentence naming the setting (as
 * the Assumptions panel labels it), the value as the planner typed it and
 * the rule in the same units; in English a lock's refusal stays Go's own
 * message. A message whose form is unknown is returned as it is, so the
 * result is never blank for a non-blank message.
 */
export function localiseGoError(message: string, t: Translate, opts: LocaliseOptions = {}): string {
  if (opts.locale?.toLowerCase().startsWith('en') && LOCKED.test(message.trim())) return message
  return rewriteGoError(message, t, opts.te)
}

/** Go's refusal of an edit because something is locked (engine/assign.LockError). */
const LOCKED = /^(territory|unit|account) (\S+)(?: \((.*)\))? is locked$/

/**
 * Go's message written again from the validation.* messages of t's
 * language (in English a plainer sentence than Go's), or the message
 * itself when its form is unknown.
 */
export function rewriteGoError(message: string, t: Translate, te: HasKey = (k) => t(k) !== k): string {
  if (!message || !message.trim()) return message
  try {
    return render(message.trim(), t, te) ?? message
  } catch {
    return message
  }
}

/** Engine packages Go names at the start of its messages. */
const PREFIX = /^(?:metrics|segments|quota): /

function render(message: string, t: Translate, te: HasKey): string | null {
  const m = message.replace(PREFIX, '')
  let x: RegExpExecArray | null
  const L = (k: string, args?: Record<string, unknown>) => (te(k) ? t(k, args) : null)
  // Whether the values named are shares the panel takes as percentages.
  const pct = isPercentPath(errorPath(message))
  const v = (s: string) => shown(s, pct)

  // Edits refused because something is locked (engine/assign.LockError).
  if ((x = LOCKED.exec(m))) {
    return x[3] ? t(`validation.msg.lockedNamed.${x[1]}`, { id: x[2], name: x[3] }) : t(`validation.msg.locked.${x[1]}`, { id: x[2] })
  }
  if (/^this plan is open read-only$/.test(m)) return t('validation.msg.readOnly')

  // Messages of their own form.
  if ((x = /^cut-offs A (\S+) and B (\S+), want (.+)$/.exec(m))) {
    if (!isFormula(x[3])) return null
    return t('validation.msg.cutOffs', { a: v(x[1]), b: v(x[2]), f: pct ? percentFormula(x[3]) : x[3] })
  }
  if ((x = /^deviation bands (\[[^\]]*\]) are not ascending$/.exec(m))) {
    const list = x[1].slice(1, -1).trim()
    const value = pct && list ? list.split(/\s+/).map(v).join(t('validation.listSep')) : x[1]
    return t('validation.msg.bandsOrder', { value })
  }
  if (/^quota weights are all zero\b/.test(m)) return t('validation.msg.quotaAllZero')
  if ((x = /^alert thresholds: low utilisation (\S+) is not below high utilisation (\S+)$/.exec(m))) {
    return t('validation.msg.lowNotBelowHigh', {
      low: t('model.alerts.rule.utilisationLow'),
      lowValue: v(x[1]),
      high: t('model.alerts.rule.utilisationHigh'),
      highValue: v(x[2]),
    })
  }
  if ((x = /^unknown alert rule ("[^"]*"), want one of (.+)$/.exec(m))) {
    const list = options(x[2].split(', '), (o) => L(`model.alerts.rule.${o}`), t)
    return list ? t('validation.msg.unknownAlertRule', { value: x[1], list }) : null
  }
  if ((x = /^weight for unknown metric ("[^"]*")$/.exec(m))) return t('validation.msg.unknownMetric', { value: x[1] })
  if ((x = /^weight for ("([^"]*)"), whose balance is not measured$/.exec(m))) {
    return t('validation.msg.notBalanced', { metric: metricLabel(x[2], t, te), value: x[1] })
  }
  if ((x = /^call plan for account ("[^"]*"): no such account in the plan$/.exec(m))) return t('validation.msg.noSuchAccount', { value: x[1] })

  // "<setting> [is] <value>, want <rule>", perhaps inside a call plan or a response curve.
  const p = parts(m, t, te, pct)
  if (!p) return null
  return t('validation.sentence', { subject: p.subject, value: p.value, rule: p.rule })
}

/** Settings paths whose values the panel takes as percentages of the stored share (kind 'percent'). */
const PERCENT_PATHS = new Set(FIELDS.filter((f) => f.kind === 'percent').map((f) => f.path))

/**
 * True when the setting at path (errorPath's answer) is typed as a
 * percentage: a percent field, any deviation band or the list of them
 * (bands beyond the third have no field but are the same kind), and a
 * territory's target share (its table takes percentages).
 */
export function isPercentPath(path: string | null): boolean {
  if (!path) return false
  if (PERCENT_PATHS.has(path)) return true
  if (/^bands(?:\.\d+)?$/.test(path)) return PERCENT_PATHS.has('bands.0')
  return path.startsWith('targets[')
}

/** A plain number of Go's messages ("-0.1", "1e-05", "−1"). */
const NUMBER = /^[-+−]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i

/** The percent sign after a number, held to it by a no-break space so that a line never starts with "%". */
const PERCENT = '\u00a0%'

/** A stored number as the planner typed it: a share ×100 with " %"; anything else as Go wrote it. */
function shown(s: string, pct: boolean): string {
  if (!pct || !NUMBER.test(s)) return s
  const n = Number(s.replace('−', '-'))
  return Number.isFinite(n) ? `${toInput(n, 'percent')}${PERCENT}` : s
}

/** A stored number of a rule as a percentage without the sign ("1" → "100"), or null when s is no number. */
function percentNumber(s: string): string | null {
  if (!NUMBER.test(s)) return null
  const n = Number(s.replace('−', '-'))
  return Number.isFinite(n) ? toInput(n, 'percent') : null
}

/** A formula of shares in percent: "0 < A < B ≤ 1" → "0 < A < B ≤ 100 %" (a zero needs no unit). */
function percentFormula(f: string): string {
  return f
    .split(' ')
    .map((w) => {
      const p = percentNumber(w)
      return p === null ? w : p === '0' ? p : `${p}${PERCENT}`
    })
    .join(' ')
}

/** Takes "<context>: <setting> [is] <value>, want <rule>" apart, or null when any part is unknown; pct shows the value and rule in percent. */
function parts(m: string, t: Translate, te: HasKey, pct: boolean): Parts | null {
  let x: RegExpExecArray | null
  let inPlan: ((field: string) => string) | null = null
  let inCurve: ((field: string) => string) | null = null
  let rest = m
  if ((x = /^call plan for tier "([^"]*)": (.+)$/.exec(m))) {
    const plan = planLabel(x[1], t, te)
    inPlan = (field) => t('validation.subject.callPlan', { plan, field })
    rest = x[2]
  } else if ((x = /^call plan for other tiers: (.+)$/.exec(m))) {
    inPlan = (field) => t('validation.subject.otherPlan', { field })
    rest = x[1]
  } else if ((x = /^call plan of account "([^"]*)": (.+)$/.exec(m))) {
    const id = x[1]
    inPlan = (field) => t('validation.subject.accountPlan', { id, field })
    rest = x[2]
  } else if ((x = /^response curve of class "([^"]*)": (.+)$/.exec(m))) {
    const cls = t('model.tierClass', { c: x[1] })
    inCurve = (field) => t('validation.subject.response', { cls, field })
    rest = x[2]
  } else if ((x = /^default response curve: (.+)$/.exec(m))) {
    inCurve = (field) => t('validation.subject.defaultResponse', { field })
    rest = x[1]
  }

  x = /^(.+?)(?: is)? ("[^"]*"|\S+), want (.+)$/.exec(rest)
  if (!x) return null
  const [, phrase, value, want] = x
  let subject: string | null = null
  let optionsOf: string | null = null
  if (inPlan) {
    const k = PLAN_FIELDS[phrase]
    subject = k ? inPlan(t(`model.callPlans.${k}`)) : null
  } else if (inCurve) {
    const k = CURVE_FIELDS[phrase]
    subject = k ? inCurve(t(`model.responses.${k}`)) : null
  } else {
    const s = setting(phrase, t, te)
    if (s) [subject, optionsOf] = s
  }
  if (!subject) return null
  const rule = ruleText(want, t, te, optionsOf, pct)
  return rule ? { subject, value: shown(value, pct), rule } : null
}

/** A call plan's values by Go's words. */
const PLAN_FIELDS: Record<string, string> = { 'visits per year': 'visitsPerYear', 'visit minutes': 'visitMinutes', 'travel minutes': 'travelMinutes' }

/** A response curve's parameters by Go's words. */
const CURVE_FIELDS: Record<string, string> = { retention: 'retention', saturation: 'saturation', shape: 'shape', 'reference visits': 'referenceVisits' }

/** Settings named by a phrase of Go's messages: the settings path of their label (and of their options). */
const SETTINGS: Record<string, string> = {
  'weeks per year': 'weeksPerYear',
  basis: 'model.segments.basis',
  'recent months': 'model.segments.recentMonths',
  'white-space revenue share': 'model.segments.whiteSpaceShare',
  'travel mode': 'model.travel.mode',
  'travel detour factor': 'model.travel.detourFactor',
  'travel speed': 'model.travel.speedKmh',
  'travel visits per day': 'model.travel.visitsPerDay',
  'travel overnight hours': 'model.travel.overnightHours',
  'travel tour constant': 'model.travel.tourConstant',
  'cost per km': 'model.travel.costPerKm',
  'admin share': 'model.adminShare',
  'disruption share': 'model.disruptionShare',
  'rep hours per year': 'model.repHoursPerWeek',
  'standard rep hours per week': 'model.repHoursPerWeek',
  'ramp factor': 'model.quota.ramp',
  'quota growth': 'model.quota.growth',
}

/** Settings whose label alone could be another section's ("Weight of potential"). */
const IN_SECTION: Record<string, [path: string, section: string]> = {
  'blend weight of potential': ['model.segments.blendPotential', 'segments'],
  'quota weight of history': ['model.quota.history', 'quotas'],
  'quota weight of potential': ['model.quota.potential', 'quotas'],
  'quota weight of even': ['model.quota.even', 'quotas'],
}

/** Alert thresholds by Go's words, with the rule each belongs to. */
const ALERT_THRESHOLDS: Record<string, string> = {
  'balance deviation': 'balance',
  'low utilisation': 'utilisationLow',
  'high utilisation': 'utilisationHigh',
  'potential shift': 'potentialShift',
  'overdue factor': 'goldenOverdue',
}

/** The label of the setting a phrase names, and the key of its options' labels; null when unknown. */
function setting(phrase: string, t: Translate, te: HasKey): [string, string | null] | null {
  let x: RegExpExecArray | null
  const label = (path: string) => (te(fieldKey(path)) ? t(fieldKey(path)) : null)
  if (SETTINGS[phrase]) {
    const l = label(SETTINGS[phrase])
    return l ? [l, `${fieldKey(SETTINGS[phrase])}Options`] : null
  }
  if (IN_SECTION[phrase]) {
    const [path, section] = IN_SECTION[phrase]
    const l = label(path)
    return l ? [t('validation.subject.inSection', { field: l, section: t(`model.section.${section}`) }), null] : null
  }
  if ((x = /^deviation band (\d+)$/.exec(phrase))) {
    const i = Number(x[1]) - 1
    return [label(`bands.${i}`) ?? t('validation.subject.band', { n: x[1] }), null]
  }
  if ((x = /^target share of territory "([^"]*)"$/.exec(phrase))) return [t('validation.subject.target', { id: x[1] }), null]
  if ((x = /^weight of "([^"]*)"$/.exec(phrase))) return [t('validation.subject.weight', { metric: metricLabel(x[1], t, te) }), null]
  if ((x = /^alert threshold (.+)$/.exec(phrase)) && ALERT_THRESHOLDS[x[1]]) {
    return [t('validation.subject.alert', { rule: t(`model.alerts.rule.${ALERT_THRESHOLDS[x[1]]}`) }), null]
  }
  return null
}

/** The rule after Go's "want", in the page's language (in percent when pct); null when unknown. */
function ruleText(want: string, t: Translate, te: HasKey, optionsOf: string | null, pct: boolean): string | null {
  let x: RegExpExecArray | null
  if (pct) {
    const r = percentRule(want, t)
    if (r) return r
  }
  const fixed: Record<string, string> = {
    'a finite number ≥ 0': 'nonNegative',
    'a finite number > 0': 'positive',
    'a finite fraction > 0': 'positiveFraction',
    'a finite share > 0': 'positiveShare',
    '0 ≤ share < 1': 'shareBelowOne',
  }
  if (fixed[want]) return t(`validation.rule.${fixed[want]}`)
  if ((x = /^more than (\S+) and at most (\S+)$/.exec(want))) return t('validation.rule.aboveAtMost', { min: x[1], max: x[2] })
  if ((x = /^more than (.+)$/.exec(want))) return t('validation.rule.moreThan', { min: x[1].replace(/ %$/, PERCENT) })
  if ((x = /^(-?[\d.]+) to (-?[\d.]+)$/.exec(want))) return t('validation.rule.range', { min: x[1], max: x[2] })
  if ((x = /^a finite ([a-z]) > (-?[\d.]+)$/.exec(want))) return t('validation.rule.finiteAbove', { v: x[1], min: x[2] })
  if (isFormula(want)) return t('validation.rule.formula', { f: want })
  if ((x = /^((?:\w+, )*\w+) or (\w+)$/.exec(want)) && optionsOf) {
    const list = options([...x[1].split(', '), x[2]], (o) => (te(`${optionsOf}.${o}`) ? t(`${optionsOf}.${o}`) : null), t)
    return list ? t('validation.rule.oneOf', { list }) : null
  }
  return null
}

/**
 * The rule of a share in percent ("0 to 1" → "from 0 to 100 %"); null when
 * want has no such form or is in percent already ("more than −100 %").
 */
function percentRule(want: string, t: Translate): string | null {
  let x: RegExpExecArray | null
  const P = (s: string) => {
    const p = percentNumber(s)
    return p === null ? null : `${p}${PERCENT}`
  }
  switch (want) {
    case 'a finite number ≥ 0':
      return t('validation.rule.atLeast', { min: `0${PERCENT}` })
    case 'a finite number > 0':
    case 'a finite fraction > 0':
    case 'a finite share > 0':
      return t('validation.rule.moreThan', { min: `0${PERCENT}` })
    case '0 ≤ share < 1':
      return t('validation.rule.atLeastBelow', { min: `0${PERCENT}`, max: `100${PERCENT}` })
  }
  if ((x = /^more than (\S+) and at most (\S+)$/.exec(want))) {
    const [min, max] = [P(x[1]), P(x[2])]
    return min && max ? t('validation.rule.aboveAtMost', { min, max }) : null
  }
  if ((x = /^more than (\S+)$/.exec(want))) {
    const min = P(x[1])
    return min ? t('validation.rule.moreThan', { min }) : null
  }
  if ((x = /^(-?[\d.]+) to (-?[\d.]+)$/.exec(want))) {
    const [min, max] = [percentNumber(x[1]), percentNumber(x[2])]
    return min !== null && max !== null ? t('validation.rule.rangePercent', { min, max }) : null
  }
  if (isFormula(want)) return t('validation.rule.formula', { f: percentFormula(want) })
  return null
}

/** True for a formula of numbers, comparisons and one-letter names ("0 < A < B ≤ 1"). */
function isFormula(s: string): boolean {
  const tokens = s.split(' ')
  return tokens.some((w) => /^[<>≤≥]$/.test(w)) && tokens.every((w) => /^(?:[<>≤≥=]|[-−]?[\d.]+|[A-Za-z])$/.test(w))
}

/** Names joined in the page's language, or null when one has no label. */
function options(names: string[], label: (o: string) => string | null, t: Translate): string | null {
  const out: string[] = []
  for (const n of names) {
    const l = label(n)
    if (!l) return null
    out.push(l)
  }
  return out.join(t('validation.listSep'))
}

/** A call plan's name for people: a flag ("Golden") or a class ("Class A"). */
function planLabel(k: string, t: Translate, te: HasKey): string {
  return te(`model.flag.${k}`) ? t(`model.flag.${k}`) : t('model.tierClass', { c: k })
}
