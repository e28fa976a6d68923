/**
 * Names of what the import creates: the French labels of the ENT applications (the folders
 * the user sees), file names made safe for the Cozy VFS, and names kept unique inside a
 * folder in a deterministic way (the same archive always gives the same names, which is
 * what lets a resumed import find what an earlier run created).
 */
import { readerFor } from '../ent/apps/registry'

/** Folder of an ENT application in the import folder, as its reader names it; unknown apps keep the archive's folder name. */
export function appLabel(app: string, archiveFolder: string | null): string {
  return readerFor(app)?.cozyFolder ?? safeName(archiveFolder ?? app, app || 'Application')
}

/**
 * Longest name kept, in UTF-8 bytes: the file systems behind the stack cap names at 255 bytes,
 * and the registry may still add " (9999)" to tell two names apart.
 */
export const MAX_NAME_BYTES = 240

const encoder = new TextEncoder()

export function utf8Bytes(text: string): number {
  return encoder.encode(text).byteLength
}

/** The longest start of `text` within `maxBytes` UTF-8 bytes, cut between graphemes (never inside an accent or an emoji). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text
  let out = ''
  let bytes = 0
  for (const segment of graphemes(text)) {
    const size = utf8Bytes(segment)
    if (bytes + size > maxBytes) break
    out += segment
    bytes += size
  }
  return out
}

type GraphemeSegmenter = new (locale: undefined, options: { granularity: 'grapheme' }) => { segment(text: string): Iterable<{ segment: string }> }

/** User-perceived characters (Intl.Segmenter, in Node and every browser Cozy supports), else code points. */
function graphemes(text: string): string[] {
  const Segmenter = (Intl as unknown as { Segmenter?: GraphemeSegmenter }).Segmenter
  return Segmenter ? Array.from(new Segmenter(undefined, { granularity: 'grapheme' }).segment(text), s => s.segment) : Array.from(text)
}

/**
 * A name the VFS accepts (vfs.checkFileName: no `/`, NUL, CR, LF; not `.` or `..`), with
 * other control characters and surrounding spaces removed, NFC, and a bounded length that
 * keeps the extension.
 */
export function safeName(name: string | null | undefined, fallback: string): string {
  let out = (name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (out === '' || out === '.' || out === '..') out = fallback
  if (out.startsWith('.')) out = `_${out.slice(1)}`
  return capName(out, MAX_NAME_BYTES)
}

/** A name within `maxBytes`, its extension kept when it is a short one. */
function capName(name: string, maxBytes: number): string {
  if (utf8Bytes(name) <= maxBytes) return name
  const { base, ext } = splitExtension(name)
  return ext.length < 16 ? truncateUtf8(base, maxBytes - utf8Bytes(ext)).trimEnd() + ext : truncateUtf8(name, maxBytes)
}

export function splitExtension(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || dot === name.length - 1) return { base: name, ext: '' }
  return { base: name.slice(0, dot), ext: name.slice(dot) }
}

/** Name with an extension added when it does not already end with it. */
export function withExtension(name: string, ext: string): string {
  return name.toLowerCase().endsWith(ext.toLowerCase()) ? name : `${name}${ext}`
}

/**
 * Hands out unique names per folder: the first "Billet" stays "Billet", the next ones become
 * "Billet (2)", "Billet (3)"… in the order items are planned. Comparison ignores case, so
 * the result also suits case-insensitive file systems on the user's devices.
 */
export class NameRegistry {
  /** Folder → lower-cased names handed out → the ENT name each was made from. */
  private readonly taken = new Map<string, Map<string, string>>()

  /**
   * A free name for `wanted` in `folder`. `original` is the ENT's own name, when it differs:
   * `clash` then tells the caller that another, different ENT name had become the same name
   * here (NFC and NFD forms, case, characters the VFS refuses), so the report can say why.
   */
  claim(folder: string, wanted: string, original: string = wanted): string {
    return this.claimWithClash(folder, wanted, original).name
  }

  claimWithClash(folder: string, wanted: string, original: string = wanted): { name: string; clash: string | null } {
    let names = this.taken.get(folder)
    if (!names) {
      names = new Map()
      this.taken.set(folder, names)
    }
    const { base, ext } = splitExtension(wanted)
    let candidate = wanted
    const first = names.get(wanted.toLowerCase())
    for (let n = 2; names.has(candidate.toLowerCase()); n++) candidate = `${capName(base, 255 - utf8Bytes(` (${n})${ext}`))} (${n})${ext}`
    names.set(candidate.toLowerCase(), original)
    return { name: candidate, clash: first !== undefined && first !== original ? first : null }
  }
}

/** `2026-04-01` for the import folder of an export made that day (UTC). */
export function exportDateName(exportedAt: Date | null, fallback: Date): string {
  return (exportedAt ?? fallback).toISOString().slice(0, 10)
}

/** File name without the `_<uuid>` the ENT adds to `Documents/` copies. */
export function withoutDocumentId(fileName: string): string {
  return fileName.replace(/_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\.[^.]*$|$)/i, '')
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? path : path.slice(slash + 1)
}
