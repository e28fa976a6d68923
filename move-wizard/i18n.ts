import fr from '../locales/fr.json'
import en from '../locales/en.json'

export const SUPPORTED_LOCALES = ['fr', 'en'] as const
export type WizardLocale = (typeof SUPPORTED_LOCALES)[number]

type Phrases = { [key: string]: string | Phrases }

const CATALOGS: Record<WizardLocale, Phrases> = {
  fr: ((fr as Phrases).moveWizard ?? {}) as Phrases,
  en: ((en as Phrases).moveWizard ?? {}) as Phrases
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string

export function isLocale(value: unknown): value is WizardLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
}

function lookup(catalog: Phrases, key: string): string | undefined {
  let node: string | Phrases | undefined = catalog
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/**
 * Translator over the "moveWizard" namespace of locales/<locale>.json, with Polyglot's
 * `%{name}` interpolation. A missing key falls back to French, then shows the key itself so
 * a forgotten string is visible rather than blank.
 */
export function translator(locale: WizardLocale): Translate {
  return (key, vars = {}) => {
    const phrase = lookup(CATALOGS[locale], key) ?? lookup(CATALOGS.fr, key) ?? `moveWizard.${key}`
    return phrase.replace(/%\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
  }
}

/** Picks the first supported language of an Accept-Language header ("en-GB,fr;q=0.8"). */
export function localeFromAcceptLanguage(header: string | undefined): WizardLocale | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return { lang: tag.trim().toLowerCase().split('-')[0], quality: Number.isFinite(quality) ? quality : 0, index }
    })
    .filter(entry => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  return ranked.map(entry => entry.lang).find(isLocale)
}

/**
 * Sizes as the stack and its wizard show them: gigabytes of 10^9 bytes, two decimals,
 * in the user's number format ("1,23" in French).
 */
export function formatGigabytes(bytes: number, locale: WizardLocale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2
  }).format(bytes / 1e9)
}
