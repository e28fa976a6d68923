/** One usable entry: a library's record with its name decoded and checked. */
export interface ZipEntry {
  /** Decoded name, as stored (directories end with `/`). */
  name: string
  isDirectory: boolean
  /** 0 stored, 8 deflate. */
  method: number
  compressedSize: number
  /** Declared uncompressed size; reading never returns more than this. */
  size: number
  /** Last modification, from the DOS date and time fields (local time of the zipper). */
  modified: Date
  /** The entry's bytes, read by the library that listed it (see ListedEntry.open). */
  open: (name: string) => AsyncIterable<Uint8Array>
}
