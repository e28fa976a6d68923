/**
 * Reading ENT "Mes données" archives: the browser-safe entry point (no Node modules).
 * Node code (file paths, HTTP Range URLs, zlib) imports `src/ent/node` instead, which
 * re-exports everything here. See src/ent/README.md.
 */
import { EntArchive, OpenOptions } from './archive'
import { blobSource } from './zip/blob-source'
import { ArchiveSource } from './zip/source'

export { EntArchive, DEFAULT_LIMITS } from './archive'
export type { AppLocation, OpenOptions, ReaderLimits } from './archive'
export { countApp, describeArchive } from './describe'
export type { AppSummary, ArchiveDescription } from './describe'
export type { AppCounts } from './apps/reader'
export { EntArchiveError } from './errors'
export type { ArchiveErrorCode, ArchiveWarning, WarningCode } from './errors'
export * from './models'
export { parseEntDate } from './dates'
export { normaliseShares, roleOfAction } from './shares'
export type { ArchiveSource } from './zip/source'
export { bytesSource } from './zip/source'
export { blobSource } from './zip/blob-source'
export { READERS } from './apps/registry'

/** Opens an archive from any random-access source. */
export function openArchive(source: ArchiveSource, options?: OpenOptions): Promise<EntArchive> {
  return EntArchive.open(source, options)
}

/** Browser: opens a File or Blob (from a file input or a drop) without reading it whole. */
export function openArchiveBlob(blob: Blob, options?: OpenOptions): Promise<EntArchive> {
  return EntArchive.open(blobSource(blob), options)
}
