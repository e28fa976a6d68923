/**
 * CouchDB bookmarks are opaque; CouchDB's own carry the index key and document id of the last
 * row of the page, and the next page starts strictly after them. The stand-in's do the same, so
 * a document created or changed before the cursor while a client pages never shifts the rows
 * and comes back twice (a skip count would).
 */
export interface Cursor {
  /** The last row's values of the index fields, in the index's order. */
  key: unknown[]
  /** Its document id: rows with equal keys are ordered by id, as in a CouchDB view. */
  id: string
  /**
   * Where the rows after it started in the range the next page reads (rows whose leading index
   * field is at least the cursor's): a hint that saves rereading long runs of equal keys,
   * checked before use.
   */
  at?: number
}

export function encodeBookmark(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ after: cursor })).toString('base64url')
}

/** The cursor of a bookmark, or null for the first page (CouchDB's "nil", absent, or unreadable). */
export function decodeBookmark(bookmark: unknown): Cursor | null {
  if (typeof bookmark !== 'string' || bookmark === '' || bookmark === 'nil') return null
  try {
    const v = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8')) as { after?: { key?: unknown; id?: unknown; at?: unknown } }
    const after = v.after
    if (!after || !Array.isArray(after.key) || typeof after.id !== 'string') return null
    const cursor: Cursor = { key: after.key, id: after.id }
    if (typeof after.at === 'number' && Number.isInteger(after.at) && after.at > 0) cursor.at = after.at
    return cursor
  } catch {
    return null
  }
}
