/** CouchDB bookmarks are opaque: the stand-in's carry the number of documents to skip. */
export function encodeBookmark(skip: number): string {
  return Buffer.from(JSON.stringify({ skip })).toString('base64url')
}

export function decodeBookmark(bookmark: unknown): number {
  if (typeof bookmark !== 'string' || bookmark === '' || bookmark === 'nil') return 0
  try {
    const v = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8')) as { skip?: unknown }
    return typeof v.skip === 'number' && v.skip >= 0 ? v.skip : 0
  } catch {
    return 0
  }
}
