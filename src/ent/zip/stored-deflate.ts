/**
 * The ENT's Java exporter deflates at level 0: its "compressed" data is a series of stored
 * deflate blocks (header, LEN, NLEN, raw bytes). Reading those blocks directly hands out
 * views of the archive's own bytes, with no decompressor and no copy. Any other block type
 * (a repacked archive, another zipper) falls back to the platform's inflater.
 */
import { ZipEntry } from './entry'
import { ZipPlatform } from './platform'
import { ArchiveSource } from './source'

/** Thrown when the stream holds something other than stored blocks. */
class NotStoredBlocks extends Error {}

async function* storedBlocks(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let pending: Uint8Array = new Uint8Array(0)
  let remaining = 0
  let final = false
  for await (const chunk of compressed) {
    let buffer = chunk
    if (pending.length > 0) {
      buffer = new Uint8Array(pending.length + chunk.length)
      buffer.set(pending)
      buffer.set(chunk, pending.length)
    }
    let at = 0
    while (at < buffer.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, buffer.length - at)
        yield buffer.subarray(at, at + take)
        at += take
        remaining -= take
        continue
      }
      if (final) {
        at = buffer.length // bytes after the last block are not data
        break
      }
      if (buffer.length - at < 5) break
      const header = buffer[at]
      // BTYPE (bits 1-2) must be 00; the rest of the byte is padding to the byte boundary.
      if ((header & 0x06) !== 0) throw new NotStoredBlocks()
      const length = buffer[at + 1] | (buffer[at + 2] << 8)
      const inverse = buffer[at + 3] | (buffer[at + 4] << 8)
      if ((length ^ 0xffff) !== inverse) throw new NotStoredBlocks()
      final = (header & 0x01) === 1
      remaining = length
      at += 5
    }
    pending = buffer.subarray(at)
  }
  if (!final || remaining > 0) throw new NotStoredBlocks()
}

/**
 * An entry's deflated data, inflated: stored blocks read directly, anything else through
 * `platform.inflateRaw`, restarted from the entry's start if the stream changes block type
 * midway (what was already produced is skipped, not produced twice).
 */
export async function* inflateEntry(source: ArchiveSource, dataStart: number, entry: ZipEntry, platform: ZipPlatform): AsyncIterable<Uint8Array> {
  let produced = 0
  try {
    for await (const chunk of storedBlocks(source.stream(dataStart, entry.compressedSize))) {
      produced += chunk.length
      yield chunk
    }
    return
  } catch (err) {
    if (!(err instanceof NotStoredBlocks)) throw err
  }
  let skip = produced
  for await (const chunk of platform.inflateRaw(source.stream(dataStart, entry.compressedSize))) {
    if (skip >= chunk.length) {
      skip -= chunk.length
      continue
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk
    skip = 0
  }
}
