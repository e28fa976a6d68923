/**
 * The exporting user's display name, found in a few small JSON records: ENT apps store the
 * owner or author of each resource with its name (`owner: {userId, displayName}`,
 * `author: {userId, username}`, or `owner` + `ownerName` side by side). Only small records are
 * opened (a few at once, looked at smallest first), so the preview stays cheap whatever the archive's size.
 */
import type { EntArchive } from '../../../ent'

/** Records larger than this are not opened for a name. */
export const NAME_RECORD_MAX_BYTES = 64 * 1024
/** At most this many records are opened. */
export const NAME_RECORDS_TRIED = 8

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)

/** Looks through one parsed record (a few levels deep) for the user's name. */
export function nameInRecord(value: unknown, userId: string, depth = 0): string | null {
  if (depth > 4) return null
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) {
      const found = nameInRecord(item, userId, depth + 1)
      if (found) return found
    }
    return null
  }
  if (!isObject(value)) return null
  if (value.userId === userId || value.id === userId) {
    const name = text(value.displayName) ?? text(value.username) ?? text(value.name)
    if (name) return name
  }
  if (value.owner === userId && text(value.ownerName)) return text(value.ownerName)
  if (value.author === userId && text(value.authorName)) return text(value.authorName)
  for (const key of ['owner', 'author', 'user']) {
    const found = isObject(value[key]) ? nameInRecord(value[key], userId, depth + 1) : null
    if (found) return found
  }
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) {
      const found = nameInRecord(child, userId, depth + 1)
      if (found) return found
    }
  }
  return null
}

/** The user's name from the smallest JSON-looking records of the known apps, or null. */
export async function findUserName(archive: EntArchive): Promise<string | null> {
  const userId = archive.userId
  if (!userId) return null
  const candidates = archive.apps
    .filter(app => app.known && app.folder)
    .flatMap(app => {
      const view = archive.folder(app.folder as string)
      const reader = archive.reader(app.app)
      const isBinary = reader?.isBinary ?? ((rel: string) => rel.startsWith('Documents/'))
      return (view?.files ?? []).filter(f => !isBinary(f.rel) && f.file.size > 0 && f.file.size <= NAME_RECORD_MAX_BYTES)
    })
    .sort((a, b) => a.file.size - b.file.size)
    .slice(0, NAME_RECORDS_TRIED)
  // Read a few at once, looked at in order: the same record wins as when read one by one.
  for (const wave of waves(candidates.map(c => c.file))) {
    const reads = wave.map(file =>
      Promise.resolve()
        .then(() => archive.readFile(file, NAME_RECORD_MAX_BYTES))
        .then(parsedRecord, () => undefined)
    )
    for (const read of reads) {
      const found = nameInRecord(await read, userId)
      if (found) return found
    }
  }
  return null
}

/**
 * The two smallest records are read one by one (the name is usually there, and a record read
 * for nothing costs a request), the rest at the same time: one round trip instead of six.
 */
function waves<T>(files: T[]): T[][] {
  return [files.slice(0, 1), files.slice(1, 2), files.slice(2)].filter(wave => wave.length > 0)
}

/** A record's JSON, or undefined when it is not JSON (the name is a nicety: the next record is tried). */
function parsedRecord(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown
  } catch {
    return undefined
  }
}
