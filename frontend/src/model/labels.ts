// Names of the planning model's figures, segments and fields in the page's
// language.
import type { Translate } from './alerts'

/** vue-i18n's te: true when a message key exists. */
export type HasKey = (key: string) => boolean

/**
 * A metric's name for people: "tier.A" is class A, flags and the model's
 * figures have their own words, others the editing words (edit.metric.*);
 * unknown names (unit data) are shown as they are.
 */
export function metricLabel(name: string, t: Translate, te: HasKey, short = false): string {
  if (name.startsWith('tier.')) return short ? name.slice(5) : t('model.tierClass', { c: name.slice(5) })
  if (short && te(`model.flagShort.${name}`)) return t(`model.flagShort.${name}`)
  if (te(`model.flag.${name}`)) return t(`model.flag.${name}`)
  const k = short ? `edit.metricShort.${name}` : `edit.metric.${name}`
  if (te(k)) return t(k)
  return name
}

/** A class's name for people: "A" → "Class A" (imported tiers keep their names). */
export function className(c: string, t: Translate): string {
  return t('model.tierClass', { c })
}

/**
 * The message key of a scalar field's label: its path without "model."
 * in camel case ("model.travel.speedKmh" → "model.fields.travelSpeedKmh").
 */
export function fieldKey(path: string): string {
  return `model.fields.${path.replace(/^model\./, '').replace(/\.(\w)/g, (_, c: string) => c.toUpperCase())}`
}
