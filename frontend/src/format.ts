// Number formatting by locale and plan currency, with caches because tables
// format thousands of cells.

const cache = new Map<string, Intl.NumberFormat>()

function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(opts)
  let f = cache.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, opts)
    cache.set(key, f)
  }
  return f
}

/** True when Intl accepts code as an ISO 4217 currency. */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) return false
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency: code })
    return true
  } catch {
    return false
  }
}

/** A count such as 50,000 (en) or 50,000 (zh-CN); "–" for non-finite values. */
export function formatCount(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '–'
  return nf(locale, { maximumFractionDigits: 0 }).format(value)
}

/**
 * Money in the plan currency. compact gives short forms for tables
 * ("$1.2M" in en, "US$120万" in zh-CN). A missing or unknown currency code
 * falls back to a plain number followed by the code.
 */
export function formatMoney(value: number, currency: string, locale: string, compact = false): string {
  if (!Number.isFinite(value)) return '–'
  const opts: Intl.NumberFormatOptions = compact
    ? { notation: 'compact', maximumSignificantDigits: 3 }
    : { maximumFractionDigits: 0 }
  if (isCurrencyCode(currency)) {
    return nf(locale, { ...opts, style: 'currency', currency: currency.toUpperCase(), currencyDisplay: 'narrowSymbol' }).format(value)
  }
  const n = nf(locale, opts).format(value)
  return currency ? `${n} ${currency}` : n
}

/** A compact count ("12K", "1.2万"). */
export function formatCompact(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '–'
  return nf(locale, { notation: 'compact', maximumSignificantDigits: 3 }).format(value)
}

/** A share 0..1 as a percentage ("12.5%"). */
export function formatShare(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '–'
  return nf(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)
}

/** A signed deviation (0.125 → "+12.5%", -0.03 → "−3%", 0 → "0%"). */
export function formatDeviation(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '–'
  const rounded = Math.round(value * 1000) / 1000
  return nf(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(rounded)
}

/**
 * Colour of a potential deviation: balanced territories are neutral, those
 * below the mean turn blue and above the mean orange, saturating at ±50%.
 */
export function deviationColor(value: number): string {
  if (!Number.isFinite(value)) return '#c7ccd4'
  const t = Math.max(-1, Math.min(1, value / 0.5))
  const neutral = [236, 239, 243]
  const end = t < 0 ? [37, 99, 235] : [234, 88, 12]
  const k = Math.abs(t)
  const c = neutral.map((n, i) => Math.round(n + (end[i] - n) * k))
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`
}

/** Darkens a #rgb or #rrggbb colour by k (0..1); other strings are returned unchanged. */
export function darken(color: string, k: number): string {
  let m = /^#([0-9a-f]{6})$/i.exec(color)
  let hex = m?.[1]
  if (!hex) {
    m = /^#([0-9a-f]{3})$/i.exec(color)
    if (!m) return color
    hex = m[1].split('').map((c) => c + c).join('')
  }
  const f = Math.max(0, Math.min(1, 1 - k))
  const c = [0, 2, 4].map((i) => Math.round(parseInt(hex!.slice(i, i + 2), 16) * f))
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`
}
