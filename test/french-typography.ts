/**
 * French typography as the locale strings must follow it (issue 17, point 8), as a checker
 * that names each fault. What counts:
 *
 * - `; : ? !` take a narrow no-break space (U+202F) right before them, itself after a
 *   non-space character: no plain or wide no-break space, no missing space. A mark right
 *   after another one (`?!`) needs none.
 * - `«` is followed and `»` preceded by a narrow no-break space, then a non-space character.
 * - The apostrophe is the typographic one (’, U+2019): no ASCII `'`; no ASCII `"` (« » instead).
 * - The ellipsis is one character (…), not three dots.
 * - The first day of a month is written « 1er » (« 1er décembre »), not « 1 décembre ».
 *
 * Left out of the check, because they are not prose: polyglot placeholders (`%{name}`, whose
 * surroundings are still checked), addresses with a scheme (`https://…`, where `:` and `?`
 * belong to the address) and clock times (`10:30`).
 */

export const NNBSP = '\u202f'
const HIGH_MARKS = new Set([';', ':', '?', '!'])
const MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre'
const FIRST_OF_MONTH = new RegExp(`(^|[^\\d])1[ \\u00a0\\u202f]+(${MONTHS})\\b`, 'iu')

/** Replaces what is not prose by neutral letters of the same length, so positions stay. */
function maskNonProse(text: string): string {
  const blank = (s: string): string => 'x'.repeat(s.length)
  return text
    .replace(/%\{[^}]*\}/g, blank)
    .replace(/[a-z][a-z0-9+.-]*:\/\/[^\s«»]*/gi, blank)
    .replace(/\d{1,2}:\d{2}/g, blank)
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c)

/** The faults of one French string, one readable line each (empty: none). */
export function frenchTypographyFaults(text: string): string[] {
  const faults: string[] = []
  const masked = maskNonProse(text)
  const chars = Array.from(masked)
  const around = (i: number): string => JSON.stringify(chars.slice(Math.max(0, i - 8), i + 8).join(''))
  chars.forEach((c, i) => {
    const before = chars[i - 1]
    if (HIGH_MARKS.has(c) && !HIGH_MARKS.has(before ?? '')) {
      if (before !== NNBSP || i < 2 || isSpace(chars[i - 2])) faults.push(`narrow no-break space needed before "${c}" in ${around(i)}`)
    }
    if (c === '«' && (chars[i + 1] !== NNBSP || isSpace(chars[i + 2]) || i + 2 >= chars.length)) {
      faults.push(`narrow no-break space needed after "«" in ${around(i)}`)
    }
    if (c === '»' && (before !== NNBSP || i < 2 || isSpace(chars[i - 2]))) faults.push(`narrow no-break space needed before "»" in ${around(i)}`)
    if (c === "'") faults.push(`typographic apostrophe (’) needed in ${around(i)}`)
    if (c === '"') faults.push(`straight quote: use « » in ${around(i)}`)
  })
  if (masked.includes('...')) faults.push('three dots: use the ellipsis character (…)')
  const first = FIRST_OF_MONTH.exec(masked)
  if (first) faults.push(`first day of a month written "1 ${first[2]}": use "1er ${first[2]}"`)
  return faults
}

/** Every string of a nested dictionary, with its dotted key. */
export function dictionaryStrings(dict: unknown, prefix = ''): [string, string][] {
  if (typeof dict === 'string') return [[prefix, dict]]
  if (dict === null || typeof dict !== 'object') return []
  return Object.entries(dict as Record<string, unknown>).flatMap(([key, value]) => dictionaryStrings(value, prefix ? `${prefix}.${key}` : key))
}
