/**
 * Random access to the bytes of an archive, whatever holds them: a file on disk (Node), a file
 * stored in a Cozy read through HTTP Range requests (Node), or a File/Blob (browser). The zip
 * reader only ever asks for byte ranges, so an archive is never loaded whole.
 */
export interface ArchiveSource {
  /** Total size in bytes. */
  readonly size: number
  /** Human-readable origin (file name or URL without credentials), for messages. */
  readonly description: string
  /** Exactly `length` bytes starting at `offset` (fewer only past the end of the source). */
  read(offset: number, length: number): Promise<Uint8Array>
  /** The same bytes as a stream of chunks, for large ranges (entry data). */
  stream(offset: number, length: number): AsyncIterable<Uint8Array>
  /** Releases the file handle or connection; the source is unusable afterwards. */
  close(): Promise<void>
}

/** Default chunk size when a source streams a range by repeated reads. */
export const STREAM_CHUNK_BYTES = 1024 * 1024

/** `stream` for sources that can only `read`: consecutive reads of at most `chunk` bytes. */
export async function* streamByReads(
  source: Pick<ArchiveSource, 'read'>,
  offset: number,
  length: number,
  chunk = STREAM_CHUNK_BYTES
): AsyncIterable<Uint8Array> {
  let position = offset
  const end = offset + length
  while (position < end) {
    const bytes = await source.read(position, Math.min(chunk, end - position))
    if (bytes.length === 0) return
    position += bytes.length
    yield bytes
  }
}

/** An in-memory source, for small archives built in tests and for the browser's tiny files. */
export function bytesSource(bytes: Uint8Array, description = 'memory'): ArchiveSource {
  return {
    size: bytes.length,
    description,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    stream: (offset, length) => streamByReads({ read: async (o, l) => bytes.subarray(o, Math.min(bytes.length, o + l)) }, offset, length),
    close: async () => undefined
  }
}
