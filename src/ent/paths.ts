/** Small path and name helpers shared by the readers. */

/** Compares folder names the way people would: NFC, accents stripped, case and spaces folded. */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

export function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}

/** `<name>_<uuid><.ext>` (the exporter's Documents/ naming) → `{name, documentId}`. */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const SUFFIXED = new RegExp(`^(.*)_(${UUID})(\\.[^.]*)?$`, 'i')
const PREFIXED = new RegExp(`^(${UUID})_(.*)$`, 'i')

export function splitDocumentFileName(fileName: string): { name: string; documentId: string } | null {
  let m = SUFFIXED.exec(fileName)
  if (m) return { name: `${m[1]}${m[3] ?? ''}`, documentId: m[2].toLowerCase() }
  m = PREFIXED.exec(fileName)
  if (m) return { name: m[2], documentId: m[1].toLowerCase() }
  return null
}

/** Every workspace document id a JSON value points to through `/workspace/document/<uuid>`. */
const DOCUMENT_URL = new RegExp(`/workspace/document/(${UUID})`, 'gi')

export function documentIdsIn(value: unknown): string[] {
  const found = new Set<string>()
  // An explicit stack: a record's depth must never decide whether it can be read.
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const v = pending.pop()
    if (typeof v === 'string') {
      if (v.includes('/workspace/document/')) for (const m of v.matchAll(DOCUMENT_URL)) found.add(m[1].toLowerCase())
    } else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) pending.push(v[i])
    else if (v && typeof v === 'object') pending.push(...Object.values(v).reverse())
  }
  return [...found]
}

/** The exporter's `replaceForbiddenCharacters`: `\ / * " < > : ? |` become `_`. */
export function replaceForbiddenCharacters(name: string): string {
  return name.replace(/[\\/*"<>:?|]/g, '_')
}
