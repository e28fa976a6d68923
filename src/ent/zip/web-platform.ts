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

/** Small reads (a local header, then its name) are widened to this, so one request brings both. */
const MIN_READ_BYTES = 1024

type ZipJs = typeof import('@zip.js/zip.js')
let zipJs: Promise<ZipJs> | null = null
const loadZipJs = (): Promise<ZipJs> => (zipJs ??= import(/* webpackMode: "eager" */ '@zip.js/zip.js'))

/**
 * zip.js's Reader over an ArchiveSource. zip.js reads the last 64 KiB to find the end record,
 * then the directory, then per entry its local header, name and data in three reads: the last
 * read is kept, so that what lies inside it (the directory and the Manifest of a small
 * archive, a header's name) costs no second read, which for the Drive is a second request.
 */
function sourceReader(zip: ZipJs, source: ArchiveSource): Reader<ArchiveSource> {
  class SourceReader extends zip.Reader<ArchiveSource> {
    private window: Uint8Array = new Uint8Array(0)
    private windowStart = 0

    override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
      const end = Math.min(index + length, source.size)
      if (index < this.windowStart || end > this.windowStart + this.window.length) {
        this.window = await source.read(index, Math.max(length, Math.min(MIN_READ_BYTES, source.size - index)))
        this.windowStart = index
      }
      return this.window.subarray(index - this.windowStart, end - this.windowStart)
    }
  }
  const reader = new SourceReader(source)
  reader.size = source.size
  return reader
}

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
  const zip = new zipJs.ZipReader(sourceReader(zipJs, source), READ_OPTIONS)
  let entries: Entry[]
  try {
    // The project checks names itself (names.ts): zip.js must list hostile ones, not refuse the archive.
    entries = await zip.getEntries({ filenameValidation: 'tolerant' })
  } catch (err) {
    throw await openError(err, source)
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
