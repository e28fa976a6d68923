/** Node-only: an archive on the local disk, read by ranges through one file handle. */
import { createReadStream } from 'fs'
import { open, type FileHandle } from 'fs/promises'
import { EntArchiveError, errorMessage } from '../errors'
import { asBytes } from './node-platform'
import { ArchiveSource } from './source'

/** `length` bytes at `offset` of an open file, fewer only where the file ends. */
export async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}

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
    read: (offset, length) => readAt(fd, offset, Math.max(0, Math.min(length, stats.size - offset))),
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
