import { describe, expect, it } from 'vitest'
import en from './en.json'
import zhCN from './zh-CN.json'
import { messagesFor, normalizeLanguage } from './index'

function leaves(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object') for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
    else out.set(key, v)
  }
  return out
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
}

describe('message files', () => {
  const a = leaves(messagesFor('en', en))
  const b = leaves(messagesFor('zh-CN', zhCN))
  it('have identical key sets', () => {
    expect([...b.keys()].filter((k) => !a.has(k))).toEqual([])
    expect([...a.keys()].filter((k) => !b.has(k))).toEqual([])
  })
  for (const [name, m] of [['en', a], ['zh-CN', b]] as const) {
    it(`${name} has only non-empty strings`, () => {
      const bad = [...m].filter(([, v]) => typeof v !== 'string' || !v.trim()).map(([k]) => k)
      expect(bad).toEqual([])
    })
  }
  it('use the same placeholders in both languages', () => {
    const bad = [...a].filter(([k, v]) => JSON.stringify(placeholders(String(v))) !== JSON.stringify(placeholders(String(b.get(k)))))
    expect(bad.map(([k]) => k)).toEqual([])
  })
  it('zh-CN is actually translated where English has words', () => {
    const same = [...a].filter(([k, v]) => b.get(k) === v && /[a-z]{4,}/i.test(String(v)) && !k.startsWith('lang.') && k !== 'app.name')
    expect(same.map(([k]) => k)).toEqual([])
  })
})

describe('normalizeLanguage', () => {
  const cases: [string | null, string][] = [
    ['zh-CN', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['ZH', 'zh-CN'],
    ['en-US', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [null, 'en'],
  ]
  for (const [input, want] of cases) it(`${input} → ${want}`, () => expect(normalizeLanguage(input)).toBe(want))
})
