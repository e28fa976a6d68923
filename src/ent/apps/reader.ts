/**
 * The contract between the archive and one ENT application's reader. A reader turns the
 * files of its app folder into common models (models.ts), one item at a time, parents first.
 * Adding an ENT application means adding one module that exports an AppReader and listing it
 * in apps/registry.ts.
 */
import { ArchiveWarning, WarningCode } from '../errors'
import { JsonStreamEvent } from '../json-stream'
import { ArchiveFile, AttachmentRef, EntItem, EntPerson, RawRecord, ShareGrant, StoredBinary } from '../models'

/** A file of an app folder, with its path relative to that folder (`Documents/x.png`). */
export interface FolderFile {
  file: ArchiveFile
  rel: string
}

export interface AppFolderView {
  /** Folder name in the archive (`Espace documentaire`). */
  name: string
  files: FolderFile[]
  /** Relative paths of sub-folders seen (from directory entries and file paths), no trailing slash. */
  directories: Set<string>
}

export type RecordResult = { ok: true; value: Record<string, unknown> } | { ok: false; raw: RawRecord }

export interface AppContext {
  readonly app: string
  readonly folder: AppFolderView
  /** The exporting user's ENT id (from the top folder name), or null when unknown. */
  readonly userId: string | null
  warn(code: WarningCode, message: string, path?: string): void
  /**
   * One JSON record (a Mongo resource file), capped; failures come back as a RawRecord, warned
   * unless `quiet` (apps read as raw records, whose files need not be JSON).
   */
  readRecord(file: FolderFile, options?: { quiet?: boolean }): Promise<RecordResult>
  /** Items of a top-level JSON array, one at a time (workspace index). */
  streamArray(file: FolderFile): AsyncIterable<JsonStreamEvent>
  /** Rows of a SQL table file as objects (`fields` zipped with each row of `results`). */
  streamTable(file: FolderFile): AsyncIterable<Record<string, unknown>>
  /** `{userId, displayName|username}` or an id and a name → EntPerson, remembered in the name directory. */
  person(value: unknown, name?: unknown): EntPerson | null
  /** Whether `ownerId` is the exporting user (unknown user: everything counts as mine). */
  mine(ownerId: string | null | undefined): boolean
  shares(resourceId: string, shared: unknown, inheritedShares?: unknown): ShareGrant[]
  /** Resolves every `/workspace/document/<uuid>` in `value` to this app's `Documents/` files. */
  attachments(value: unknown, where: string): Promise<AttachmentRef[]>
  /** A RawRecord for a file kept as is (warned as `unknown-file` unless `reason` says otherwise). */
  rawFile(file: FolderFile, reason: string, data?: unknown): RawRecord
  /** One StoredBinary per file under `prefix` (default `Documents/`), flagged when referenced. */
  binaries(prefix?: string): StoredBinary[]
  /** Workspace document ids that some app folder holds a `Documents/<name>_<id><ext>` copy of. */
  documentCopyIds(): Set<string>
  /** The workspace reader hands over id → name/content type, so other apps need not re-read the index. */
  rememberWorkspaceDocuments(info: Map<string, { name: string; contentType: string | null }>): void
  /** Marks a stored binary as used (by document id or by relative path). */
  reference(documentIdOrRel: string): void
}

export interface AppReader {
  /** The app key (Manifest key's last segment without dashes). */
  app: string
  /** French and English folder names (accents stripped), for old Manifests and sniffing by name. */
  folderNames: string[]
  /** Recognises the app from its folder's file names when the Manifest does not say. */
  sniff?(folder: AppFolderView): boolean
  /** Recognises the app from one of its JSON records (apps whose files carry no prefix). */
  sniffRecord?(record: Record<string, unknown>): boolean
  /** Files that are binaries stored by the app (what `documents` counts). Default: `Documents/…`. */
  isBinary?(rel: string): boolean
  read(context: AppContext): AsyncIterable<EntItem>
  /**
   * Optional shortcut for describeArchive: the number of items, resources and share grants
   * `read` would yield, with the same warnings, for apps where counting is much cheaper than
   * reading. `items` must equal the number of items `read` yields (a test checks it).
   */
  summarize?(context: AppContext): Promise<AppCounts>
}

export interface AppCounts {
  /** Everything `read` yields: each becomes exactly one line of the import's ledger. */
  items: number
  /** Items other than stored binaries. */
  resources: number
  shares: number
}

export type WarningSink = (warning: ArchiveWarning) => void
