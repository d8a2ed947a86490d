import { createI18n } from 'vue-i18n'
import en from './en.json'
import zhCN from './zh-CN.json'

export type MessageSchema = typeof en

type Messages = Record<string, unknown>

/**
 * Feature message files: each feature folder (src/i18n/<feature>/) holds its
 * own en.json and zh-CN.json, merged under the feature's name, so that
 * `t('import.title')` reads src/i18n/import/en.json's "title".
 */
const modules = import.meta.glob<Messages>('./*/{en,zh-CN}.json', { eager: true, import: 'default' })

/** Merges the base messages of lang with every feature's messages. */
export function messagesFor(lang: 'en' | 'zh-CN', base: Messages): Messages {
  const out: Messages = { ...base }
  for (const [path, msgs] of Object.entries(modules)) {
    const m = /^\.\/([^/]+)\/(en|zh-CN)\.json$/.exec(path)
    if (!m || m[2] !== lang) continue
    if (m[1] in base) throw new Error(`i18n: feature folder ${m[1]} clashes with a top-level key`)
    out[m[1]] = msgs
  }
  return out
}

/** Languages the app ships, in menu order. */
export const LANGUAGES = ['en', 'zh-CN'] as const
export type Language = (typeof LANGUAGES)[number]

/** Maps any BCP 47 tag to a supported language ("zh-Hans-CN" → "zh-CN", else "en"). */
export function normalizeLanguage(tag: string | null | undefined): Language {
  const t = (tag ?? '').toLowerCase()
  if (t.startsWith('zh')) return 'zh-CN'
  return 'en'
}

export const i18n = createI18n<[MessageSchema], Language>({
  legacy: false,
  locale: normalizeLanguage(typeof navigator !== 'undefined' ? navigator.language : 'en'),
  fallbackLocale: 'en',
  messages: { en: messagesFor('en', en) as MessageSchema, 'zh-CN': messagesFor('zh-CN', zhCN) as MessageSchema },
})

/** Switches the UI language and the document's lang attribute. */
export function applyLanguage(lang: Language): void {
  ;(i18n.global.locale as unknown as { value: Language }).value = lang
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}
