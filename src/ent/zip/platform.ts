/**
 * Which zip library reads an archive. The project does not parse zips itself: in Node,
 * `nodePlatform` (node-platform.ts) uses yauzl; in the browser, `webPlatform`
 * (web-platform.ts) uses @zip.js/zip.js. Both read through the same ArchiveSource, so only
 * the byte ranges they ask for are ever read. What the libraries leave to their users (name
 * decoding, hostile names, the zip-bomb cap) is in central-directory.ts and entry-reader.ts.
 */
import { ArchiveSource } from './source'

/** One central-directory record as the library gives it, before the project's checks. */
export interface ListedEntry {
  /** The name's bytes, undecoded (neither library decodes names the way ENT archives need). */
  rawName: Uint8Array
  /** General-purpose flag bit 11: the name is declared UTF-8. */
  utf8Flag: boolean
  encrypted: boolean
  /** 0 stored, 8 deflate. */
  method: number
  crc32: number
  compressedSize: number
  /** Declared uncompressed size. */
  size: number
  localHeaderOffset: number
  /** Last modification, from the DOS date and time fields. */
  modified: Date
  /**
   * The entry's bytes, decompressed by the library and checked against the declared size and
   * CRC; errors are EntArchiveErrors whose message names `name`.
   */
  open(name: string): AsyncIterable<Uint8Array>
}

/** A zip opened by a library: its entry count (from the end record), then its entries. */
export interface OpenedZip {
  entryCount: number
  entries(): AsyncIterable<ListedEntry>
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
