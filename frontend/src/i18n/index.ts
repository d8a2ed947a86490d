import { createI18n } from 'vue-i18n'
import en from './en.json'
import zhCN from './zh-CN.json'

export type MessageSchema = typeof en

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
  messages: { en, 'zh-CN': zhCN },
})

/** Switches the UI language and the document's lang attribute. */
export function applyLanguage(lang: Language): void {
  ;(i18n.global.locale as unknown as { value: Language }).value = lang
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}
