/**
 * The project's checks on a zip's directory, whichever library lists it: names decoded the
 * ENT way (names.ts), hostile names and duplicates left out with a warning, encrypted entries
 * refused, and declared sizes that no real entry can have (a zip bomb) left out before any
 * byte is inflated. The libraries check structure; they do not know what an ENT export may
 * contain.
 */
import { ArchiveWarning, EntArchiveError } from '../errors'
import { ZipEntry } from './entry'
import { decodeEntryName, unsafeNameReason } from './names'
import { ListedEntry, OpenedZip, ZipPlatform } from './platform'
import { ArchiveSource } from './source'

/** Deflate cannot expand data more than about 1032:1; a larger declared ratio is a lie. */
const MAX_DEFLATE_RATIO = 1032
const LOCAL_HEADER_FIXED = 30

export interface CentralDirectoryLimits {
  /** Refuse directories with more entries than this (memory protection). */
  maxEntries: number
}

export const DEFAULT_DIRECTORY_LIMITS: CentralDirectoryLimits = { maxEntries: 2_000_000 }

/**
 * The usable entries, in directory order, unique by name: their names, and the rest as numbers
 * in typed arrays (one slot per entry), so that memory
 * grows by a few dozen bytes per entry. `entry(i)` makes the ZipEntry a read needs, when it
 * needs it. Modification times are shared Date objects: a Java export writes its entries in a
 * few minutes, so tens of thousands of entries carry a few hundred distinct DOS times.
 */
export class CentralDirectory {
  readonly names: string[] = []
  /** Entries left out and why (unsafe names, duplicates, impossible sizes). */
  readonly warnings: ArchiveWarning[] = []
  private methods: Uint8Array
  private crcs: Uint32Array
  private compressedSizes: Float64Array
  private sizes: Float64Array
  private offsets: Float64Array
  private readonly times: Date[] = []
  private readonly dates = new Map<number, Date>()

  constructor(
    private readonly zip: OpenedZip,
    capacity: number
  ) {
    this.methods = new Uint8Array(capacity)
    this.crcs = new Uint32Array(capacity)
    this.compressedSizes = new Float64Array(capacity)
    this.sizes = new Float64Array(capacity)
    this.offsets = new Float64Array(capacity)
  }

  get count(): number {
    return this.names.length
  }

  add(name: string, listed: ListedEntry): void {
    const i = this.names.length
    if (i >= this.sizes.length) this.grow(Math.max(16, i * 2))
    this.names.push(name)
    this.methods[i] = listed.method
    this.crcs[i] = listed.crc32
    this.compressedSizes[i] = listed.compressedSize
    this.sizes[i] = listed.size
    this.offsets[i] = listed.localHeaderOffset
    const time = listed.modified.getTime()
    let date = this.dates.get(time)
    if (!date) {
      date = listed.modified
      this.dates.set(time, date)
    }
    this.times.push(date)
  }

  /** Only when a library lists more entries than the end record counts (neither does). */
  private grow(capacity: number): void {
    const larger = <T extends Uint8Array | Uint32Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old)
      return fresh
    }
    this.methods = larger(this.methods, new Uint8Array(capacity))
    this.crcs = larger(this.crcs, new Uint32Array(capacity))
    this.compressedSizes = larger(this.compressedSizes, new Float64Array(capacity))
    this.sizes = larger(this.sizes, new Float64Array(capacity))
    this.offsets = larger(this.offsets, new Float64Array(capacity))
  }

  size(i: number): number {
    return this.sizes[i]
  }

  modified(i: number): Date {
    return this.times[i]
  }

  isDirectory(i: number): boolean {
    return this.names[i].endsWith('/')
  }

  /** Entry `i` as readers of its data want it (entry-reader.ts). */
  entry(i: number): ZipEntry {
    const location = { method: this.methods[i], crc32: this.crcs[i], compressedSize: this.compressedSizes[i], size: this.sizes[i], localHeaderOffset: this.offsets[i] }
    const zip = this.zip
    return { name: this.names[i], isDirectory: this.isDirectory(i), method: location.method, compressedSize: location.compressedSize, size: location.size, modified: this.times[i], open: name => zip.read(location, name) }
  }
}

/** Lists the directory through `platform`; throws EntArchiveError when the file is not a readable zip. */
export async function readCentralDirectory(
  source: ArchiveSource,
  platform: ZipPlatform,
  limits: CentralDirectoryLimits = DEFAULT_DIRECTORY_LIMITS
): Promise<CentralDirectory> {
  if (source.size === 0) throw new EntArchiveError('empty', 'The file is empty (0 bytes).')
  const zip = await platform.open(source)
  if (zip.entryCount > limits.maxEntries) {
    throw new EntArchiveError('too-large', `The archive lists ${zip.entryCount} entries, more than the ${limits.maxEntries} this reader accepts.`)
  }
  // Grown as entries come: an end record may claim far more entries than the directory holds.
  const directory = new CentralDirectory(zip, Math.min(zip.entryCount, 65_536))
  const warnings = directory.warnings
  const seen = new Set<string>()
  // Where each entry's data lies: a real zip stores every entry once, one after the other.
  const starts: number[] = []
  const ends: number[] = []
  let encrypted = 0
  const take = (listed: ListedEntry): void => {
    const name = decodeEntryName(listed.rawName, listed.utf8Flag)
    const isDirectory = name.endsWith('/')
    const unsafe = unsafeNameReason(name)
    if (unsafe) {
      warnings.push({ code: 'unsafe-entry-name', path: printable(name), message: `Entry "${printable(name)}" ignored: ${unsafe}.` })
      return
    }
    if (seen.has(name)) {
      warnings.push({ code: 'duplicate-entry', path: name, message: `Entry "${name}" appears more than once; only the first one is read.` })
      return
    }
    seen.add(name)
    if (listed.encrypted) {
      encrypted++
      return
    }
    const bounds = isDirectory ? null : outOfBoundsReason(listed.method, listed.compressedSize, listed.size, listed.localHeaderOffset, source.size)
    if (bounds) {
      warnings.push({ code: 'entry-out-of-bounds', path: name, message: `Entry "${name}" ignored: ${bounds}.` })
      return
    }
    if (!isDirectory) {
      starts.push(listed.localHeaderOffset)
      ends.push(listed.localHeaderOffset + LOCAL_HEADER_FIXED + listed.compressedSize)
    }
    directory.add(name, listed)
  }
  // A directory already in memory comes as a plain iterable: no promise per entry.
  const listing = zip.entries()
  if (Symbol.iterator in listing) for (const listed of listing) take(listed)
  else for await (const listed of listing) take(listed)
  const overlap = firstOverlap(starts, ends)
  if (overlap) {
    throw new EntArchiveError('corrupt', `The archive's entries overlap: ${overlap}. A zip written by a zipper stores each entry once; this one reuses the same data for several names (an amplification attack or a damaged file), so nothing of it is read.`)
  }
  if (encrypted > 0) {
    throw new EntArchiveError('encrypted', `The archive is encrypted (${encrypted} password-protected entr${encrypted === 1 ? 'y' : 'ies'}); ENT exports never are.`)
  }
  return directory
}

/**
 * Two entries whose data share bytes (sorted by offset, each must start after the previous
 * one's local header and data). 40 names over one 100 MB deflate stream would otherwise
 * inflate 40 times.
 */
function firstOverlap(starts: number[], ends: number[]): string | null {
  // Zippers write the directory in the order of the data: then there is nothing to sort.
  let sorted = true
  for (let i = 1; i < starts.length && sorted; i++) sorted = starts[i - 1] <= starts[i]
  const order = sorted ? Array.from(starts.keys()) : Array.from(starts.keys()).sort((a, b) => starts[a] - starts[b])
  for (let i = 1; i < order.length; i++) {
    const previous = order[i - 1]
    const current = order[i]
    if (starts[current] < ends[previous]) {
      return `an entry at offset ${starts[current]} starts inside the data of the one at offset ${starts[previous]} (which runs to ${ends[previous]})`
    }
  }
  return null
}

function outOfBoundsReason(method: number, compressedSize: number, size: number, localHeaderOffset: number, archiveSize: number): string | null {
  if (localHeaderOffset + LOCAL_HEADER_FIXED + compressedSize > archiveSize) {
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
