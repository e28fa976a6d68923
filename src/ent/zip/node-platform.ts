/**
 * Node-only: zips are read by yauzl (random access, streaming, ZIP64, data descriptors),
 * through `yauzl.fromRandomAccessReader` over the ArchiveSource, so files on disk and HTTP
 * Range URLs take the same path. yauzl is given `decodeStrings: false` (it would read names
 * without the UTF-8 flag as CP437, garbling the UTF-8 that ENT exports write) and
 * `validateEntrySizes: true`; it does not check CRCs, so entries are checked here with
 * zlib.crc32, and its inflater's 16 KiB chunks were too slow for multi-GB entries, so zlib
 * inflates yauzl's deflate stream here (see entryStream). Its errors become the project's
 * EntArchiveErrors.
 */
import { Readable } from 'stream'
import yauzl from 'yauzl'
import zlib from 'zlib'
import { EntArchiveError, errorMessage } from '../errors'
import { tooMuchData } from './entry-reader'
import { dosDate } from './dos-date'
import { EntryLocation, ListedEntry, OpenedZip, ZipPlatform } from './platform'
import { ArchiveSource } from './source'

/** A Buffer viewed as a plain Uint8Array (same memory). */
export function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** Bytes read at once while yauzl walks the central directory (it asks for 46 bytes, then the name…). */
const DIRECTORY_READ_AHEAD = 1024 * 1024
/** Bytes read at once for a local header: covers the header, the name and a small entry's data. */
const ENTRY_READ_AHEAD = 16 * 1024
/**
 * An entry whose data fits in this much is read with its local header in one read (one Range
 * request instead of two for an archive in the Cozy). The local header's own length is only
 * known once read: ENTRY_HEADER_ALLOWANCE covers its 30 bytes, the name and a usual extra
 * field; a longer one costs the second read it would have cost anyway.
 */
const ENTRY_WHOLE_READ_MAX = 1024 * 1024
const ENTRY_HEADER_ALLOWANCE = 4096
/** How much of the end of an archive is read first when looking for its end record. */
const END_PROBE_BYTES = 4096
const END_RECORD_BYTES = 22
const ZIP64_LOCATOR_BYTES = 20

/**
 * yauzl's RandomAccessReader over an ArchiveSource. yauzl reads the directory record by
 * record in small reads; a read-ahead window turns them into a few large ones (two or three
 * HTTP requests for a remote directory), and a small entry's header and data into one.
 */
class SourceReader extends yauzl.RandomAccessReader {
  private window: Uint8Array = new Uint8Array(0)
  private windowStart = 0
  readAhead = DIRECTORY_READ_AHEAD
  private endSearched = false

  constructor(private readonly source: ArchiveSource) {
    super()
  }

  private inWindow(start: number, end: number): boolean {
    return start >= this.windowStart && end <= this.windowStart + this.window.length
  }

  // yauzl's typings say void; yauzl uses the returned stream.
  override _readStreamForRange(start: number, end: number): Readable {
    if (this.inWindow(start, end)) {
      return Readable.from([this.window.subarray(start - this.windowStart, end - this.windowStart)])
    }
    return Readable.from(this.source.stream(start, end - start), { objectMode: false })
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    // Inside the window (most of the directory walk): answered at once, without a promise per read.
    if (this.endSearched && this.inWindow(position, position + length)) {
      const start = position - this.windowStart
      const bytes = this.window.subarray(start, start + length)
      buffer.set(bytes, offset)
      callback(null, bytes.length)
      return
    }
    const bytes = !this.endSearched && position + length === this.source.size ? this.endRecordSearch(position, length) : this.fill(position, length)
    this.endSearched = true
    bytes.then(
      read => {
        buffer.set(read, offset)
        callback(null, read.length)
      },
      (err: Error) => callback(err)
    )
  }

  /**
   * yauzl looks for the end record by reading the last 65,557 bytes of every archive (the
   * largest possible comment), which is most of what opening a small archive costs, and a
   * 64 KiB request for a remote one. It scans them backwards and stops at the first end-record
   * signature, then looks only at the 20 bytes before it (the ZIP64 locator). So when that
   * signature is in the last 4 KiB with 20 bytes before it, nothing before those 4 KiB can
   * change what yauzl finds: they are left as zeros instead of being read. Otherwise (an
   * archive comment, or no signature: not a zip) yauzl gets the full read.
   */
  private async endRecordSearch(position: number, length: number): Promise<Uint8Array> {
    if (length > END_PROBE_BYTES) {
      const probe = await this.source.read(this.source.size - END_PROBE_BYTES, END_PROBE_BYTES)
      for (let i = probe.length - END_RECORD_BYTES; i >= 0; i--) {
        if (probe[i] !== 0x50 || probe[i + 1] !== 0x4b || probe[i + 2] !== 0x05 || probe[i + 3] !== 0x06) continue
        if (i < ZIP64_LOCATOR_BYTES) break
        const tail = new Uint8Array(length)
        tail.set(probe, length - probe.length)
        return tail
      }
    }
    return this.source.read(position, length)
  }

  private async fill(position: number, length: number): Promise<Uint8Array> {
    if (!this.inWindow(position, position + length)) {
      this.window = await this.source.read(position, Math.max(length, Math.min(this.readAhead, this.source.size - position)))
      this.windowStart = position
    }
    const start = position - this.windowStart
    return this.window.subarray(start, Math.min(start + length, this.window.length))
  }
}

/** yauzl's Entry as it is with `decodeStrings: false` (its typings assume decoded strings). */
interface RawYauzlEntry extends yauzl.Entry {
  fileNameRaw: Buffer
  generalPurposeBitFlag: number
  compressionMethod: number
  relativeOffsetOfLocalHeader: number
}

const LOCAL_FILE_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]

/** yauzl's messages, as one-line EntArchiveErrors (yauzl has no error codes). */
async function openError(err: unknown, source: ArchiveSource): Promise<EntArchiveError> {
  if (err instanceof EntArchiveError) return err
  const message = errorMessage(err)
  if (/End of central directory record signature not found/.test(message)) {
    const head = await source.read(0, 4)
    if (LOCAL_FILE_SIGNATURE.every((b, i) => head[i] === b)) {
      return new EntArchiveError('truncated', 'The zip file is truncated: its end (the central directory) is missing, probably an incomplete download.')
    }
    return new EntArchiveError('not-a-zip', 'This file is not a zip archive.')
  }
  if (/invalid central directory file header signature|unexpected EOF/.test(message)) {
    return new EntArchiveError('truncated', 'The central directory of the zip is cut short or damaged: the archive is truncated.')
  }
  if (/multi-disk/.test(message)) return new EntArchiveError('unsupported', 'This is a split (multi-part) zip archive; ENT exports are single files.')
  if (/strong encryption/.test(message)) return new EntArchiveError('encrypted', 'The archive uses strong encryption; ENT exports are never encrypted.')
  if (/zip file too large/.test(message)) return new EntArchiveError('too-large', 'The archive is larger than any real file (2^52 bytes): it is damaged.')
  if (/size mismatch for stored file/.test(message)) {
    return new EntArchiveError('corrupt', `The zip directory is damaged: a stored entry declares two different sizes (${message}).`)
  }
  return new EntArchiveError('corrupt', `The zip structure is damaged: ${message}.`)
}

function entryError(err: unknown, name: string, size: number): EntArchiveError {
  if (err instanceof EntArchiveError) return err
  const message = errorMessage(err)
  if (/too many bytes in the stream/.test(message)) return tooMuchData({ name, size })
  if (/not enough bytes in the stream/.test(message)) return new EntArchiveError('corrupt', `Entry "${name}" holds fewer bytes than the ${size} it declares: the archive is damaged.`)
  if (/invalid local file header signature/.test(message)) return new EntArchiveError('corrupt', `Entry "${name}": its local header is missing or damaged.`)
  if (/file data overflows file bounds/.test(message)) return new EntArchiveError('truncated', `Entry "${name}" runs past the end of the archive: the archive is truncated.`)
  if (/unsupported compression method/.test(message)) return new EntArchiveError('unsupported', `Entry "${name}" uses a compression method ENT exports never use (${message}).`)
  if (/encrypted/.test(message)) return new EntArchiveError('encrypted', `Entry "${name}" is encrypted.`)
  return new EntArchiveError('corrupt', `Entry "${name}" cannot be decompressed: ${message}.`)
}

function openReadStream(zip: yauzl.ZipFile, entry: yauzl.Entry, options: { decompress?: boolean }): Promise<Readable> {
  // yauzl's typings require every option; it accepts any subset.
  const given = options as yauzl.ZipFileOptions
  return new Promise((resolve, reject) => zip.openReadStream(entry, given, (err, stream) => (err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream))))
}

/**
 * yauzl inflates through `zlib.createInflateRaw()` with zlib's default 16 KiB output chunks:
 * a 4.4 GB entry became 270,000 chunks and streamed at 155 MB/s (368 MB/s before yauzl). So
 * yauzl hands out the deflate data as stored (it still finds it, checks the local header and
 * the bounds) and zlib inflates it here in 1 MiB chunks; the declared size, which yauzl checks
 * only when it inflates, is enforced by readEntryData (never more, exactly that many).
 * Small entries get a chunk just above their size (zlib allocates a whole chunk up front).
 */
const INFLATE_CHUNK_BYTES = 256 * 1024
const MIN_INFLATE_CHUNK_BYTES = 16 * 1024

async function entryStream(zip: yauzl.ZipFile, entry: RawYauzlEntry): Promise<Readable> {
  if (entry.compressionMethod !== 8) return openReadStream(zip, entry, {})
  const raw = await openReadStream(zip, entry, { decompress: false })
  const inflater = zlib.createInflateRaw({ chunkSize: Math.min(INFLATE_CHUNK_BYTES, Math.max(MIN_INFLATE_CHUNK_BYTES, entry.uncompressedSize + 1)) })
  raw.on('error', err => inflater.destroy(err))
  return raw.pipe(inflater)
}

type Crc32 = (data: Uint8Array, previous: number) => number
const crc32 = (zlib as unknown as { crc32: Crc32 }).crc32

async function* readEntry(zip: yauzl.ZipFile, reader: SourceReader, entry: RawYauzlEntry, name: string): AsyncIterable<Uint8Array> {
  const whole = entry.compressedSize + ENTRY_HEADER_ALLOWANCE
  // Larger entries are streamed after their header: reading ahead more would be thrown away.
  reader.readAhead = whole <= ENTRY_WHOLE_READ_MAX ? Math.max(ENTRY_READ_AHEAD, whole) : ENTRY_READ_AHEAD
  let crc = 0
  let stream: Readable | null = null
  try {
    stream = await entryStream(zip, entry)
    for await (const chunk of stream) {
      const bytes = asBytes(chunk as Buffer)
      crc = crc32(bytes, crc)
      yield bytes
    }
  } catch (err) {
    throw entryError(err, name, entry.uncompressedSize)
  } finally {
    stream?.destroy()
  }
  if (crc !== entry.crc32) throw new EntArchiveError('corrupt', `Entry "${name}" fails its CRC check: the archive is damaged.`)
}

/**
 * A yauzl Entry for openReadStream, made when an entry is read: the directory keeps only the
 * numbers (central-directory.ts), not yauzl's records nor one Entry per entry (70,000 of
 * those, with their property arrays, were 26 MB). The flags are 0: encrypted entries never
 * get this far (the directory refuses them), and yauzl reads no other bit here.
 */
function yauzlEntry(location: EntryLocation): RawYauzlEntry {
  const entry = new yauzl.Entry() as RawYauzlEntry
  entry.generalPurposeBitFlag = 0
  entry.compressionMethod = location.method
  entry.crc32 = location.crc32
  entry.compressedSize = location.compressedSize
  entry.uncompressedSize = location.size
  entry.relativeOffsetOfLocalHeader = location.localHeaderOffset
  return entry
}

async function openZip(source: ArchiveSource): Promise<OpenedZip> {
  const reader = new SourceReader(source)
  let zip: yauzl.ZipFile
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.fromRandomAccessReader(reader, source.size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, opened) =>
        err || !opened ? reject(err ?? new Error('no zip')) : resolve(opened)
      )
    )
  } catch (err) {
    throw await openError(err, source)
  }
  const opened = zip
  async function* entries(): AsyncIterable<ListedEntry> {
    reader.readAhead = DIRECTORY_READ_AHEAD
    // yauzl emits one entry per readEntry(); queue them so the loop below can await each.
    let wake: (() => void) | null = null
    const queue: RawYauzlEntry[] = []
    let failure: unknown = null
    let ended = false
    const notify = (): void => {
      const resume = wake
      wake = null
      resume?.()
    }
    opened.on('entry', (entry: RawYauzlEntry) => {
      queue.push(entry)
      notify()
    })
    opened.on('end', () => {
      ended = true
      notify()
    })
    opened.on('error', (err: unknown) => {
      failure = err
      notify()
    })
    opened.readEntry()
    for (;;) {
      if (queue.length === 0 && failure === null && !ended) await new Promise<void>(resolve => (wake = resolve))
      if (failure !== null) throw await openError(failure, source)
      const entry = queue.shift()
      if (!entry) return
      yield {
        rawName: asBytes(entry.fileNameRaw),
        utf8Flag: (entry.generalPurposeBitFlag & 0x800) !== 0,
        encrypted: entry.isEncrypted(),
        method: entry.compressionMethod,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        size: entry.uncompressedSize,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        modified: dosDate(entry.lastModFileDate, entry.lastModFileTime)
      }
      opened.readEntry()
    }
  }
  return { entryCount: zip.entryCount, entries, read: (location, name) => readEntry(opened, reader, yauzlEntry(location), name) }
}

export const nodePlatform: ZipPlatform = { library: 'yauzl', open: openZip }
