/**
 * The ENT import engine, shared by the konnector and `mes-donnees import`:
 *
 *   archive (local file, or a Cozy file read by Range requests or from a temporary copy)
 *   → checks (readable, selection not empty, quota) before anything is written
 *   → per app: reader items → plan (stable keys, names) → bounded-parallel writes
 *   → import record: progress, checkpoint, errors, report
 *
 * Resuming: the checkpoint is (current app, low-water mark): every operation below the mark is
 * done. A new run replans (deterministically) and skips those without a request; the
 * operations above the mark that an interrupted run had finished are found by their key
 * (a name conflict whose file carries the same key, a document id that already exists).
 *
 * Time budget: given a deadline, the engine starts no new operation past it, waits for the
 * ones in flight, writes the checkpoint and answers `paused`; the caller schedules the rest.
 */
import { promises as fs } from 'fs'
import path from 'path'
import { Readable } from 'stream'
import { pipeline } from 'stream/promises'
import { createWriteStream } from 'fs'
import { countApp, DEFAULT_IMPORT_RANK, EntArchiveError, openArchiveFile, openArchiveUrl, readerFor, type AppLocation, type EntArchive } from '../ent/node'
import { Executor, FatalImportError, type Outcome } from './executor'
import { exportDateName } from './names'
import { appFolderBytes, Planner, type Op } from './plan'
import { checkLease, LeaseLostError } from './lease'
import { RecordStore, reportOf } from './record-store'
import { appsWithData, archiveErrorCode, NO_APPLICATION_DATA } from './refusal'
import { DEFAULT_DESTINATION_PATH, IMPORTS_DOCTYPE, type ImportAppReport, type ImportErrorCode, type ImportRecord, type ImportReport, type ImportState } from './records'
import type { StackClient } from './stack/client'
import { isStackError } from './stack/errors'
import { tempDirCandidates, tempDirFor } from './temp-dir'
import { TimeBudgetError } from './html'

export type ArchiveInput =
  | { kind: 'file'; path: string }
  /** `copyMaxBytes`: the largest archive `auto` copies (default COPY_MAX_BYTES). */
  | { kind: 'cozy'; fileId: string; access?: ArchiveAccess; copyMaxBytes?: number }

/**
 * How a Cozy-stored archive is read: HTTP Range requests, or a temporary local copy. `auto`
 * copies archives up to COPY_MAX_BYTES (faster: one download, then local reads; see
 * BENCHMARKS.md) when a writable temporary folder with room for it is proven (temp-dir.ts),
 * and reads the others by ranges (no disk, and a continuation job does not download the whole
 * archive again). `copy` without such a folder fails with NO_TEMP_DIR.
 */
export type ArchiveAccess = 'range' | 'copy' | 'auto'

export const COPY_MAX_BYTES = 512 * 1024 * 1024

export interface ImportOptions {
  /** The stack to write to; null only for a dry run of a local archive. */
  client: StackClient | null
  archive: ArchiveInput
  /** App keys to import; null/undefined: all. An empty list is refused. */
  selection?: string[] | null
  includeTrash?: boolean
  /** Parent of the import folder: a directory id, or a path (default `/Mes données ENT`). */
  destination?: { id?: string; path?: string }
  /** Import record id; default derived from the archive (`importIdFor`). */
  importId?: string
  /** The konnector job running this, recorded in the lease (a retry of the same job takes its record over at once). */
  jobId?: string | null
  /** Epoch ms after which no new operation starts (null: no limit). */
  deadline?: number | null
  /** Uploads in flight at once (default 4). */
  concurrency?: number
  /** Plan and count, write nothing (not even the record). */
  dryRun?: boolean
  /** Take over a record another process holds the lease of (the command line). */
  force?: boolean
  /** Import a copy even if the same export was imported before (default: the record's choice). */
  copy?: boolean
  /** Stop with ALREADY_IMPORTED, before writing anything, when another import of this export exists (the command line). */
  refuseEarlier?: boolean
  /** Where temporary copies go (default os.tmpdir()); used only once proven writable. */
  tempDir?: string
  log?: (line: string) => void
}

export interface ImportOutcome {
  state: ImportState
  /** The import was done before this run started: nothing was written, `report` is the earlier one. */
  alreadyDone?: boolean
  importId: string
  record: ImportRecord
  report: ImportReport
}

/** A failure of the whole import, with a code the app translates. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ImportError'
  }
}

/** The import record id for a Cozy-stored archive, or for a local archive's export id. */
export function importIdFor(input: { fileId?: string | null; exportId?: string | null }): string {
  if (input.fileId) return `ent-import-${input.fileId}`
  return `ent-import-${(input.exportId ?? 'unknown').replace(/[^A-Za-z0-9_-]/g, '_')}`
}

/** Apps in import order, by the rank each reader declares (providers of what others need first), unknown folders last. */
export function importOrder(apps: AppLocation[]): AppLocation[] {
  const rank = (a: AppLocation): number => (a.known ? readerFor(a.app)?.importRank ?? DEFAULT_IMPORT_RANK : Number.MAX_SAFE_INTEGER)
  return appsWithData(apps)
    .map((app, index) => ({ app, index }))
    .sort((a, b) => rank(a.app) - rank(b.app) || a.index - b.index)
    .map(({ app }) => app)
}

interface Checkpoint {
  version: 1
  apps: string[]
  appIndex: number
  lowWater: number
}

function readCheckpoint(value: unknown, apps: string[]): Checkpoint | null {
  if (!value || typeof value !== 'object') return null
  const c = value as Partial<Checkpoint>
  if (c.version !== 1 || !Array.isArray(c.apps) || c.apps.join('\n') !== apps.join('\n')) return null
  if (typeof c.appIndex !== 'number' || typeof c.lowWater !== 'number') return null
  return { version: 1, apps, appIndex: c.appIndex, lowWater: c.lowWater }
}

async function openInput(options: ImportOptions): Promise<{ archive: EntArchive; name: string | null; size: number | null; cleanup: () => Promise<void> }> {
  const input = options.archive
  if (input.kind === 'file') {
    const stat = await fs.stat(input.path).catch(() => null)
    if (!stat || !stat.isFile()) throw new ImportError('NO_ARCHIVE', `No archive at ${input.path}.`)
    const archive = await openArchiveFile(input.path)
    return { archive, name: path.basename(input.path), size: stat.size, cleanup: () => archive.close() }
  }
  const client = options.client
  if (!client) throw new ImportError('NO_ARCHIVE', 'Reading an archive stored in a Cozy needs --cozy and --token.')
  const file = await client.statById(input.fileId).catch(err => {
    if (isStackError(err, 'forbidden')) throw new ImportError('NO_ARCHIVE', `The konnector may not read the file ${input.fileId}.`)
    throw err
  })
  if (!file || file.type !== 'file') throw new ImportError('NO_ARCHIVE', `No archive with id ${input.fileId} in this Cozy.`)
  const size = Number(file.size ?? 0)
  const access = input.access ?? 'auto'
  const range = async (why: string) => {
    options.log?.(`reading the archive by Range requests (${why})`)
    const archive = await openArchiveUrl(client.downloadUrl(input.fileId), { headers: client.authHeaders() })
    return { archive, name: file.name, size, cleanup: () => archive.close() }
  }
  if (access === 'range') return range('asked')
  if (access === 'auto' && size > (input.copyMaxBytes ?? COPY_MAX_BYTES)) return range('too large to copy in the time budget')
  // The stack's jail has no writable disk (temp-dir.ts): a copy only where one is proven.
  const temp = await tempDirFor(size, tempDirCandidates(options.tempDir))
  if (!temp) {
    if (access === 'copy') throw new ImportError('NO_TEMP_DIR', `No writable temporary folder can hold a ${size}-byte copy of the archive (free space, file-size limit); read it by Range requests instead.`)
    return range('no writable temporary folder can hold a copy')
  }
  const dir = await fs.mkdtemp(path.join(temp.dir, 'ent-import-'))
  const removeDir = () => fs.rm(dir, { recursive: true, force: true })
  let archive: EntArchive
  try {
    const copy = path.join(dir, 'archive.zip')
    const res = await fetch(client.downloadUrl(input.fileId), { headers: client.authHeaders() })
    if (!res.ok || !res.body) throw new ImportError('NO_ARCHIVE', `The archive could not be downloaded (${res.status}).`)
    await pipeline(Readable.fromWeb(res.body as import('stream/web').ReadableStream<Uint8Array>), createWriteStream(copy))
    archive = await openArchiveFile(copy)
  } catch (err) {
    await removeDir()
    throw err
  }
  return {
    archive,
    name: file.name,
    size,
    cleanup: async () => {
      await archive.close()
      await removeDir()
    }
  }
}

export async function runImport(options: ImportOptions): Promise<ImportOutcome> {
  try {
    return await runImportHeld(options)
  } catch (err) {
    // Taken over while working: the other job goes on from the record; this one wrote its last.
    if (err instanceof LeaseLostError) throw new ImportError('IMPORT_HELD', err.message)
    throw err
  }
}

async function runImportHeld(options: ImportOptions): Promise<ImportOutcome> {
  const log = options.log ?? (() => undefined)
  const client = options.client
  const dryRun = options.dryRun === true
  let opened: Awaited<ReturnType<typeof openInput>>
  try {
    opened = await openInput(options)
  } catch (err) {
    if (err instanceof EntArchiveError) throw new ImportError(archiveErrorCode(err), err.message)
    throw err
  }
  const { archive } = opened
  // The lease's renewal stops with the run, whatever its end.
  let closeStore = (): void => undefined
  try {
    const exportId = archive.exportId ?? 'unknown-export'
    const fileId = options.archive.kind === 'cozy' ? options.archive.fileId : null
    // A copy asked for without a record to go on with gets a record of its own.
    const importId = options.importId ?? (options.copy ? `${importIdFor({ fileId, exportId })}-copy-${Date.now().toString(36)}` : importIdFor({ fileId, exportId }))
    if (!client && !dryRun) throw new ImportError('UNKNOWN_ERROR', 'An import needs a Cozy to write to.')
    if (client && !dryRun && options.refuseEarlier && options.copy !== true) {
      const earlier = (await earlierImports(client, exportId)).find(r => r._id !== importId || r.state === 'done')
      if (earlier) throw new ImportError('ALREADY_IMPORTED', alreadyImportedMessage(earlier))
    }
    const store = await RecordStore.open(dryRun ? null : client, importId, new Date(), { jobId: options.jobId ?? null, log })
    closeStore = () => store.close()
    const record = store.record
    if (record.state === 'done' && !dryRun) {
      log(`import ${importId} is already done`)
      return { state: 'done', alreadyDone: true, importId, record, report: record.report ?? reportOf(record) }
    }
    if (!dryRun) {
      const lease = await checkLease(record, options.jobId ?? null, client)
      if (lease.held && !options.force) throw new ImportError('IMPORT_HELD', `Import ${importId} is being written by another run: ${lease.why}. This one leaves it alone.`)
      if (record.state === 'running' || record.state === 'checking') log(`taking import ${importId} over: ${lease.held ? 'forced' : lease.why}`)
    }

    const failBeforeWriting = async (code: ImportErrorCode, message: string): Promise<never> => {
      record.state = 'failed'
      record.error = { code, message }
      record.finishedAt = new Date().toISOString()
      if (!dryRun) await store.save()
      throw new ImportError(code, message)
    }

    // ---- what to import ----
    const available = importOrder(archive.apps)
    const selection = options.selection ?? null
    const apps = selection ? available.filter(a => selection.includes(a.app)) : available
    record.state = 'checking'
    record.jobId = options.jobId ?? null
    record.jobs += 1
    record.startedAt ??= new Date().toISOString()
    record.archive = { fileId, name: opened.name, size: opened.size, exportId, exportedAt: archive.exportedAt?.toISOString() ?? null }
    record.selection = selection
    record.includeTrash = options.includeTrash === true
    record.copy = options.copy ?? record.copy ?? false
    record.error = null
    if (apps.length === 0) {
      await failBeforeWriting('EMPTY_SELECTION', selection ? `None of the selected applications (${selection.join(', ')}) is in this archive.` : NO_APPLICATION_DATA)
    }
    const appKeys = apps.map(a => a.app)
    const checkpoint = readCheckpoint(record.checkpoint, appKeys) ?? { version: 1 as const, apps: appKeys, appIndex: 0, lowWater: 0 }
    // The ledger: every app of the archive, its items counted before anything is written (the
    // chosen apps first, in import order; those left out are done at once, not selected).
    const left = available.filter(a => !apps.includes(a))
    const layout = [...apps.map(a => `${a.app}+`), ...left.map(a => `${a.app}-`)].join('\n')
    if (record.apps.map(a => `${a.app}${a.selected ? '+' : '-'}`).join('\n') !== layout) {
      record.apps = []
      for (const location of [...apps, ...left]) record.apps.push(await ledgerLine(archive, location, apps.includes(location)))
    }

    // ---- room: what is left to write must fit in the free space ----
    if (!dryRun && client) {
      const usage = await client.diskUsage()
      if (usage.quota !== null) {
        const left = record.apps.reduce((sum, a, i) => sum + (i < checkpoint.appIndex ? 0 : Math.max(0, a.plannedBytes - a.bytes)), 0)
        const free = usage.quota - usage.used
        if (left > free) {
          await failBeforeWriting('DISK_QUOTA_EXCEEDED', `The import needs about ${left} bytes but only ${Math.max(0, free)} are free in this Cozy.`)
        }
      }
    }

    // ---- the import folder ----
    const planner = new Planner({ archive, includeTrash: options.includeTrash === true })
    if (dryRun || !client) return await dryRunPlan(planner, archive, apps, store, importId)
    record.state = 'running'
    await store.save()
    const previousFolder = record.importFolder?.id ?? null
    const importFolder = await ensureImportFolder(client, record, importId, exportId, archive.exportedAt, options.destination, record.copy === true)
    if (previousFolder !== null && previousFolder !== importFolder.id) {
      // The import folder went away (trashed, deleted) between two runs: what the checkpoint
      // says is done is not there any more, so everything is planned and written again.
      log(`the import folder ${previousFolder} is gone; starting again in ${importFolder.path}`)
      checkpoint.appIndex = 0
      checkpoint.lowWater = 0
      record.pendingShares = 0
      for (const app of record.apps) if (app.selected) Object.assign(app, { state: 'pending', imported: 0, skipped: 0, notSelected: 0, failed: 0, bytes: 0 })
    }
    record.importFolder = importFolder
    await store.save()
    const executor = new Executor({ client, archive, importId, exportId, identity: record.identity ?? importId, importFolder })

    // Replaying what done apps provide (the document tree) rebuilds the links later notes make to it.
    if (checkpoint.appIndex > 0) {
      for (const location of apps.slice(0, checkpoint.appIndex)) {
        if (!location.known || !readerFor(location.app)?.provides?.length) continue
        planner.startApp(location)
        for await (const item of archive.readApp(location)) planner.plan(item)
      }
    }

    const concurrency = Math.max(1, options.concurrency ?? 4)
    for (let index = checkpoint.appIndex; index < apps.length; index++) {
      const location = apps[index]
      const report = record.apps[index]
      const lowWaterAtStart = index === checkpoint.appIndex ? checkpoint.lowWater : 0
      report.state = 'running'
      const started = Date.now()
      const sharesBefore = record.pendingShares
      const onLowWater = (lowWater: number, shares: number): void => {
        record.checkpoint = { version: 1, apps: appKeys, appIndex: index, lowWater } satisfies Checkpoint
        record.pendingShares = sharesBefore + shares
      }
      const result = await runApp({ location, report, planner, executor, store, archive, lowWater: lowWaterAtStart, concurrency, deadline: options.deadline ?? null, log, onLowWater })
      report.durationMs += Date.now() - started
      record.pendingShares = sharesBefore + result.pendingShares
      if (result.stopped || result.fatal) {
        record.checkpoint = { version: 1, apps: appKeys, appIndex: index, lowWater: result.lowWater } satisfies Checkpoint
        if (result.fatal) {
          record.state = 'failed'
          record.error = { code: result.fatal.code, message: result.fatal.message }
          record.report = reportOf(record)
          await store.save()
          throw new ImportError(result.fatal.code, result.fatal.message)
        }
        record.state = 'paused'
        await store.save()
        log(`paused in ${location.app} at operation ${result.lowWater}`)
        return { state: 'paused', importId, record, report: reportOf(record) }
      }
      report.state = 'done'
      record.checkpoint = { version: 1, apps: appKeys, appIndex: index + 1, lowWater: 0 } satisfies Checkpoint
      await store.save()
      log(`${location.app}: ${report.total} items: ${report.imported} imported, ${report.skipped} already there, ${report.notSelected} not selected, ${report.failed} failed`)
    }
    record.state = 'done'
    record.finishedAt = new Date().toISOString()
    record.report = reportOf(record)
    await store.save()
    return { state: 'done', importId, record, report: record.report }
  } finally {
    closeStore()
    await opened.cleanup()
  }
}

/** One app's line of the ledger, before anything is written. */
async function ledgerLine(archive: EntArchive, location: AppLocation, selected: boolean): Promise<ImportAppReport> {
  const { items } = await countApp(archive, location, () => undefined)
  return {
    app: location.app,
    folder: location.folder,
    selected,
    state: selected ? 'pending' : 'done',
    total: items,
    imported: 0,
    skipped: 0,
    notSelected: selected ? 0 : items,
    failed: 0,
    bytes: 0,
    plannedBytes: selected ? appFolderBytes(archive, location) : 0,
    durationMs: 0
  }
}

/** Items the report has an outcome for. */
function accounted(report: ImportAppReport): number {
  return report.imported + report.skipped + report.notSelected + report.failed
}

/**
 * An app whose data could not be read to its end: the items not reached fail, with the
 * reason, so the report still adds up to what the archive holds.
 */
function failUnread(report: ImportAppReport, store: RecordStore, location: AppLocation, reason: string): void {
  const missing = report.total - accounted(report)
  if (missing > 0) report.failed += missing
  else report.total = accounted(report)
  store.addError({ app: location.app, item: location.folder ?? location.app, reason: missing > 0 ? `${missing} items were not reached: ${reason}` : reason })
}

async function dryRunPlan(planner: Planner, archive: EntArchive, apps: AppLocation[], store: RecordStore, importId: string): Promise<ImportOutcome> {
  const record = store.record
  for (const [index, location] of apps.entries()) {
    const report = record.apps[index]
    planner.startApp(location)
    const count = (ops: Op[]): void => {
      for (const op of ops) {
        const items = op.items ?? 0
        if (op.kind === 'fail') {
          report.failed += items
          store.addError({ app: op.app, item: op.label, reason: op.reason })
        } else if (op.kind === 'account') report.notSelected += items
        else if (op.kind === 'file' && op.keptAs) {
          // Kept as is but not understood: the executor reports it failed, so does the plan.
          report.failed += items
          store.addError({ app: op.app, item: op.label, reason: op.keptAs })
        } else {
          report.imported += items
          if (op.notice) store.addNotice({ app: op.app, item: op.label, reason: op.notice })
        }
      }
    }
    try {
      for await (const item of archive.readApp(location)) count(planner.plan(item))
      count(planner.finishApp())
      if (accounted(report) !== report.total) failUnread(report, store, location, 'the application yielded a different number of items than counted')
    } catch (err) {
      failUnread(report, store, location, `the rest of this application could not be read (${err instanceof Error ? err.message : String(err)})`)
    }
    report.state = 'done'
  }
  record.state = 'done'
  return { state: 'done', importId, record, report: reportOf(record) }
}

/** Import records of the same export, most recent first. */
export async function earlierImports(client: StackClient, exportId: string): Promise<Array<ImportRecord & { _id: string }>> {
  const records = await client.allDocs<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE)
  return records.filter(r => r.archive?.exportId === exportId).sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)))
}

function alreadyImportedMessage(record: ImportRecord & { _id: string }): string {
  const when = record.finishedAt ?? record.startedAt ?? record.createdAt
  const where = record.importFolder?.path ?? record.destination?.path ?? '?'
  return `This archive was already imported on ${when} into ${where} (import ${record._id}, ${record.state}). Run again with --copy to import a copy, or with --import-id ${record._id} to go on with that import.`
}

/**
 * `<destination>/<export date>`, or `… (2)` when that name belongs to another import. Unless
 * this import is a copy, a folder that an import of the same export made is this import's
 * too: what is there already is found there and not written twice.
 */
async function ensureImportFolder(
  client: StackClient,
  record: ImportRecord,
  importId: string,
  exportId: string,
  exportedAt: Date | null,
  destination: ImportOptions['destination'],
  copy: boolean
): Promise<{ id: string; path: string }> {
  if (record.importFolder) {
    const existing = await client.statById(record.importFolder.id)
    if (existing && existing.type === 'directory' && existing.path && !existing.path.startsWith('/.cozy_trash')) return { id: existing._id, path: existing.path }
  }
  let parent: { id: string; path: string }
  if (destination?.id) {
    const dir = await client.statById(destination.id)
    if (!dir || dir.type !== 'directory' || !dir.path) throw new ImportError('UNKNOWN_ERROR', `The destination folder ${destination.id} does not exist.`)
    parent = { id: dir._id, path: dir.path }
  } else {
    parent = await ensurePath(client, destination?.path ?? DEFAULT_DESTINATION_PATH)
  }
  record.destination = { id: parent.id, path: parent.path }
  const base = exportDateName(exportedAt, new Date())
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base} (${n})`
    const full = parent.path === '/' ? `/${name}` : `${parent.path}/${name}`
    try {
      const dir = await client.createDir(parent.id, name, { createdAt: exportedAt, metadata: { mesdonnees: { importId, exportId, key: 'import-folder' } } })
      record.identity = importId
      return { id: dir._id, path: full }
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const existing = await client.statByPath(full)
      const owner = existing?.metadata?.mesdonnees as { importId?: string; exportId?: string } | undefined
      if (existing && existing.type === 'directory' && (owner?.importId === importId || (!copy && owner?.exportId === exportId))) {
        record.identity = owner?.importId ?? importId
        return { id: existing._id, path: full }
      }
    }
  }
  throw new ImportError('UNKNOWN_ERROR', `No free name for the import folder in ${parent.path}.`)
}

/** A folder path, created level by level when missing. */
export async function ensurePath(client: StackClient, fullPath: string): Promise<{ id: string; path: string }> {
  const existing = await client.statByPath(fullPath)
  if (existing && existing.type === 'directory') return { id: existing._id, path: fullPath }
  let current = { id: 'io.cozy.files.root-dir', path: '/' }
  for (const part of fullPath.split('/').filter(Boolean)) {
    const next = current.path === '/' ? `/${part}` : `${current.path}/${part}`
    try {
      const dir = await client.createDir(current.id, part)
      current = { id: dir._id, path: next }
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const found = await client.statByPath(next)
      if (!found || found.type !== 'directory') throw new ImportError('UNKNOWN_ERROR', `${next} exists and is not a folder.`)
      current = { id: found._id, path: next }
    }
  }
  return current
}

interface AppRun {
  location: AppLocation
  /** The app's line of the ledger. */
  report: ImportAppReport
  planner: Planner
  executor: Executor
  store: RecordStore
  archive: EntArchive
  lowWater: number
  concurrency: number
  deadline: number | null
  log: (line: string) => void
  /** Called as the low-water mark moves, with the pending shares folded so far in this run of the app. */
  onLowWater: (lowWater: number, pendingShares: number) => void
}

interface AppResult {
  /** Every operation below this is done. */
  lowWater: number
  stopped: boolean
  fatal: FatalImportError | null
  pendingShares: number
}

/**
 * Plans one app item by item and runs its operations: folders in order (children need them),
 * the rest with at most `concurrency` in flight. Outcomes are folded into the record in
 * operation order, so the record's counts and the low-water mark always agree.
 */
async function runApp(run: AppRun): Promise<AppResult> {
  const { location, planner, executor, store, report } = run
  const done = new Map<number, { op: Op; outcome: Outcome }>()
  const inFlight = new Set<Promise<void>>()
  let lowWater = run.lowWater
  let seq = 0
  let stopped = false
  let fatal: FatalImportError | null = null
  let pendingShares = 0

  const fold = (): void => {
    const before = lowWater
    while (done.has(lowWater)) {
      const { op, outcome } = done.get(lowWater) as { op: Op; outcome: Outcome }
      done.delete(lowWater)
      lowWater++
      report[outcome.status] += op.items ?? 0
      report.bytes += outcome.bytes
      if (outcome.pendingShare) pendingShares++
      if (outcome.status === 'failed') store.addError({ app: op.app, item: op.label, reason: outcome.reason ?? 'unknown reason' })
      else if (op.notice && outcome.status === 'imported') store.addNotice({ app: op.app, item: op.label, reason: op.notice })
    }
    // The record's next write carries the mark with the counts it matches: a process killed
    // between two checkpoints loses at most a second of bookkeeping, never data.
    if (lowWater !== before) run.onLowWater(lowWater, pendingShares)
  }

  const execute = async (op: Op, at: number): Promise<void> => {
    try {
      const outcome = await executor.run(op)
      done.set(at, { op, outcome })
    } catch (err) {
      fatal ??= err instanceof FatalImportError ? err : new FatalImportError('UNKNOWN_ERROR', err instanceof Error ? err.message : String(err))
    }
    fold()
  }

  const dispatch = async (ops: Op[]): Promise<boolean> => {
    for (const op of ops) {
      const at = seq++
      if (at < lowWater) continue
      if (fatal) return false
      if (run.deadline !== null && Date.now() >= run.deadline) {
        stopped = true
        return false
      }
      // No new write on a lease another job may have taken over.
      await store.guard()
      if (op.kind === 'dir') {
        await execute(op, at)
      } else {
        while (inFlight.size >= run.concurrency) await Promise.race(inFlight)
        const p = execute(op, at).finally(() => inFlight.delete(p))
        inFlight.add(p)
      }
      await store.saveSoon().catch(err => {
        if (err instanceof LeaseLostError) throw err
        run.log(`record not saved: ${err instanceof Error ? err.message : String(err)}`)
      })
    }
    return true
  }

  planner.startApp(location)
  let going = true
  let unread: string | null = null
  let lost: LeaseLostError | null = null
  try {
    for await (const item of run.archive.readApp(location)) {
      // Items an earlier job wrote are planned again without a deadline (stopping there would
      // never move on); past them, a long conversion stops the job before its item.
      if (seq >= lowWater) planner.setDeadline(run.deadline)
      going = await dispatch(planner.plan(item))
      if (!going) break
    }
    if (going) going = await dispatch(planner.finishApp())
  } catch (err) {
    // The app's data could not be read past this point: keep what was imported, fail the rest.
    if (err instanceof LeaseLostError) lost = err
    else if (err instanceof TimeBudgetError) stopped = true
    else if (err instanceof FatalImportError) fatal ??= err
    else unread = `the rest of this application could not be read (${err instanceof Error ? err.message : String(err)})`
  }
  await Promise.allSettled([...inFlight])
  if (lost) throw lost
  fold()
  if (!stopped && !fatal && (unread !== null || (going && accounted(report) !== report.total))) {
    failUnread(report, store, location, unread ?? 'the application yielded a different number of items than counted')
  }
  // Operations after a gap (one still running when the process stopped) are redone next time.
  done.clear()
  return { lowWater, stopped, fatal, pendingShares }
}
