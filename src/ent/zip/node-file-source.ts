/** Node-only: an archive on the local disk, read by ranges through one file handle. */
import { createReadStream } from 'fs'
import { open } from 'fs/promises'
import { EntArchiveError, errorMessage } from '../errors'
import { asBytes } from './node-platform'
import { ArchiveSource } from './source'

export async function fileSource(path: string): Promise<ArchiveSource> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    throw new EntArchiveError('io', `Cannot open ${path}: ${errorMessage(err)}`)
  }
  const stats = await handle.stat()
  if (!stats.isFile()) {
    await handle.close()
    throw new EntArchiveError('io', `${path} is not a regular file.`)
  }
  const fd = handle
  return {
    size: stats.size,
    description: path,
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, stats.size - offset))
      const buffer = new Uint8Array(want)
      let filled = 0
      while (filled < want) {
        const { bytesRead } = await fd.read(buffer, filled, want - filled, offset + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return buffer.subarray(0, filled)
    },
    async *stream(offset, length) {
      if (length <= 0) return
      const stream = createReadStream(path, { start: offset, end: offset + length - 1, highWaterMark: 1024 * 1024 })
      try {
        for await (const chunk of stream) yield asBytes(chunk as Buffer)
      } finally {
        stream.destroy()
      }
    },
    close: () => fd.close()
  }
}
