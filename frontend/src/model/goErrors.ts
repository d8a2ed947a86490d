// Go's refusals in the page's language. Go refuses invalid assumptions and
// edits of locked things with English messages naming the value and the
// rule ("segments: white-space revenue share 2, want 0 to 1"); this reads
// each known form and writes it again from message keys (validation.*),
// naming the setting with the label the Assumptions panel shows, the value
// exactly as Go wrote it, and the rule. A message it does not know is
// returned as it is. Every form is listed in app/testdata/settings-errors.json
// (app/settings_errors_test.go), which the tests of this file read.
import type { Translate } from './alerts'
import { fieldKey, metricLabel, type HasKey } from './labels'

/** What Go's message says once its wording is taken apart. */
interface Parts {
  subject: string
  value: string
  rule: string
}

/** How localiseGoError reads and writes. */
export interface LocaliseOptions {
  /**
   * The page's language. English keeps Go's own message, which already
   * names the value and the rule (and is what docs/model.md and the
   * English tests quote); other languages get it written again.
   */
  locale?: string
  /** vue-i18n's te; by default a key exists when t does not return the key. */
  te?: HasKey
}

/**
 * Go's message in the page's language: a sentence naming the setting (as
 * the Assumptions panel labels it), the value as Go wrote it and the rule;
 * in English Go's own message. A message whose form is unknown is returned
 * as it is, so the result is never blank for a non-blank message.
 */
export function localiseGoError(message: string, t: Translate, opts: LocaliseOptions = {}): string {
  if (opts.locale?.toLowerCase().startsWith('en')) return message
  return rewriteGoError(message, t, opts.te)
}

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

  // Edits refused because something is locked (engine/assign.LockError).
  if ((x = /^(territory|unit|account) (\S+)(?: \((.*)\))? is locked$/.exec(m))) {
    return x[3] ? t(`validation.msg.lockedNamed.${x[1]}`, { id: x[2], name: x[3] }) : t(`validation.msg.locked.${x[1]}`, { id: x[2] })
  }
  if (/^this plan is open read-only$/.test(m)) return t('validation.msg.readOnly')

  // Messages of their own form.
  if ((x = /^cut-offs A (\S+) and B (\S+), want (.+)$/.exec(m))) {
    if (!isFormula(x[3])) return null
    return t('validation.msg.cutOffs', { a: x[1], b: x[2], f: x[3] })
  }
  if ((x = /^deviation bands (\[[^\]]*\]) are not ascending$/.exec(m))) return t('validation.msg.bandsOrder', { value: x[1] })
  if (/^quota weights are all zero\b/.test(m)) return t('validation.msg.quotaAllZero')
  if ((x = /^alert thresholds: low utilisation (\S+) is not below high utilisation (\S+)$/.exec(m))) {
    return t('validation.msg.lowNotBelowHigh', {
      low: t('model.alerts.rule.utilisationLow'),
      lowValue: x[1],
      high: t('model.alerts.rule.utilisationHigh'),
      highValue: x[2],
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
  const p = parts(m, t, te)
  if (!p) return null
  return t('validation.sentence', { subject: p.subject, value: p.value, rule: p.rule })
}

/** Takes "<context>: <setting> [is] <value>, want <rule>" apart, or null when any part is unknown. */
function parts(m: string, t: Translate, te: HasKey): Parts | null {
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
  const rule = ruleText(want, t, te, optionsOf)
  return rule ? { subject, value, rule } : null
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

/** The rule after Go's "want", in the page's language; null when unknown. */
function ruleText(want: string, t: Translate, te: HasKey, optionsOf: string | null): string | null {
  let x: RegExpExecArray | null
  const fixed: Record<string, string> = {
    'a finite number ≥ 0': 'nonNegative',
    'a finite number > 0': 'positive',
    'a finite fraction > 0': 'positiveFraction',
    'a finite share > 0': 'positiveShare',
    '0 ≤ share < 1': 'shareBelowOne',
  }
  if (fixed[want]) return t(`validation.rule.${fixed[want]}`)
  if ((x = /^more than (\S+) and at most (\S+)$/.exec(want))) return t('validation.rule.aboveAtMost', { min: x[1], max: x[2] })
  if ((x = /^more than (.+)$/.exec(want))) return t('validation.rule.moreThan', { min: x[1] })
  if ((x = /^(-?[\d.]+) to (-?[\d.]+)$/.exec(want))) return t('validation.rule.range', { min: x[1], max: x[2] })
  if ((x = /^a finite ([a-z]) > (-?[\d.]+)$/.exec(want))) return t('validation.rule.finiteAbove', { v: x[1], min: x[2] })
  if (isFormula(want)) return t('validation.rule.formula', { f: want })
  if ((x = /^((?:\w+, )*\w+) or (\w+)$/.exec(want)) && optionsOf) {
    const list = options([...x[1].split(', '), x[2]], (o) => (te(`${optionsOf}.${o}`) ? t(`${optionsOf}.${o}`) : null), t)
    return list ? t('validation.rule.oneOf', { list }) : null
  }
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
