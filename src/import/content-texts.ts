/**
 * Words the import writes into the user's documents (not its interface): marks under a note's
 * title, the line that tells which file of a mind map opens where. The content is French like
 * the folder names (the ENT's language); the English texts serve an English-speaking Cozy.
 */
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

export type ContentTexts = typeof fr.importedContent

const TEXTS: Record<'fr' | 'en', ContentTexts> = { fr: fr.importedContent, en: en.importedContent }

export function contentTexts(locale = 'fr'): ContentTexts {
  return TEXTS[locale.startsWith('en') ? 'en' : 'fr']
}

/** `%{name}` placeholders (the locales' form) replaced by their values. */
export function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/%\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}
