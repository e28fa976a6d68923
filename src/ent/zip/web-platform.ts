/**
 * Browser: zips are read by @zip.js/zip.js through a zip.js Reader over the ArchiveSource (a
 * File or Blob, or Range requests to the Drive), so only the end records, the central
 * directory and the entries asked for are read, never the whole file. Names are taken raw
 * (`rawFilename`) and decoded by the project's own rule (names.ts), like on the Node side.
 * zip.js checks each entry's CRC (`checkSignature`) and uncompressed size; no web workers
 * (`useWebWorkers: false`): entries are small JSON records, inflated by DecompressionStream.
 *
 * zip.js is loaded on first use, not when this module loads: the Node side (which re-exports
 * the browser entry point but reads zips with yauzl) then never pays for it (under tsx, loading
 * it cost 60 MB). In the browser bundle it is part of the main chunk (`webpackMode: "eager"`).
 */
import type { Entry, FileEntry, Reader } from '@zip.js/zip.js'
import { EntArchiveError, errorMessage } from '../errors'
import { tooMuchData } from './entry-reader'
import { ListedEntry, OpenedZip, ZipPlatform } from './platform'
import { ArchiveSource } from './source'

const READ_OPTIONS = { useWebWorkers: false, checkSignature: true } as const

/**
 * Small reads (a local header, then its name) are widened to this, so one request brings both,
 * and with them the data of most small JSON records (the Manifest, the records the preview opens).
 */
const MIN_READ_BYTES = 4096

/** Windows kept: one per small entry read at the same time (the preview reads a few at once). */
const WINDOWS_KEPT = 9

type ZipJs = typeof import('@zip.js/zip.js')
let zipJs: Promise<ZipJs> | null = null
const loadZipJs = (): Promise<ZipJs> => (zipJs ??= import(/* webpackMode: "eager" */ '@zip.js/zip.js'))

/**
 * zip.js's Reader over an ArchiveSource. zip.js reads the end of the file to find the end
 * record, then the directory (probing its start first), then per entry its local header, name
 * and data. Its first read brings the directory too (endWindow), so listing costs two reads
 * (for the Drive, two requests) instead of four; the reads after it are kept as a few windows,
 * so that a header's name and a small entry's data cost no second read, even when several
 * small entries are read at once.
 */
function sourceReader(zip: ZipJs, source: ArchiveSource): Reader<ArchiveSource> & { listed(): void } {
  class SourceReader extends zip.Reader<ArchiveSource> {
    private windows: Window[] = []
    private first = true

    override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
      const end = Math.min(index + length, source.size)
      let window = this.windows.find(w => index >= w.start && end <= w.start + w.bytes.length)
      if (!window) {
        window = this.first ? await endWindow(source, index, end) : await plainWindow(source, index, end)
        this.first = false
        if (this.windows.length >= WINDOWS_KEPT) this.windows.shift()
        this.windows.push(window)
      }
      return window.bytes.subarray(index - window.start, end - window.start)
    }

    /** Once zip.js has listed the entries, the directory's bytes are no longer needed. */
    listed(): void {
      this.windows = []
    }
  }
  const reader = new SourceReader(source)
  reader.size = source.size
  return reader
}

function plainWindow(source: ArchiveSource, index: number, end: number): Promise<Window> {
  return source.read(index, Math.max(end - index, Math.min(MIN_READ_BYTES, source.size - index))).then(bytes => ({ start: index, bytes }))
}

/** zip.js looks for the end record in the last 64 KiB (plus the record itself). */
const END_SEARCH_BYTES = 65_536 + 22
/** A directory larger than this is left for zip.js to read itself. */
const MAX_PREFETCH_BYTES = 64 * 1024 * 1024
const END_SIGNATURE = 0x06054b50

interface Window {
  start: number
  bytes: Uint8Array
}

/**
 * The first window, for zip.js's first read (at the end of the file): the last 64 KiB, and
 * before them the central directory, whose offset the end record gives (APPNOTE 4.3.16), so
 * that zip.js's next reads (the directory's first bytes, then all of it) need no other read.
 * Anything unusual (no end record, zip64 markers, a directory too large) keeps the tail alone;
 * zip.js checks the structure either way.
 */
async function endWindow(source: ArchiveSource, index: number, end: number): Promise<Window> {
  const start = Math.max(0, source.size - END_SEARCH_BYTES)
  if (index < start) return plainWindow(source, index, end)
  const tail = await source.read(start, source.size - start)
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength)
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== END_SIGNATURE) continue
    const directoryOffset = view.getUint32(at + 16, true)
    const usable = view.getUint32(at + 12, true) !== 0xffffffff && directoryOffset < start && source.size - directoryOffset <= MAX_PREFETCH_BYTES
    if (!usable) break
    const bytes = new Uint8Array(source.size - directoryOffset)
    bytes.set(await source.read(directoryOffset, start - directoryOffset))
    bytes.set(tail, start - directoryOffset)
    return { start: directoryOffset, bytes }
  }
  return { start, bytes: tail }
}

/**
 * zip.js makes a TextDecoder for every name and every comment, and first scans each name for
 * UTF-8: for an export of 20,000 entries, a large part of its listing time. The project decodes
 * names itself from the raw bytes (names.ts) and never uses comments, so zip.js only needs a
 * name that ends with "/" for folders and tells names apart: one byte, one character (a
 * single-byte decoder made once) does. Naming an encoding turns zip.js's UTF-8 scan off.
 */
const byteDecoder = new TextDecoder('windows-1252')
const LIST_OPTIONS = {
  filenameValidation: 'tolerant',
  filenameEncoding: 'windows-1252',
  commentEncoding: 'windows-1252',
  decodeText: (value: Uint8Array, _encoding: string, type: 'filename' | 'comment'): string => (type === 'comment' ? '' : byteDecoder.decode(value))
} as const

const LOCAL_FILE_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]

/** zip.js's messages (its ERR_* constants), as one-line EntArchiveErrors. */
async function openError(err: unknown, source: ArchiveSource): Promise<EntArchiveError> {
  if (err instanceof EntArchiveError) return err
  const message = errorMessage(err)
  if (/End of central directory not found/.test(message)) {
    const head = await source.read(0, 4)
    if (LOCAL_FILE_SIGNATURE.every((b, i) => head[i] === b)) {
      return new EntArchiveError('truncated', 'The zip file is truncated: its end (the central directory) is missing, probably an incomplete download.')
    }
    return new EntArchiveError('not-a-zip', 'This file is not a zip archive.')
  }
  if (/Central directory header not found|Zip64 central directory locator not found|Entry data out of bounds/.test(message)) {
    return new EntArchiveError('truncated', 'The central directory of the zip is cut short or damaged: the archive is truncated.')
  }
  if (/Split zip file/.test(message)) return new EntArchiveError('unsupported', 'This is a split (multi-part) zip archive; ENT exports are single files.')
  return new EntArchiveError('corrupt', `The zip structure is damaged: ${message}.`)
}

function entryError(err: unknown, name: string, size: number): EntArchiveError {
  if (err instanceof EntArchiveError) return err
  const message = errorMessage(err)
  if (/Invalid uncompressed size/.test(message)) return tooMuchData({ name, size })
  if (/Invalid CRC32/.test(message)) return new EntArchiveError('corrupt', `Entry "${name}" fails its CRC check: the archive is damaged.`)
  if (/Local file header not found/.test(message)) return new EntArchiveError('corrupt', `Entry "${name}": its local header is missing or damaged.`)
  if (/Entry data out of bounds/.test(message)) return new EntArchiveError('truncated', `Entry "${name}" runs past the end of the archive: the archive is truncated.`)
  if (/Compression method not supported/.test(message)) return new EntArchiveError('unsupported', `Entry "${name}" uses a compression method ENT exports never use.`)
  if (/encrypt/i.test(message)) return new EntArchiveError('encrypted', `Entry "${name}" is encrypted.`)
  return new EntArchiveError('corrupt', `Entry "${name}" cannot be decompressed: ${message}.`)
}

async function* readEntry(entry: FileEntry, name: string): AsyncIterable<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
  let failure: unknown = null
  const writing = entry.getData(writable, READ_OPTIONS).catch((err: unknown) => {
    failure = err
  })
  const reader = readable.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      yield value
    }
    await writing
  } catch (err) {
    throw entryError(err, name, entry.uncompressedSize)
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  if (failure !== null) throw entryError(failure, name, entry.uncompressedSize)
}

function listed(entry: Entry): ListedEntry {
  return {
    rawName: entry.rawFilename,
    utf8Flag: entry.filenameUTF8,
    encrypted: entry.encrypted,
    method: entry.compressionMethod,
    crc32: entry.signature ?? 0,
    compressedSize: entry.compressedSize,
    size: entry.uncompressedSize,
    localHeaderOffset: entry.offset,
    modified: entry.lastModDate
  }
}

async function openZip(source: ArchiveSource): Promise<OpenedZip> {
  const zipJs = await loadZipJs()
  const reader = sourceReader(zipJs, source)
  const zip = new zipJs.ZipReader(reader, READ_OPTIONS)
  let entries: Entry[]
  try {
    // The project checks names itself (names.ts): zip.js must list hostile ones, not refuse the archive.
    entries = await zip.getEntries(LIST_OPTIONS)
  } catch (err) {
    throw await openError(err, source)
  } finally {
    reader.listed()
  }
  // zip.js reads an entry through its own Entry object: found again by where the entry starts.
  let byOffset: Map<number, Entry> | null = null
  return {
    entryCount: entries.length,
    async *entries() {
      for (const entry of entries) yield listed(entry)
    },
    read(location, name) {
      if (!byOffset) {
        byOffset = new Map()
        for (const e of entries) if (!byOffset.has(e.offset)) byOffset.set(e.offset, e)
      }
      const entry = byOffset.get(location.localHeaderOffset)
      if (!entry || entry.directory) return (async function* () {})()
      return readEntry(entry, name)
    }
  }
}

export const webPlatform: ZipPlatform = { library: '@zip.js/zip.js', open: openZip }
