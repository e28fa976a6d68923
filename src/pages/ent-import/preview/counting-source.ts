/**
 * Wraps an archive source to count the bytes actually read from it, so the preview (and its
 * benchmark) can prove it reads the central directory and a few small entries, not the file.
 */
import type { ArchiveSource } from '../../../ent'

export interface CountingSource extends ArchiveSource {
  /** Bytes handed out by `read` and `stream` so far. */
  bytesRead(): number
}

export function countingSource(inner: ArchiveSource): CountingSource {
  let total = 0
  return {
    size: inner.size,
    description: inner.description,
    async read(offset, length) {
      const bytes = await inner.read(offset, length)
      total += bytes.length
      return bytes
    },
    async *stream(offset, length) {
      for await (const chunk of inner.stream(offset, length)) {
        total += chunk.length
        yield chunk
      }
    },
    close: () => inner.close(),
    bytesRead: () => total
  }
}
