/**
 * The contract between the ENT import engine (konnector `ent-import`, `mes-donnees import`)
 * and the webapp's "Import from my ENT" and "Share again" pages: the job message the app
 * sends, the import record the engine keeps up to date, and the pending shares it leaves.
 *
 * This file holds types and constants only (no Node modules), so the webapp can import it.
 * Keep these shapes stable: fields may be added, never renamed or removed.
 */

/** Slug of the konnector that runs the import. */
export const KONNECTOR_SLUG = 'ent-import'
/** Import records: one per archive imported (created by the app or by the konnector). */
export const IMPORTS_DOCTYPE = 'io.cozy.mesdonnees.imports'
/** Pending shares: one per ENT resource that was shared, waiting to be re-shared in Cozy. */
export const PENDING_SHARES_DOCTYPE = 'io.cozy.mesdonnees.pendingshares'
/** Where imports go by default; each import gets a sub-folder named after the export date. */
export const DEFAULT_DESTINATION_PATH = '/Mes données ENT'
/** The watched folder: a zip created there is imported by the konnector (an @event trigger). */
export const DEFAULT_WATCHED_PATH = '/Mes données ENT/À importer'

/**
 * The konnector job message, i.e. `COZY_FIELDS` (POST /jobs/queue/konnector, `arguments`).
 *
 * The app typically: creates the import record (state `queued`, optional), then queues
 * `{konnector: 'ent-import', fileId, selection, importId}` and follows the record through
 * realtime/polling on `io.cozy.mesdonnees.imports`.
 */
export interface ImportJobMessage {
  /** Always `ent-import` (the stack's konnector worker reads it). */
  konnector: string
  /** io.cozy.files id of the uploaded archive (zip). Required unless `watch` is true. */
  fileId?: string
  /**
   * ENT application keys to import (`workspace`, `blog`, `calendar`, … as `mes-donnees
   * inspect` / `describeArchive` name them in `apps[].app`). Absent: every application.
   * Present but empty: refused (`EMPTY_SELECTION`), nothing written.
   */
  selection?: string[]
  /** Import the workspace trash too (default false: the trash is left out). */
  includeTrash?: boolean
  /**
   * io.cozy.files id of the folder in which the import folder (`<export date>`) is created.
   * Absent: `/Mes données ENT` (created when missing). The stack grants the konnector this
   * folder, as for any konnector's `folder_to_save`.
   */
  folder_to_save?: string
  /**
   * Id of an existing io.cozy.mesdonnees.imports document to fill. Absent: the konnector
   * creates one with a stable id derived from the archive (`importIdFor`), so the app can
   * also find it by `archive.fileId`.
   */
  importId?: string
  /** Set by the watched-folder trigger: import every archive of the watched folder not yet done. */
  watch?: boolean
  /** Set on continuation jobs (the konnector re-schedules itself before its time limit). */
  continuation?: number
}

/**
 * State of an import.
 * - `queued`: created by the app, no job has started it yet;
 * - `checking`: reading the archive, checking the selection and the quota (nothing written yet);
 * - `running`: writing;
 * - `paused`: a job stopped before its time limit; a continuation job is scheduled;
 * - `done`: everything selected was handled (some items may have failed: see `errors`);
 * - `failed`: the import could not go on (`error` says why; nothing more will happen).
 */
export type ImportState = 'queued' | 'checking' | 'running' | 'paused' | 'done' | 'failed'

/**
 * Job-level errors, also used as the konnector's `critical` message after `UNKNOWN_ERROR.`
 * or as is for the stack's own codes. The app translates them.
 * - `NO_ARCHIVE`: no fileId, or the file does not exist / is not readable;
 * - `BAD_JOB_MESSAGE`: COZY_FIELDS is not an object;
 * - `NOT_AN_ENT_EXPORT`, `ARCHIVE_CORRUPT`, `ARCHIVE_UNSUPPORTED` (encrypted, unknown
 *   compression…), `ARCHIVE_TOO_LARGE`: the archive cannot be read;
 * - `EMPTY_SELECTION`: the selection names no application of the archive;
 * - `DISK_QUOTA_EXCEEDED`: the free space does not cover what would be written (checked
 *   before writing anything) or the stack answered 413 during the import;
 * - `STACK_ERROR`: the stack kept failing (network, 5xx);
 * - `ALREADY_IMPORTED`: another import of the same export exists (the command line stops
 *   there unless asked for a copy);
 * - `UNKNOWN_ERROR`: anything else;
 * - `NO_TEMP_DIR`: a copy was asked for and no writable temporary folder can hold it;
 * - `IMPORT_HELD`: another live job holds the import's lease (found at the start, or taken
 *   over while this job worked): this job stopped without writing; the other one goes on.
 */
export type ImportErrorCode =
  | 'NO_ARCHIVE'
  | 'BAD_JOB_MESSAGE'
  | 'NOT_AN_ENT_EXPORT'
  | 'ARCHIVE_CORRUPT'
  | 'ARCHIVE_UNSUPPORTED'
  | 'ARCHIVE_TOO_LARGE'
  | 'EMPTY_SELECTION'
  | 'DISK_QUOTA_EXCEEDED'
  | 'STACK_ERROR'
  | 'ALREADY_IMPORTED'
  | 'UNKNOWN_ERROR'
  | 'NO_TEMP_DIR'
  | 'IMPORT_HELD'

/** Progress and result of one ENT application. */
export interface ImportAppReport {
  /** ENT application key (`workspace`, `blog`, … or `unknown`). */
  app: string
  /** The app's folder in the archive (for display). */
  folder: string | null
  state: 'pending' | 'running' | 'done'
  /** Whether the app was chosen; an app left out is `done` at once, every item `notSelected`. */
  selected: boolean
  /**
   * Items of the archive in this app (files, folders, notes, events, mails, raw records,
   * stored images…), as `describeArchive` counts them: known before anything is written.
   * When the app is done, imported + skipped + notSelected + failed equals it.
   */
  total: number
  /** Created by this import. */
  imported: number
  /** Already there from an earlier run of the same import (same provenance): not written again. */
  skipped: number
  /** Left out on purpose: the app was not ticked, or the item is in a trash that was not. */
  notSelected: number
  /** Could not be imported; the reasons are in the record's `errors`. */
  failed: number
  /** Bytes written to the Cozy for this app. */
  bytes: number
  /** Bytes planned for this app (the quota check adds these up). */
  plannedBytes: number
  /** Time spent on this app, over every job, in milliseconds. */
  durationMs: number
}

/** One item that could not be imported. */
export interface ImportItemError {
  app: string
  /** What it was: a path in the import folder, or `<collection> <ENT id>`. */
  item: string
  /** Why, in plain words (English, for the report; the app may show it as is). */
  reason: string
}

/** What `mes-donnees import --json` prints, and what the record keeps once the import ends. */
export interface ImportReport {
  state: ImportState
  importFolder: { id: string; path: string } | null
  /** Per app, counted in items (see ImportAppReport.total): imported + skipped + notSelected + failed = items. */
  apps: Array<{ app: string; folder: string | null; items: number; imported: number; skipped: number; notSelected: number; failed: number; bytes: number; durationMs: number }>
  /** Number of pending share documents for this import. */
  pendingShares: number
  errors: ImportItemError[]
  /** Items imported with a change worth knowing (a name changed so that two ENT names both land). */
  notices: ImportItemError[]
}

/** The io.cozy.mesdonnees.imports document. */
export interface ImportRecord {
  _id?: string
  _rev?: string
  state: ImportState
  archive: {
    /** io.cozy.files id of the zip, null for a local archive (`mes-donnees import ARCHIVE`). */
    fileId: string | null
    name: string | null
    size: number | null
    /** `<ms>_<userId>` of the export (the provenance's export id), once the archive was read. */
    exportId: string | null
    exportedAt: string | null
  }
  /** Selected application keys; null means every application of the archive. */
  selection: string[] | null
  includeTrash: boolean
  /**
   * A copy: written into a folder of its own even when the same export was imported before.
   * Otherwise a second import of the same export goes into the first one's folder and finds
   * every item there.
   */
  copy?: boolean
  /**
   * Whose documents with ids (events, pending shares) this import finds and writes: the import
   * that created the import folder (this one, or the first import of the same export whose
   * folder it shares).
   */
  identity?: string
  /** The folder the import folder was created in. */
  destination: { id: string | null; path: string }
  /** The import folder (`/Mes données ENT/2026-04-01`), once created. */
  importFolder: { id: string; path: string } | null
  /** Per application, in the order they are imported. */
  apps: ImportAppReport[]
  /** Totals over every app, for a progress bar: bytes done / planned. */
  progress: { bytesDone: number; bytesPlanned: number; itemsDone: number; itemsPlanned: number }
  /** Failed items (the first 500; `errorCount` has the full number). */
  errors: ImportItemError[]
  errorCount: number
  /** Imported items with a change worth knowing (the first 500). */
  notices: ImportItemError[]
  /** Set when `state` is `failed`. */
  error: { code: ImportErrorCode; message: string } | null
  /** Pending share documents created by this import. */
  pendingShares: number
  /** Jobs used so far (1 + continuations) and the current one. */
  jobs: number
  jobId: string | null
  /**
   * Who is writing the import now, renewed every few seconds while it works; null once the
   * job ends (done, paused, failed). A record `running` under a lease whose job the stack
   * says ended, or whose expiry passed, is taken over by the next job at once.
   */
  lease?: ImportLease | null
  /** ISO dates. */
  createdAt: string
  startedAt: string | null
  updatedAt: string
  finishedAt: string | null
  /** Set when the import ends (`done`, or `failed` after writing started). */
  report: ImportReport | null
  /** Engine-internal resume state; the app must not rely on its shape. */
  checkpoint?: unknown
}

/** The lease of the process writing an import (src/import/lease.ts). */
export interface ImportLease {
  /** The konnector job (COZY_JOB_ID), null for the command line. */
  jobId: string | null
  /** A random id of the process (one per run of the engine): a retry of the same job is another holder. */
  holder: string
  /** ISO date after which the lease is free, even if its job cannot be asked about. */
  expiresAt: string
}

/** A recipient of an ENT share, normalised (opaque ENT ids: the archive names nobody else). */
export interface PendingShareRecipient {
  kind: 'user' | 'group'
  /** ENT user id or group id. */
  entId: string
  /** Strongest role: `read` < `comment` < `contrib` < `publish` < `manager`. */
  role: 'read' | 'contrib' | 'manager' | 'comment' | 'publish'
  /** Whether the grant comes only from a parent folder (workspace). */
  inherited: boolean
  /** Display name when the archive has one (authors, mail peers), else null. */
  nameHint: string | null
  /** Filled by the Share again page once the user maps the recipient (io.cozy.contacts or .groups id). */
  contactId?: string | null
  contactDoctype?: 'io.cozy.contacts' | 'io.cozy.contacts.groups' | null
}

/** The io.cozy.mesdonnees.pendingshares document (stable id: one per ENT resource and import). */
export interface PendingShare {
  _id?: string
  _rev?: string
  /** `pending` until re-shared; `shared` once an io.cozy.sharings exists; `dismissed` by the user. */
  state: 'pending' | 'shared' | 'dismissed'
  /** The import record it comes from. */
  importId: string
  provenance: Provenance
  /** What the resource was in the ENT (for display). */
  resource: { title: string; collection: string | null }
  /** The Cozy document the resource became (a folder for blogs/folders, a file for notes…). */
  cozy: { doctype: 'io.cozy.files' | 'io.cozy.calendar.events'; id: string; path: string | null; type: 'directory' | 'file' | 'event' }
  recipients: PendingShareRecipient[]
  /** Set by the Share again page. */
  sharingId?: string | null
  createdAt: string
  updatedAt: string
}

/**
 * Provenance of every document the import creates: in `metadata.mesdonnees` of io.cozy.files,
 * and at `mesdonnees` on other documents. The key is what makes a re-run skip what is there.
 */
export interface Provenance {
  /** ENT application key. */
  app: string
  /** ENT id of the resource (or the archive path for files no record describes). */
  entId: string
  /** `<ms>_<userId>` of the export. */
  exportId: string
  /** Stable key of the item in the import plan (`<app>/<kind>/<entId>[/<part>]`). */
  key: string
}

/** A record before any job ran (state `queued`): the engine and the app both start from it. */
export function emptyImportRecord(now: Date): ImportRecord {
  const iso = now.toISOString()
  return {
    state: 'queued',
    archive: { fileId: null, name: null, size: null, exportId: null, exportedAt: null },
    selection: null,
    includeTrash: false,
    destination: { id: null, path: '' },
    importFolder: null,
    apps: [],
    progress: { bytesDone: 0, bytesPlanned: 0, itemsDone: 0, itemsPlanned: 0 },
    errors: [],
    errorCount: 0,
    notices: [],
    error: null,
    pendingShares: 0,
    jobs: 0,
    jobId: null,
    createdAt: iso,
    startedAt: null,
    updatedAt: iso,
    finishedAt: null,
    report: null
  }
}
