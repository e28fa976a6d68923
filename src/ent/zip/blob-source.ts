/**
 * Browser source: a File or Blob (what a file input or a drop gives). Only slices are read,
 * so previewing a multi-GB archive reads its central directory and a few small entries.
 */
import { ArchiveSource } from './source'

export function blobSource(blob: Blob, description = (blob as Partial<File>).name ?? 'blob'): ArchiveSource {
  const read = async (offset: number, length: number): Promise<Uint8Array> =>
    new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + length)).arrayBuffer())
  return {
    size: blob.size,
    description,
    read,
    stream: (offset, length) => streamBlob(blob.slice(offset, Math.min(blob.size, offset + length))),
    close: async () => undefined
  }
}

async function* streamBlob(slice: Blob): AsyncIterable<Uint8Array> {
  const reader = slice.stream().getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}
