/**
 * Browser: zips are read by @zip.js/zip.js through a zip.js Reader over the ArchiveSource (a
 * File or Blob, or Range requests to the Drive), so only the end records, the central
 * directory and the entries asked for are read, never the whole file. A plainly laid-out
 * directory is listed from its bytes (web-directory.ts: zip.js's listing was most of the
 * preview's time) and each entry is then read by zip.js over a one-record zip of its own bytes; any other
 * layout is listed by zip.js itself. Names are taken raw
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
import { EntryLocation, ListedEntry, OpenedZip, ZipPlatform } from './platform'
import { ArchiveSource } from './source'
import { directoryBounds, listedEntries, oneRecordTail, recordStarts } from './web-directory'
import { SourceWindows, Window } from './web-windows'

const READ_OPTIONS = { useWebWorkers: false, checkSignature: true } as const

type ZipJs = typeof import('@zip.js/zip.js')
let zipJs: Promise<ZipJs> | null = null
export const loadZipJs = (): Promise<ZipJs> => (zipJs ??= import(/* webpackMode: "eager" */ '@zip.js/zip.js'))

/**
 * zip.js's Reader over an ArchiveSource, for zip.js's own listing (archives that are not laid
 * out plainly). zip.js reads the end of the file to find the end record, then the directory
 * (probing its start first), then per entry its local header, name and data. Its first read
 * brings the directory too (endWindow), so listing costs two reads (for the Drive, two
 * requests) instead of four.
 */
function sourceReader(zip: ZipJs, windows: SourceWindows): Reader<ArchiveSource> & { listed(): void } {
  const source = windows.source
  class SourceReader extends zip.Reader<ArchiveSource> {
    private first = true

    override readUint8Array(index: number, length: number): Promise<Uint8Array> {
      const end = Math.min(index + length, source.size)
      const first = this.first
      this.first = false
      return windows.read(index, end, () => (first ? endWindow(source, index, end) : windows.plain(index, end)))
    }

    listed(): void {
      windows.forget()
    }
  }
  const reader = new SourceReader(source)
  reader.size = source.size
  return reader
}

/** zip.js looks for the end record in the last 64 KiB (plus the record itself). */
const END_SEARCH_BYTES = 65_536 + 22
/** A directory larger than this is left for zip.js to read itself. */
const MAX_PREFETCH_BYTES = 64 * 1024 * 1024
const END_SIGNATURE = 0x06054b50

/**
 * The first window, for zip.js's first read (at the end of the file): the last 64 KiB, and
 * before them the central directory, whose offset the end record gives (APPNOTE 4.3.16), so
 * that zip.js's next reads (the directory's first bytes, then all of it) need no other read.
 * Anything unusual (no end record, zip64 markers, a directory too large) keeps the tail alone;
 * zip.js checks the structure either way.
 */
async function endWindow(source: ArchiveSource, index: number, end: number): Promise<Window> {
  const start = Math.max(0, source.size - END_SEARCH_BYTES)
  if (index < start) return { start: index, bytes: await source.read(index, end - index) }
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

/** zip.js's own listing, for archives not laid out plainly: it finds its way or says what is wrong. */
async function zipJsListing(zipJs: ZipJs, windows: SourceWindows): Promise<OpenedZip> {
  const reader = sourceReader(zipJs, windows)
  const zip = new zipJs.ZipReader(reader, READ_OPTIONS)
  let entries: Entry[]
  try {
    // The project checks names itself (names.ts): zip.js must list hostile ones, not refuse the archive.
    entries = await zip.getEntries(LIST_OPTIONS)
  } catch (err) {
    throw await openError(err, windows.source)
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

interface PlainDirectory {
  offset: number
  bytes: Uint8Array
  starts: Uint32Array
}

/**
 * The directory of a plainly laid-out zip (web-directory.ts), in two reads: the last 64 KiB
 * (the end records, and often the directory's end), then the rest of the directory. Null when
 * the layout is not the plain one, or the directory is larger than this reads at once.
 */
async function plainDirectory(source: ArchiveSource): Promise<PlainDirectory | null> {
  const tailStart = Math.max(0, source.size - END_SEARCH_BYTES)
  const tail = await source.read(tailStart, source.size - tailStart)
  const bounds = directoryBounds(tail, tailStart)
  if (!bounds || bounds.length > MAX_PREFETCH_BYTES || bounds.offset + bounds.length > source.size) return null
  let bytes: Uint8Array
  if (bounds.offset >= tailStart) bytes = tail.subarray(bounds.offset - tailStart, bounds.offset - tailStart + bounds.length)
  else {
    bytes = new Uint8Array(bounds.length)
    bytes.set(await source.read(bounds.offset, tailStart - bounds.offset))
    bytes.set(tail.subarray(0, bounds.offset + bounds.length - tailStart), tailStart - bounds.offset)
  }
  const starts = recordStarts(bytes, bounds.count)
  return starts ? { offset: bounds.offset, bytes, starts } : null
}

/**
 * zip.js's Reader over the one-record zip of an entry: the entry's own bytes in the archive
 * (`start`, `length`: its local header, data and data descriptor), then `tail`
 * (oneRecordTail). Small, so zip.js's search for the end record covers little more than the
 * entry, which it reads next anyway: one source read (widened, kept) serves both.
 */
function oneRecordReader(zip: ZipJs, windows: SourceWindows, start: number, length: number, tail: Uint8Array): Reader<Uint8Array> {
  class OneRecordReader extends zip.Reader<Uint8Array> {
    override async readUint8Array(index: number, size: number): Promise<Uint8Array> {
      const end = Math.min(index + size, this.size)
      if (end <= length) return windows.read(start + index, start + end)
      if (index >= length) return tail.subarray(index - length, end - length)
      const bytes = new Uint8Array(end - index)
      bytes.set(await windows.read(start + index, start + length))
      bytes.set(tail.subarray(0, end - length), length - index)
      return bytes
    }
  }
  const reader = new OneRecordReader(tail)
  reader.size = length + tail.length
  return reader
}

async function* readOneRecord(zipJs: ZipJs, windows: SourceWindows, directory: PlainDirectory, at: number, region: { start: number; length: number }, location: EntryLocation, name: string): AsyncIterable<Uint8Array> {
  const reader = oneRecordReader(zipJs, windows, region.start, region.length, oneRecordTail(directory.bytes, at, region.length))
  let entries: Entry[]
  try {
    entries = await new zipJs.ZipReader(reader, READ_OPTIONS).getEntries(LIST_OPTIONS)
  } catch (err) {
    throw entryError(err, name, location.size)
  }
  const entry = entries[0]
  if (!entry || entry.directory) return
  yield* readEntry(entry, name)
}

/** A plainly laid-out zip: listed from its directory's bytes, each entry read by zip.js. */
function plainListing(zipJs: ZipJs, windows: SourceWindows, directory: PlainDirectory): OpenedZip {
  // Record of each entry, by where its data starts (what a read is given): the first one wins, as in zip.js's listing.
  const byOffset = new Map<number, number>()
  let starts: Float64Array | null = null
  /** An entry's bytes run up to the next entry's local header (or the directory). */
  const region = (start: number): { start: number; length: number } => {
    starts ??= Float64Array.from(byOffset.keys()).sort()
    let low = 0
    let high = starts.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (starts[middle] <= start) low = middle + 1
      else high = middle
    }
    return { start, length: (low < starts.length ? Math.min(starts[low], directory.offset) : directory.offset) - start }
  }
  return {
    entryCount: directory.starts.length,
    *entries() {
      let i = 0
      for (const entry of listedEntries(directory.bytes, directory.starts)) {
        if (!byOffset.has(entry.localHeaderOffset)) byOffset.set(entry.localHeaderOffset, directory.starts[i])
        i++
        yield entry
      }
    },
    read(location, name) {
      const at = byOffset.get(location.localHeaderOffset)
      if (at === undefined) return (async function* () {})()
      return readOneRecord(zipJs, windows, directory, at, region(location.localHeaderOffset), location, name)
    }
  }
}

async function openZip(source: ArchiveSource): Promise<OpenedZip> {
  const zipJs = await loadZipJs()
  const windows = new SourceWindows(source)
  const directory = source.size > 0 ? await plainDirectory(source) : null
  return directory ? plainListing(zipJs, windows, directory) : zipJsListing(zipJs, windows)
}

export const webPlatform: ZipPlatform = { library: '@zip.js/zip.js', open: openZip }
