/**
 * Browser source (fetch) for an archive already in the Drive: `GET /files/download/:id` with Range
 * headers (the stack serves ranges), so choosing a zip in the Drive previews it as cheaply as
 * a dropped file: only the central directory and a few small entries travel.
 */
import { EntArchiveError } from '../errors'
import { ArchiveSource, STREAM_CHUNK_BYTES } from './source'

/** Below this, one request fetches the whole range; above, the preview never needs more. */
const MAX_RANGE = 64 * 1024 * 1024

export type Fetch = (url: string, init: { headers: Record<string, string>; credentials?: RequestCredentials }) => Promise<Response>

async function readRange(fetcher: Fetch, url: string, headers: Record<string, string>, offset: number, length: number): Promise<Uint8Array> {
  if (length <= 0) return new Uint8Array(0)
  // The app token is bound to the session: the cookie must travel with it.
  const response = await fetcher(url, { headers: { ...headers, Range: `bytes=${offset}-${offset + length - 1}` }, credentials: 'include' })
  if (response.status !== 206 && response.status !== 200) {
    throw new EntArchiveError('io', `The archive could not be read from the Drive (HTTP ${response.status}).`)
  }
  const bytes = new Uint8Array(await response.arrayBuffer())
  // A server that ignores Range answers 200 with everything: keep only the asked part.
  return response.status === 200 ? bytes.subarray(offset, offset + length) : bytes.subarray(0, length)
}

/** A random-access source over `url`; `size` comes from the file's metadata. */
export function webHttpSource(url: string, size: number, authorization: string | null, description: string, fetcher: Fetch = (u, i) => fetch(u, i)): ArchiveSource {
  const headers: Record<string, string> = authorization ? { Authorization: authorization } : {}
  const read = (offset: number, length: number) => readRange(fetcher, url, headers, offset, Math.min(length, size - offset, MAX_RANGE))
  return {
    size,
    description,
    read,
    async *stream(offset, length) {
      const end = offset + length
      for (let position = offset; position < end; ) {
        const chunk = await read(position, Math.min(STREAM_CHUNK_BYTES, end - position))
        if (chunk.length === 0) return
        position += chunk.length
        yield chunk
      }
    },
    close: async () => undefined
  }
}
