// Alerts as the page shows them: grouped by rule, written in the page's
// language from the rule, value and threshold Go reports (its own message is
// English), and as markers at the territories' label points.
import type { Alert } from '../api/modelApi'
import { ALERT_RULES } from '../api/modelApi'
import type { AlignmentTerritory } from '../api/types'
import { formatDeviation, formatShare } from '../format'
import type { AlertMarkerSpec } from '../map/modelLayers'

/** A translation function (vue-i18n's t). */
export type Translate = (key: string, args?: Record<string, unknown>) => string

/** The alerts of one rule for one territory. */
export interface TerritoryAlerts {
  territory: string
  name: string
  alerts: Alert[]
}

/**
 * Alerts grouped by rule, in Go's rule order (rules without alerts left
 * out), and within a rule by territory in the order Go lists them.
 */
export function groupByRule(alerts: readonly Alert[]): { rule: string; count: number; territories: TerritoryAlerts[] }[] {
  const by = new Map<string, Map<string, TerritoryAlerts>>()
  for (const a of alerts) {
    let rule = by.get(a.rule)
    if (!rule) by.set(a.rule, (rule = new Map()))
    let t = rule.get(a.territory)
    if (!t) rule.set(a.territory, (t = { territory: a.territory, name: a.name, alerts: [] }))
    t.alerts.push(a)
  }
  const order = [...ALERT_RULES, ...[...by.keys()].filter((r) => !(ALERT_RULES as readonly string[]).includes(r)).sort()]
  return order
    .filter((r) => by.has(r))
    .map((rule) => {
      const territories = [...by.get(rule)!.values()]
      return { rule, count: territories.reduce((s, t) => s + t.alerts.length, 0), territories }
    })
}

/** Which side of the limit an alert is on: above target or capacity, below, or overdue visits. */
export function toneOf(a: Alert): 'high' | 'low' | 'overdue' {
  if (a.rule === 'goldenOverdue') return 'overdue'
  if (a.rule === 'utilisationHigh') return 'high'
  if (a.rule === 'utilisationLow') return 'low'
  return a.value < 0 ? 'low' : 'high'
}

/** The value of an alert as written in its line: a signed deviation, a utilisation, or a number of accounts. */
export function alertValue(a: Alert, locale: string): string {
  switch (a.rule) {
    case 'utilisationLow':
    case 'utilisationHigh':
      return formatShare(a.value, locale)
    case 'goldenOverdue':
      return String(Math.round(a.value))
    default:
      return formatDeviation(a.value, locale)
  }
}

/** The limit of an alert as written in its line. */
export function alertLimit(a: Alert, locale: string): string {
  switch (a.rule) {
    case 'utilisationLow':
    case 'utilisationHigh':
      return formatShare(a.threshold, locale)
    case 'goldenOverdue':
      return a.threshold.toLocaleString(locale, { maximumFractionDigits: 2 })
    default:
      return `±${formatShare(a.threshold, locale)}`
  }
}

/** One alert in words (model.alerts.line.<rule>), the metric named by metricLabel. */
export function alertText(a: Alert, t: Translate, locale: string, metricLabel: (m: string) => string): string {
  const args = { value: alertValue(a, locale), limit: alertLimit(a, locale), metric: a.metric ? metricLabel(a.metric) : '', n: Math.round(a.value) }
  const key = `model.alerts.line.${a.rule}`
  const s = t(key, args)
  return s === key ? a.message : s
}

/**
 * One marker per territory with alerts, at its label point (territories
 * without one are left out), with the alerts' lines as its title and the
 * most pressing tone: over target or capacity, else overdue visits, else low.
 */
export function alertMarkerSpecs(alerts: readonly Alert[], territories: readonly AlignmentTerritory[], t: Translate): AlertMarkerSpec[] {
  const by = new Map<string, Alert[]>()
  for (const a of alerts) {
    if (!a.territory) continue
    const l = by.get(a.territory) ?? []
    l.push(a)
    by.set(a.territory, l)
  }
  const out: AlertMarkerSpec[] = []
  for (const terr of territories) {
    const list = by.get(terr.id)
    if (!list || !terr.label) continue
    const tones = new Set(list.map(toneOf))
    const tone = tones.has('high') ? 'high' : tones.has('overdue') ? 'overdue' : 'low'
    const title = [terr.name, ...list.map((a) => `• ${t(`model.alerts.rule.${a.rule}`)}${a.metric ? ` (${a.metric})` : ''}`)].join('\n')
    out.push({ id: terr.id, lngLat: terr.label, count: list.length, title, tone })
  }
  return out
}

/** Days since 1970-01-01 as YYYY-MM-DD. */
export function dayString(day: number): string {
  if (!Number.isFinite(day) || day < 0) return ''
  return new Date(day * 86400000).toISOString().slice(0, 10)
}
