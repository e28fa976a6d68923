/**
 * Which zip library reads an archive. In Node, `nodePlatform` (node-platform.ts) uses yauzl;
 * in the browser, `webPlatform` (web-platform.ts) uses @zip.js/zip.js to read entries, and
 * lists plainly laid-out directories from their bytes itself (web-directory.ts: zip.js's
 * listing was most of the preview's time), leaving other layouts to zip.js. Both read through the same ArchiveSource, so only
 * the byte ranges they ask for are ever read. What the libraries leave to their users (name
 * decoding, hostile names, the zip-bomb cap) is in central-directory.ts and entry-reader.ts.
 */
import { ArchiveSource } from './source'

/**
 * Where an entry's data is and what it must hold: all a library needs to read it again. The
 * directory keeps these as numbers in typed arrays (central-directory.ts), not as one object or
 * closure per entry, so that 70,000 entries cost a few MB.
 */
export interface EntryLocation {
  /** 0 stored, 8 deflate. */
  method: number
  crc32: number
  compressedSize: number
  /** Declared uncompressed size. */
  size: number
  localHeaderOffset: number
}

/** One central-directory record as the library gives it, before the project's checks. */
export interface ListedEntry extends EntryLocation {
  /** The name's bytes, undecoded (neither library decodes names the way ENT archives need). */
  rawName: Uint8Array
  /** General-purpose flag bit 11: the name is declared UTF-8. */
  utf8Flag: boolean
  encrypted: boolean
  /** Last modification, from the DOS date and time fields. */
  modified: Date
}

/** A zip opened by a library: its entry count (from the end record), then its entries. */
export interface OpenedZip {
  entryCount: number
  /** Synchronous when the whole directory is already in memory (the browser's own listing). */
  entries(): AsyncIterable<ListedEntry> | Iterable<ListedEntry>
  /**
   * An entry's bytes, decompressed by the library and checked against the declared size and
   * CRC; errors are EntArchiveErrors whose message names `name`.
   */
  read(entry: EntryLocation, name: string): AsyncIterable<Uint8Array>
}

export interface ZipPlatform {
  /** Library name, for messages and the README. */
  readonly library: string
  /**
   * Reads the end records; throws EntArchiveError (empty, not-a-zip, truncated, unsupported,
   * corrupt, io) when the source is not a readable zip.
   */
  open(source: ArchiveSource): Promise<OpenedZip>
}
