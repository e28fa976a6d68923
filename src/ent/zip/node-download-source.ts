/**
 * Node-only: a remote archive copied to a local file while it is being read, so that an import
 * from a Cozy starts at once instead of after the whole download. One request streams the
 * archive to the copy in order; a read of bytes already copied is served from the copy, a read
 * that starts at most WAIT_AHEAD_BYTES past the copied part waits for the copy to reach it, and
 * any other read (the central directory at the end, an entry far ahead) goes by its own Range
 * request, as `httpRangeSource` does. Once the copy is complete no request is made any more. A
 * download that fails half-way only means that the rest is read by Range requests.
 */
import { IncomingMessage } from 'http'
import { open, type FileHandle } from 'fs/promises'
import { EntArchiveError, errorMessage } from '../errors'
import { readAt } from './node-file-source'
import { asBytes } from './node-platform'
import { HttpSourceOptions, httpRangeSource, rangeRequest } from './node-http-source'
import { ArchiveSource, STREAM_CHUNK_BYTES } from './source'

/** Waiting for the copy beats a request of its own this far ahead of it (a few tens of ms of download). */
export const WAIT_AHEAD_BYTES = 8 * 1024 * 1024

export interface DownloadProgress {
  /** Bytes of the archive written to the copy so far, from its start. */
  copied: number
  /** The download's failure, once it stopped before the end; reads then go by Range requests. */
  failure: Error | null
}

/** What the copy holds, and who waits for more of it. */
class CopyState {
  copied = 0
  finished = false
  failure: Error | null = null
  private waiters: Array<() => void> = []

  advance(bytes: number): void {
    this.copied += bytes
    this.wake()
  }

  finish(failure: Error | null): void {
    this.finished = true
    this.failure = failure
    this.wake()
  }

  /** Resolves once `end` bytes are copied or the download stopped. */
  async reach(end: number): Promise<void> {
    while (this.copied < end && !this.finished) await new Promise<void>(resolve => this.waiters.push(resolve))
  }

  private wake(): void {
    const waiting = this.waiters
    this.waiters = []
    for (const resolve of waiting) resolve()
  }
}

/** Streams the whole archive into the copy; resolves when it ended, whichever way. */
async function copyAll(response: IncomingMessage, handle: FileHandle, state: CopyState, size: number): Promise<void> {
  try {
    for await (const chunk of response) {
      const bytes = asBytes(chunk as Buffer)
      const room = size - state.copied
      const part = bytes.length > room ? bytes.subarray(0, room) : bytes
      let written = 0
      while (written < part.length) written += (await handle.write(part, written, part.length - written, state.copied + written)).bytesWritten
      state.advance(part.length)
      if (state.copied >= size) break
    }
    state.finish(state.copied >= size ? null : new EntArchiveError('io', `the download ended early (${state.copied} of ${size} bytes)`))
  } catch (err) {
    state.finish(err instanceof Error ? err : new Error(String(err)))
  } finally {
    response.destroy()
  }
}

/**
 * Opens `address` (a URL honouring Range, e.g. a Cozy's `/files/download/:id`) and copies it to
 * `copyPath`, a new file (refused when it exists). The copy is left in place at close; removing
 * it is the caller's job (it chose where it goes).
 */
export async function downloadingSource(address: string, copyPath: string, options: HttpSourceOptions = {}): Promise<ArchiveSource & { progress(): DownloadProgress }> {
  const url = new URL(address)
  const remote = await httpRangeSource(address, options)
  const size = remote.size
  let handle: FileHandle
  try {
    handle = await open(copyPath, 'wx+', 0o600)
  } catch (err) {
    throw new EntArchiveError('io', `Cannot create the copy ${copyPath}: ${errorMessage(err)}`)
  }
  const state = new CopyState()
  let response: IncomingMessage | null = null
  let closed = false
  const copying: Promise<void> = rangeRequest(url, options, 0, size - 1).then(
    res => {
      response = res
      if (!closed) return copyAll(res, handle, state, size)
      res.destroy()
    },
    err => state.finish(err instanceof Error ? err : new Error(String(err)))
  )

  /** Whether [offset, end) is, or is about to be, in the copy. */
  const local = async (offset: number, end: number): Promise<boolean> => {
    if (end <= state.copied) return true
    if (state.finished || offset > state.copied + WAIT_AHEAD_BYTES) return false
    await state.reach(end)
    return end <= state.copied
  }

  async function* followCopy(offset: number, end: number): AsyncIterable<Uint8Array> {
    let position = offset
    while (position < end) {
      await state.reach(Math.min(end, position + 1))
      if (state.copied <= position) {
        // The download stopped before this point: the rest by a Range request.
        yield* remote.stream(position, end - position)
        return
      }
      const bytes = await readAt(handle, position, Math.min(STREAM_CHUNK_BYTES, state.copied - position, end - position))
      if (bytes.length === 0) throw new EntArchiveError('io', `The copy of ${remote.description} could not be read at ${position}.`)
      position += bytes.length
      yield bytes
    }
  }

  return {
    size,
    description: remote.description,
    progress: () => ({ copied: state.copied, failure: state.failure }),
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset))
      if (want === 0) return new Uint8Array(0)
      return (await local(offset, offset + want)) ? readAt(handle, offset, want) : remote.read(offset, want)
    },
    async *stream(offset, length) {
      const end = offset + Math.max(0, Math.min(length, size - offset))
      if (end <= offset) return
      // followCopy reads what the copy holds and sends the rest by Range once the download stopped.
      if (offset <= state.copied + WAIT_AHEAD_BYTES) yield* followCopy(offset, end)
      else yield* remote.stream(offset, end - offset)
    },
    async close() {
      closed = true
      ;(response as IncomingMessage | null)?.destroy()
      if (!state.finished) state.finish(new EntArchiveError('io', 'closed'))
      await copying
      await handle.close()
      await remote.close()
    }
  }
}
