/**
 * Errors and warnings of the ENT archive reader.
 *
 * A fatal problem (the file cannot be read as an ENT export at all) is an `EntArchiveError`
 * whose `code` says which one; its message is one line meant for people. Anything that only
 * affects part of the archive becomes an `ArchiveWarning` and the rest is still read.
 */

export type ArchiveErrorCode =
  | 'empty' // zero-byte file
  | 'not-a-zip' // no zip structure at all
  | 'truncated' // zip structure cut short (partial download)
  | 'encrypted' // password-protected entries: ENT exports never are
  | 'unsupported' // split archive, unknown compression method
  | 'corrupt' // inconsistent zip structure or entry data
  | 'too-large' // a limit that protects memory was hit
  | 'not-an-ent-export' // a readable zip that is not an ENT "Mes données" export
  | 'io' // the file or URL could not be read

export class EntArchiveError extends Error {
  readonly code: ArchiveErrorCode
  constructor(code: ArchiveErrorCode, message: string) {
    super(message)
    this.name = 'EntArchiveError'
    this.code = code
  }
}

export type WarningCode =
  | 'unsafe-entry-name' // `..`, absolute path, backslash, NUL, empty segment: entry ignored
  | 'duplicate-entry' // the same name twice: the first one is used
  | 'entry-out-of-bounds' // declared sizes or offsets beyond the archive (bomb or damage): entry ignored
  | 'outside-top-folder' // entry not under the single `<ms>_<userId>/` folder
  | 'manifest-missing'
  | 'manifest-malformed'
  | 'manifest-legacy' // old bare-version Manifest form
  | 'app-folder-missing' // the Manifest names a folder the archive lacks
  | 'app-folder-mismatch' // the folder was found under another name (Rack: Casier vs Spontanés)
  | 'app-sniffed' // an app found by its content, not through the Manifest
  | 'unknown-app' // an app this reader has no module for: kept as raw records
  | 'unknown-folder' // a top-level folder no app claims: kept as raw records
  | 'unknown-file' // a file inside an app folder the app's reader does not expect: kept raw
  | 'record-too-large' // a JSON record above the size cap: kept as a raw binary entry
  | 'malformed-json' // a JSON record that does not parse: kept as a raw binary entry
  | 'record-too-deep' // a JSON record nested deeper than MAX_RECORD_DEPTH: kept as is, reported failed
  | 'missing-binary' // a record points at a file the archive lacks
  | 'name-mismatch' // a workspace file found only through the exporter's naming rules
  | 'unreadable-entry' // an entry whose data cannot be read (corrupt, unsupported method)

export interface ArchiveWarning {
  code: WarningCode
  message: string
  /** Archive path (relative to the top folder when inside it) the warning is about. */
  path?: string
  /** ENT application key, when the warning is about one app. */
  app?: string
}

/** Narrow an unknown thrown value to a message, for one-line reports. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
