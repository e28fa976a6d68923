/**
 * Browser: the central directory of a plainly laid-out zip, listed from its bytes in one pass,
 * and a one-record zip per entry for @zip.js/zip.js to read that entry's data.
 *
 * Why: zip.js's listing builds an Entry of about sixty properties per entry, plus closures and
 * copies; on a 20,000-entry export that was three quarters of the browser preview's time
 * (BENCHMARKS.md, preview-2gb). The project only needs what `ListedEntry` holds. So the
 * records are walked here (APPNOTE.TXT 6.3.10: 4.3.12 central file header, 4.3.14-4.3.16
 * end records, 4.5.3 ZIP64 extra field), and only when the layout is the plain one that
 * exporters write (one end record reaching the end of the file, one disk, records back to
 * back, ending where the end records start); anything else is left to zip.js's own listing,
 * which then reports the damage as before. zip.js still reads every entry's data (local
 * header, inflating, CRC): it is given, for each entry, a zip made of that entry's bytes in
 * the archive followed by its own record and new end records (oneRecordTail).
 */
import { dosDate } from './dos-date'
import { ListedEntry } from './platform'

const END_SIGNATURE = 0x06054b50
const END_BYTES = 22
const LOCATOR_SIGNATURE = 0x07064b50
const LOCATOR_BYTES = 20
const ZIP64_END_SIGNATURE = 0x06064b50
const ZIP64_END_BYTES = 56
const RECORD_SIGNATURE = 0x02014b50
const RECORD_FIXED = 46
const U16_MAX = 0xffff
const U32_MAX = 0xffffffff
const ZIP64_EXTRA = 0x0001

/** Where the directory lies, from the end records. */
export interface DirectoryBounds {
  offset: number
  length: number
  count: number
}

const u64 = (view: DataView, at: number): number => view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32

/**
 * The directory's place from the file's last bytes (`tail`, which ends the file), or null when
 * the end records are not the plain single-disk ones (then zip.js finds its way, or fails).
 */
export function directoryBounds(tail: Uint8Array, tailStart: number): DirectoryBounds | null {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength)
  let at = -1
  for (let i = tail.length - END_BYTES; i >= 0; i--) {
    if (tail[i] !== 0x50 || view.getUint32(i, true) !== END_SIGNATURE || i + END_BYTES + view.getUint16(i + 20, true) !== tail.length) continue
    // Two end records that both reach the end: ambiguous, zip.js decides.
    if (at >= 0) return null
    at = i
  }
  if (at < 0 || view.getUint16(at + 4, true) !== 0 || view.getUint16(at + 6, true) !== 0) return null
  let count = view.getUint16(at + 10, true)
  let length = view.getUint32(at + 12, true)
  let offset = view.getUint32(at + 16, true)
  if (view.getUint16(at + 8, true) !== count) return null
  let end = tailStart + at
  if (count === U16_MAX || length === U32_MAX || offset === U32_MAX) {
    const locator = at - LOCATOR_BYTES
    const record = locator - ZIP64_END_BYTES
    if (record < 0 || view.getUint32(locator, true) !== LOCATOR_SIGNATURE || view.getUint32(locator + 4, true) !== 0) return null
    if (u64(view, locator + 8) !== tailStart + record || view.getUint32(record, true) !== ZIP64_END_SIGNATURE) return null
    if (u64(view, record + 4) !== ZIP64_END_BYTES - 12 || view.getUint32(record + 16, true) !== 0 || view.getUint32(record + 20, true) !== 0) return null
    count = u64(view, record + 32)
    length = u64(view, record + 40)
    offset = u64(view, record + 48)
    end = tailStart + record
  }
  return offset + length === end ? { offset, length, count } : null
}

/**
 * The records, when `bytes` (the whole directory) holds exactly `count` well-formed ones back
 * to back: their starts (for `listedAt` and `recordAt`), or null.
 */
export function recordStarts(bytes: Uint8Array, count: number): Uint32Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // A directory record is at least 46 bytes: a count the bytes cannot hold is a lie.
  if (count * RECORD_FIXED > bytes.length) return null
  const starts = new Uint32Array(count)
  let at = 0
  for (let i = 0; i < count; i++) {
    if (at + RECORD_FIXED > bytes.length || view.getUint32(at, true) !== RECORD_SIGNATURE) return null
    const next = at + RECORD_FIXED + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
    const disk = view.getUint16(at + 34, true)
    if (next > bytes.length || (disk !== 0 && disk !== U16_MAX) || (hasZip64Markers(view, at) && !zip64Values(view, at))) return null
    starts[i] = at
    at = next
  }
  return at === bytes.length ? starts : null
}

/** Whether some of a record's fields are 0xFFFFFFFF (0xFFFF for the disk): their values are in its ZIP64 extra field. */
function hasZip64Markers(view: DataView, at: number): boolean {
  return view.getUint32(at + 24, true) === U32_MAX || view.getUint32(at + 20, true) === U32_MAX || view.getUint32(at + 42, true) === U32_MAX || view.getUint16(at + 34, true) === U16_MAX
}

/** The ZIP64 values a record's 0xFFFFFFFF fields stand for, in the order 4.5.3 gives. */
function zip64Values(view: DataView, at: number): { size: number; compressedSize: number; offset: number; disk: number } | null {
  const fields = { size: view.getUint32(at + 24, true), compressedSize: view.getUint32(at + 20, true), offset: view.getUint32(at + 42, true), disk: view.getUint16(at + 34, true) }
  if (!hasZip64Markers(view, at)) return fields
  const extraStart = at + RECORD_FIXED + view.getUint16(at + 28, true)
  const extraEnd = extraStart + view.getUint16(at + 30, true)
  for (let field = extraStart; field + 4 <= extraEnd; field += 4 + view.getUint16(field + 2, true)) {
    if (view.getUint16(field, true) !== ZIP64_EXTRA) continue
    const dataEnd = Math.min(extraEnd, field + 4 + view.getUint16(field + 2, true))
    let read = field + 4
    const next = (bytes: 8 | 4): number | null => {
      if (read + bytes > dataEnd) return null
      const value = bytes === 8 ? u64(view, read) : view.getUint32(read, true)
      read += bytes
      return value
    }
    const size = fields.size === U32_MAX ? next(8) : fields.size
    const compressedSize = fields.compressedSize === U32_MAX ? next(8) : fields.compressedSize
    const offset = fields.offset === U32_MAX ? next(8) : fields.offset
    const disk = fields.disk === U16_MAX ? next(4) : fields.disk
    if (size === null || compressedSize === null || offset === null || disk !== 0) return null
    return { size, compressedSize, offset, disk }
  }
  return null
}

/**
 * The records of one directory as `ListedEntry`s. Names stay raw (names.ts decodes them), the
 * time is the DOS one read as UTC (as the Node side reads it), and entries written within the
 * same two seconds share one Date.
 */
export function listedEntries(bytes: Uint8Array, starts: Uint32Array): Iterable<ListedEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dates = new Map<number, Date>()
  return (function* () {
    for (const at of starts) {
      const values = hasZip64Markers(view, at) ? zip64Values(view, at) : null
      const flags = view.getUint16(at + 8, true)
      const stamp = view.getUint32(at + 12, true)
      let modified = dates.get(stamp)
      if (!modified) {
        modified = dosDate(stamp >>> 16, stamp & 0xffff)
        dates.set(stamp, modified)
      }
      const nameStart = at + RECORD_FIXED
      yield {
        rawName: bytes.subarray(nameStart, nameStart + view.getUint16(at + 28, true)),
        utf8Flag: (flags & 0x800) !== 0,
        encrypted: (flags & 0x1) !== 0,
        method: view.getUint16(at + 10, true),
        crc32: view.getUint32(at + 16, true),
        // recordStarts checked that every marked record has its ZIP64 values.
        compressedSize: values ? values.compressedSize : view.getUint32(at + 20, true),
        size: values ? values.size : view.getUint32(at + 24, true),
        localHeaderOffset: values ? values.offset : view.getUint32(at + 42, true),
        modified
      }
    }
  })()
}

/**
 * What follows an entry's own bytes (its local header, data and descriptor, `entryBytes`
 * of them) in its one-record zip: its record, pointing at offset 0, then end records pointing at
 * the record (ZIP64 ones when the entry alone reaches 4 GiB).
 */
export function oneRecordTail(bytes: Uint8Array, at: number, entryBytes: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = RECORD_FIXED + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  const zip64 = entryBytes >= U32_MAX
  const tail = new Uint8Array(length + (zip64 ? ZIP64_END_BYTES + LOCATOR_BYTES : 0) + END_BYTES)
  tail.set(bytes.subarray(at, at + length))
  const out = new DataView(tail.buffer)
  // The entry now starts the file, on its only disk: neither its offset nor its disk needs its
  // ZIP64 field any longer (readers take that field's values in order, for the marked fields only).
  out.setUint32(42, 0, true)
  out.setUint16(34, 0, true)
  let end = length
  if (zip64) {
    const setU64 = (where: number, value: number): void => {
      out.setUint32(where, value % 2 ** 32, true)
      out.setUint32(where + 4, Math.floor(value / 2 ** 32), true)
    }
    out.setUint32(end, ZIP64_END_SIGNATURE, true)
    setU64(end + 4, ZIP64_END_BYTES - 12)
    out.setUint16(end + 12, 45, true)
    out.setUint16(end + 14, 45, true)
    setU64(end + 24, 1)
    setU64(end + 32, 1)
    setU64(end + 40, length)
    setU64(end + 48, entryBytes)
    const locator = end + ZIP64_END_BYTES
    out.setUint32(locator, LOCATOR_SIGNATURE, true)
    setU64(locator + 8, entryBytes + length)
    out.setUint32(locator + 16, 1, true)
    end = locator + LOCATOR_BYTES
  }
  out.setUint32(end, END_SIGNATURE, true)
  out.setUint16(end + 8, 1, true)
  out.setUint16(end + 10, 1, true)
  out.setUint32(end + 12, length, true)
  out.setUint32(end + 16, zip64 ? U32_MAX : entryBytes, true)
  return tail
}
