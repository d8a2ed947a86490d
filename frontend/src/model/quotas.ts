// Quotas as the table shows them: the columns of a period (quarters, months
// or the parts of months in ISO weeks) and each row's amounts, and a check
// that every level adds up to its parent.
import type { QuotaRow, QuotaView } from '../api/modelApi'

/** A column of the quota table. */
export interface QuotaColumn {
  key: string
  label: string
  /** Longer text for a tooltip (dates of a week). */
  title: string
}

/** Short month names in locale, January first. */
export function monthNames(locale: string): string[] {
  const f = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' })
  return Array.from({ length: 12 }, (_, m) => f.format(new Date(Date.UTC(2001, m, 15))))
}

/** The period columns of a quota view: Q1–Q4, the months, or one per part of a month in an ISO week. */
export function quotaColumns(v: QuotaView, locale: string, quarterLabel: (q: number) => string): QuotaColumn[] {
  if (v.period === 'month') return monthNames(locale).map((m, i) => ({ key: `m${i + 1}`, label: m, title: m }))
  if (v.period === 'week') {
    const weeks = (v.rows ?? []).find((r) => r.weeks?.length)?.weeks ?? []
    const count = new Map<string, number>()
    for (const w of weeks) count.set(`${w.isoYear}-${w.isoWeek}`, (count.get(`${w.isoYear}-${w.isoWeek}`) ?? 0) + 1)
    const months = monthNames(locale)
    return weeks.map((w, i) => {
      const split = (count.get(`${w.isoYear}-${w.isoWeek}`) ?? 0) > 1
      const week = w.isoYear === v.year ? `W${w.isoWeek}` : `${w.isoYear}-W${w.isoWeek}`
      return {
        key: `w${i}`,
        label: split ? `${week} ${months[w.month - 1]}` : week,
        title: `${w.isoYear}-W${String(w.isoWeek).padStart(2, '0')} · ${w.start} · ${w.workingDays}`,
      }
    })
  }
  return [1, 2, 3, 4].map((q) => ({ key: `q${q}`, label: quarterLabel(q), title: quarterLabel(q) }))
}

/** A row's amounts for the period's columns. */
export function quotaCells(r: QuotaRow, period: string): number[] {
  if (period === 'month') return r.months ?? []
  if (period === 'week') return (r.weeks ?? []).map((w) => w.quota)
  return r.quarters ?? []
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0)

/**
 * Names the first place where the view does not add up: a row whose
 * quarters (months, weeks) do not sum to its year, or territories whose
 * years do not sum to the plan total. Null when everything reconciles.
 */
export function reconcile(v: QuotaView): string | null {
  const rows = v.rows ?? []
  for (const r of rows) {
    if (sum(r.quarters) !== r.year) return `${r.name || r.id}: quarters ${sum(r.quarters)} ≠ year ${r.year}`
    if (r.months && sum(r.months) !== r.year) return `${r.name || r.id}: months ${sum(r.months)} ≠ year ${r.year}`
    if (r.months) {
      for (let q = 0; q < 4; q++) {
        const m = r.months[3 * q] + r.months[3 * q + 1] + r.months[3 * q + 2]
        if (m !== r.quarters[q]) return `${r.name || r.id}: months of Q${q + 1} ${m} ≠ ${r.quarters[q]}`
      }
    }
    if (r.weeks?.length && r.months) {
      for (let m = 1; m <= 12; m++) {
        const w = sum(r.weeks.filter((x) => x.month === m).map((x) => x.quota))
        if (w !== r.months[m - 1]) return `${r.name || r.id}: weeks of month ${m} ${w} ≠ ${r.months[m - 1]}`
      }
    }
  }
  const terr = rows.filter((r) => r.kind === 'territory')
  if (terr.length && sum(terr.map((r) => r.year)) !== v.total) return `territories ${sum(terr.map((r) => r.year))} ≠ total ${v.total}`
  return null
}
