/**
 * Entry names: decoding and safety.
 *
 * The Java exporter writes UTF-8 names with the UTF-8 flag; repacked archives may drop the flag
 * on some names. So bytes are read as UTF-8 whenever they are valid UTF-8, and as CP437 (the
 * zip default) only when they are not.
 */

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Lenient = new TextDecoder('utf-8')

export function decodeCp437(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]
  return out
}

/** Decodes an entry name: UTF-8 when the flag says so or when the bytes are valid UTF-8. */
export function decodeEntryName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return utf8Lenient.decode(bytes)
  try {
    return utf8.decode(bytes)
  } catch {
    return decodeCp437(bytes)
  }
}

/** Anything the checks below could object to; most names have none of it, and one test is cheaper. */
const SUSPICIOUS = /\0|\\|^\/|^[A-Za-z]:|\/\/|(?:^|\/)\.{1,2}(?:\/|$)/

/** Why a name cannot be used as a path inside the archive's namespace, or null when it can. */
export function unsafeNameReason(name: string): string | null {
  if (name.length === 0) return 'empty name'
  if (!SUSPICIOUS.test(name)) return null
  if (name.includes('\0')) return 'NUL character in name'
  if (name.includes('\\')) return 'backslash in name'
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path'
  const segments = name.replace(/\/$/, '').split('/')
  for (const segment of segments) {
    if (segment === '..') return '".." segment'
    if (segment === '.') return '"." segment'
    if (segment === '') return 'empty path segment'
  }
  return null
}
