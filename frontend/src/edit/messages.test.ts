import { describe, expect, it } from 'vitest'
import en from '../i18n/edit/en.json'
import { i18n } from '../i18n'

function leaves(obj: unknown, prefix = ''): string[] {
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  )
}

// Every editing message compiles (vue-i18n treats "|", "@", "{" and "}" as syntax)
// and renders with its placeholders filled in, in both languages.
describe('edit messages', () => {
  const keys = leaves(en).map((k) => `edit.${k}`)
  const args = { n: 3, name: 'Iowa', what: 'paint', d: '+1', total: 9, metric: 'Potential', q: 'x', example: 'x' }
  for (const lang of ['en', 'zh-CN'] as const) {
    it(`render in ${lang}`, () => {
      const t = (k: string) => i18n.global.t(k, args, { locale: lang })
      const bad = keys.filter((k) => {
        try {
          const s = t(k)
          return !s || s === k || /\{\w+\}/.test(s)
        } catch {
          return true
        }
      })
      expect(bad).toEqual([])
    })
  }
})
