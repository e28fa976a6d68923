/** One central-directory record, decoded. Offsets and sizes are numbers (safe up to 8 PiB). */
export interface ZipEntry {
  /** Decoded name, as stored (directories end with `/`). */
  name: string
  isDirectory: boolean
  /** General-purpose flags (bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8). */
  flags: number
  /** 0 stored, 8 deflate. */
  method: number
  crc32: number
  compressedSize: number
  /** Declared uncompressed size; reading never returns more than this. */
  size: number
  localHeaderOffset: number
  /** True when sizes or offset came from a ZIP64 extra field. */
  zip64: boolean
  /** Last modification, from the DOS date and time fields (local time of the zipper). */
  modified: Date
}
