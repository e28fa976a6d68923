/**
 * Dates as French writes them: the first day of a month is « 1er » (« 1er décembre 2026 »),
 * which Intl's fr-FR formats leave as « 1 décembre ». Every date shown to a user, in the app
 * or in the notes the import writes, goes through here.
 */

/** A day number as French writes it: « 1er », then « 2 », « 3 »… */
function frenchDay(parts: Intl.DateTimeFormatPart[]): string {
  return parts.map(part => (part.type === 'day' && Number(part.value) === 1 ? `${Number(part.value)}er` : part.value)).join('')
}

/** Formats a date with Intl in `lang` ("fr" or another), the first of a month as « 1er » in French. */
export function formatDate(date: Date, lang: string, options: Intl.DateTimeFormatOptions): string {
  const french = lang === 'fr' || lang.startsWith('fr-')
  const format = new Intl.DateTimeFormat(french ? 'fr-FR' : lang === 'en' ? 'en-GB' : lang, options)
  return french ? frenchDay(format.formatToParts(date)) : format.format(date)
}

/** « 1er décembre 2026 à 10:30 » / "1 December 2026 at 10:30", or undefined for no or a bad date. */
export function formatDateTime(value: Date | string | undefined | null, lang: string): string | undefined {
  if (!value) return undefined
  const date = typeof value === 'string' ? new Date(value) : value
  if (Number.isNaN(date.getTime())) return undefined
  return formatDate(date, lang, { dateStyle: 'long', timeStyle: 'short' })
}
