import fr from '../../locales/fr.json'
import en from '../../locales/en.json'
import type { Locale } from './cozy-data'

export const dictionaries: Record<Locale, Record<string, unknown>> = { fr, en }

/** The form twake-i18n's `I18n` wants: a function from a language to its dictionary. */
export function dictRequire(lang: string): Record<string, unknown> {
  return dictionaries[lang as Locale] ?? dictionaries.fr
}
