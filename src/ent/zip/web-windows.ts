/**
 * Browser: the reads zip.js asks of an ArchiveSource, widened and kept. zip.js reads each
 * entry's local header, then its name, then its data; small reads are widened to
 * MIN_READ_BYTES so that one read brings all three for a small JSON record, and a few windows
 * are kept so that several small entries read at once do not evict each other.
 */
import { ArchiveSource } from './source'

/**
 * Small reads (a local header, then its name) are widened to this, so one request brings both,
 * and with them the data of most small JSON records (the Manifest, the records the preview opens).
 */
const MIN_READ_BYTES = 4096

/** Windows kept: one per small entry read at the same time (the preview reads a few at once). */
const WINDOWS_KEPT = 9

export interface Window {
  start: number
  bytes: Uint8Array
}

export class SourceWindows {
  private windows: Window[] = []

  constructor(readonly source: ArchiveSource) {}

  /** Bytes [index, end) of the source, from a kept window or a new (widened) read. */
  async read(index: number, end: number, fresh: () => Promise<Window> = () => this.plain(index, end)): Promise<Uint8Array> {
    let window = this.windows.find(w => index >= w.start && end <= w.start + w.bytes.length)
    if (!window) {
      window = await fresh()
      this.keep(window)
    }
    return window.bytes.subarray(index - window.start, end - window.start)
  }

  keep(window: Window): void {
    if (this.windows.length >= WINDOWS_KEPT) this.windows.shift()
    this.windows.push(window)
  }

  /** Once the directory is listed, its bytes are no longer needed here. */
  forget(): void {
    this.windows = []
  }

  plain(index: number, end: number): Promise<Window> {
    const source = this.source
    return source.read(index, Math.max(end - index, Math.min(MIN_READ_BYTES, source.size - index))).then(bytes => ({ start: index, bytes }))
  }
}
