/**
 * What decompression and checksums run on. The browser default uses the standard
 * DecompressionStream; the Node entry point (src/ent/node.ts) swaps in zlib, which is faster.
 */
import { crc32 } from './crc32'

/** Turns a raw-deflate byte stream into the inflated byte stream. */
export type InflateRaw = (compressed: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>

export interface ZipPlatform {
  inflateRaw: InflateRaw
  /**
   * Optional one-shot inflate for small entries (Node's zlib), refusing output above
   * `maxOutput` bytes; saves the stream machinery for the many small JSON records.
   */
  inflateRawSync?: (compressed: Uint8Array, maxOutput: number) => Uint8Array
  crc32: (data: Uint8Array, previous: number) => number
}

export async function* webInflateRaw(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const stream = new DecompressionStream('deflate-raw')
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  let pumpError: unknown
  const pump = (async () => {
    try {
      for await (const chunk of compressed) await writer.write(chunk as Uint8Array<ArrayBuffer>)
      await writer.close()
    } catch (err) {
      pumpError = err
      await writer.abort(err).catch(() => undefined)
    }
  })()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      yield value
    }
    await pump
    if (pumpError) throw pumpError
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

export const webPlatform: ZipPlatform = { inflateRaw: webInflateRaw, crc32 }
