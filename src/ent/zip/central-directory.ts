/**
 * Reads a zip's central directory through an ArchiveSource: the end record (and its ZIP64
 * forms), then the directory itself in a few large reads (two or three HTTP requests for a
 * remote archive), never the entry data. Every record is checked against the archive's size
 * so that a hostile directory cannot make later reads run wild.
 */
import { ArchiveWarning, EntArchiveError } from '../errors'
import { ZipEntry } from './entry'
import { decodeEntryName, unsafeNameReason } from './names'
import { ArchiveSource } from './source'

const EOCD_SIGNATURE = 0x06054b50
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50
const ZIP64_EOCD_SIGNATURE = 0x06064b50
const CENTRAL_SIGNATURE = 0x02014b50
const LOCAL_SIGNATURE = 0x04034b50
const EOCD_SIZE = 22
const MAX_COMMENT = 0xffff
const CENTRAL_FIXED = 46
/** Deflate cannot expand data more than about 1032:1; a larger declared ratio is a lie. */
const MAX_DEFLATE_RATIO = 1032

export interface CentralDirectoryLimits {
  /** Refuse directories with more entries than this (memory protection). */
  maxEntries: number
  /** Bytes read per request while walking the directory. */
  readChunkBytes: number
}

export const DEFAULT_DIRECTORY_LIMITS: CentralDirectoryLimits = { maxEntries: 2_000_000, readChunkBytes: 1024 * 1024 }

export interface CentralDirectory {
  /** Usable entries, in directory order, unique by name. */
  entries: ZipEntry[]
  /** Entries left out and why (unsafe names, duplicates, impossible sizes). */
  warnings: ArchiveWarning[]
  /** Whether the end record was ZIP64. */
  zip64: boolean
}

function u64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new EntArchiveError('corrupt', 'A ZIP64 size or offset is larger than any real file: the archive is damaged.')
  return Number(value)
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function dosDate(date: number, time: number): Date {
  const year = 1980 + (date >> 9)
  const month = ((date >> 5) & 0xf) - 1
  const day = date & 0x1f
  return new Date(Date.UTC(year, month, Math.max(day, 1), time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2))
}

interface EndRecord {
  entryCount: number
  directorySize: number
  directoryOffset: number
  /** Where the end records start: the directory must end before. */
  endOffset: number
  zip64: boolean
}

async function findEndRecord(source: ArchiveSource): Promise<EndRecord> {
  if (source.size === 0) throw new EntArchiveError('empty', 'The file is empty (0 bytes).')
  // ENT exports have no archive comment: try a small tail first, then the largest possible one.
  let tailStart = 0
  let tail: Uint8Array = new Uint8Array(0)
  let view = new DataView(tail.buffer)
  let found = -1
  for (const tailLength of [Math.min(source.size, 4096), Math.min(source.size, EOCD_SIZE + MAX_COMMENT)]) {
    if (tailLength <= tail.length) continue
    tailStart = source.size - tailLength
    tail = await source.read(tailStart, tailLength)
    view = viewOf(tail)
    for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
      if (view.getUint32(i, true) !== EOCD_SIGNATURE) continue
      const commentLength = view.getUint16(i + 20, true)
      if (i + EOCD_SIZE + commentLength <= tail.length) {
        found = i
        break
      }
    }
    if (found >= 0) break
  }
  if (found < 0) {
    const head = await source.read(0, Math.min(4, source.size))
    if (head.length === 4 && viewOf(head).getUint32(0, true) === LOCAL_SIGNATURE) {
      throw new EntArchiveError('truncated', 'The zip file is truncated: its end (the central directory) is missing, probably an incomplete download.')
    }
    throw new EntArchiveError('not-a-zip', 'This file is not a zip archive.')
  }
  const disk = view.getUint16(found + 4, true)
  const directoryDisk = view.getUint16(found + 6, true)
  let entryCount = view.getUint16(found + 10, true)
  let directorySize = view.getUint32(found + 12, true)
  let directoryOffset = view.getUint32(found + 16, true)
  const endOffset = tailStart + found
  const locatorAt = endOffset - 20
  let zip64 = false
  let zip64EndOffset = -1
  if (locatorAt >= 0) {
    const locator = await source.read(locatorAt, 20)
    const lview = viewOf(locator)
    if (locator.length === 20 && lview.getUint32(0, true) === ZIP64_LOCATOR_SIGNATURE) {
      zip64EndOffset = u64(lview, 8)
      if (lview.getUint32(16, true) > 1) throw new EntArchiveError('unsupported', 'This is a split (multi-part) zip archive; ENT exports are single files.')
    }
  }
  const needsZip64 = entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff
  if (zip64EndOffset >= 0) {
    if (zip64EndOffset + 56 > endOffset) throw new EntArchiveError('corrupt', 'The ZIP64 end record points outside the archive.')
    const record = await source.read(zip64EndOffset, 56)
    const rview = viewOf(record)
    if (record.length < 56 || rview.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
      throw new EntArchiveError('corrupt', 'The ZIP64 end record is missing or damaged.')
    }
    entryCount = u64(rview, 32)
    directorySize = u64(rview, 40)
    directoryOffset = u64(rview, 48)
    zip64 = true
  } else if (needsZip64) {
    throw new EntArchiveError('truncated', 'The archive needs ZIP64 records that are missing: it is truncated or damaged.')
  } else if (disk !== 0 || directoryDisk !== 0) {
    throw new EntArchiveError('unsupported', 'This is a split (multi-part) zip archive; ENT exports are single files.')
  }
  const directoryEnd = zip64 ? zip64EndOffset : endOffset
  if (directoryOffset + directorySize > directoryEnd) {
    throw new EntArchiveError('truncated', 'The central directory of the zip runs past the end of the file: the archive is truncated or damaged.')
  }
  return { entryCount, directorySize, directoryOffset, endOffset: directoryEnd, zip64 }
}

/** Reads the central directory; throws EntArchiveError when the file cannot be read as a zip. */
export async function readCentralDirectory(
  source: ArchiveSource,
  limits: CentralDirectoryLimits = DEFAULT_DIRECTORY_LIMITS
): Promise<CentralDirectory> {
  const end = await findEndRecord(source)
  if (end.entryCount > limits.maxEntries) {
    throw new EntArchiveError('too-large', `The archive lists ${end.entryCount} entries, more than the ${limits.maxEntries} this reader accepts.`)
  }
  const truncated = (): EntArchiveError =>
    new EntArchiveError('truncated', 'The central directory of the zip is cut short or damaged: the archive is truncated.')
  const directoryEnd = end.directoryOffset + end.directorySize
  let buffer: Uint8Array = new Uint8Array(0)
  let bufferStart = end.directoryOffset
  let position = end.directoryOffset
  const ensure = async (length: number): Promise<void> => {
    if (position + length > directoryEnd) throw truncated()
    if (position >= bufferStart && position + length <= bufferStart + buffer.length) return
    const readLength = Math.min(Math.max(length, limits.readChunkBytes), directoryEnd - position)
    buffer = await source.read(position, readLength)
    bufferStart = position
    if (buffer.length < length) throw truncated()
  }

  const entries: ZipEntry[] = []
  const warnings: ArchiveWarning[] = []
  const seen = new Set<string>()
  let encrypted = 0
  for (let index = 0; index < end.entryCount; index++) {
    await ensure(CENTRAL_FIXED)
    let view = viewOf(buffer.subarray(position - bufferStart))
    if (view.getUint32(0, true) !== CENTRAL_SIGNATURE) throw truncated()
    const flags = view.getUint16(8, true)
    const method = view.getUint16(10, true)
    const time = view.getUint16(12, true)
    const date = view.getUint16(14, true)
    const crc = view.getUint32(16, true)
    let compressedSize = view.getUint32(20, true)
    let size = view.getUint32(24, true)
    const nameLength = view.getUint16(28, true)
    const extraLength = view.getUint16(30, true)
    const commentLength = view.getUint16(32, true)
    let localHeaderOffset = view.getUint32(42, true)
    const recordLength = CENTRAL_FIXED + nameLength + extraLength + commentLength
    await ensure(recordLength)
    const record = buffer.subarray(position - bufferStart, position - bufferStart + recordLength)
    view = viewOf(record)
    position += recordLength

    let zip64 = false
    let extraAt = CENTRAL_FIXED + nameLength
    const extraEnd = extraAt + extraLength
    while (extraAt + 4 <= extraEnd) {
      const id = view.getUint16(extraAt, true)
      const length = view.getUint16(extraAt + 2, true)
      if (id === 0x0001) {
        let field = extraAt + 4
        const fieldEnd = Math.min(field + length, extraEnd)
        if (size === 0xffffffff && field + 8 <= fieldEnd) {
          size = u64(view, field)
          field += 8
        }
        if (compressedSize === 0xffffffff && field + 8 <= fieldEnd) {
          compressedSize = u64(view, field)
          field += 8
        }
        if (localHeaderOffset === 0xffffffff && field + 8 <= fieldEnd) {
          localHeaderOffset = u64(view, field)
          field += 8
        }
        zip64 = true
      }
      extraAt += 4 + length
    }

    const name = decodeEntryName(record.subarray(CENTRAL_FIXED, CENTRAL_FIXED + nameLength), (flags & 0x800) !== 0)
    const isDirectory = name.endsWith('/')
    const unsafe = unsafeNameReason(name)
    if (unsafe) {
      warnings.push({ code: 'unsafe-entry-name', path: printable(name), message: `Entry "${printable(name)}" ignored: ${unsafe}.` })
      continue
    }
    if (seen.has(name)) {
      warnings.push({ code: 'duplicate-entry', path: name, message: `Entry "${name}" appears more than once; only the first one is read.` })
      continue
    }
    seen.add(name)
    if (flags & 0x1) {
      encrypted++
      continue
    }
    const bounds = isDirectory ? null : outOfBoundsReason(method, compressedSize, size, localHeaderOffset, end.directoryOffset)
    if (bounds) {
      warnings.push({ code: 'entry-out-of-bounds', path: name, message: `Entry "${name}" ignored: ${bounds}.` })
      continue
    }
    entries.push({ name, isDirectory, flags, method, crc32: crc, compressedSize, size, localHeaderOffset, zip64, modified: dosDate(date, time) })
  }
  if (encrypted > 0) {
    throw new EntArchiveError('encrypted', `The archive is encrypted (${encrypted} password-protected entr${encrypted === 1 ? 'y' : 'ies'}); ENT exports never are.`)
  }
  return { entries, warnings, zip64: end.zip64 }
}

function outOfBoundsReason(method: number, compressedSize: number, size: number, localHeaderOffset: number, directoryOffset: number): string | null {
  if (localHeaderOffset + 30 + compressedSize > directoryOffset) {
    return `its data (${compressedSize} bytes at offset ${localHeaderOffset}) would run past the end of the archive`
  }
  if (method === 0 && size !== compressedSize) return `stored with ${compressedSize} bytes but declares ${size}`
  if (method === 8 && size > compressedSize * MAX_DEFLATE_RATIO + 1024) {
    return `declares ${size} bytes from ${compressedSize} compressed bytes, more than deflate can produce (a zip bomb)`
  }
  return null
}

/** Names in messages: control characters made visible, length capped. */
function printable(name: string): string {
  let visible = ''
  for (const c of name) visible += c.charCodeAt(0) < 0x20 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c
  return visible.length > 200 ? `${visible.slice(0, 200)}…` : visible
}
