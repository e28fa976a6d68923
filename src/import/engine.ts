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
import { countApp, DEFAULT_IMPORT_RANK, EntArchiveError, readerFor, type AppLocation, type EntArchive } from '../ent/node'
import { openArchiveSource, type OpenedArchive } from './archive-source'
import { AppRunner } from './app-runner'
import { Executor } from './executor'
import { ImportError } from './import-error'
import { ensureImportFolder } from './import-folder'
import { appFolderBytes, Planner, type Op } from './plan'
import { checkLease, LeaseLostError } from './lease'
import { accounted, readCheckpoint, RecordStore, reportOf, type ImportCheckpoint } from './record-store'
import { appsWithData, archiveErrorCode, NO_APPLICATION_DATA } from './refusal'
import { IMPORTS_DOCTYPE, type ImportAppReport, type ImportErrorCode, type ImportRecord, type ImportReport, type ImportState } from './records'
import type { StackClient } from './stack/client'

export { COPY_MAX_BYTES, type ArchiveAccess, type ArchiveInput } from './archive-source'
export { ImportError } from './import-error'
export { ensurePath } from './import-folder'
import type { ArchiveInput } from './archive-source'

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

export async function runImport(options: ImportOptions): Promise<ImportOutcome> {
  try {
    return await runImportHeld(options)
  } catch (err) {
    // Taken over while working: the other job goes on from the record; this one wrote its last.
    if (err instanceof LeaseLostError) throw new ImportError('IMPORT_HELD', err.message)
    throw err
  }
}

/** One run's fixed facts, once the archive and the record are open. */
interface ImportRun {
  options: ImportOptions
  opened: OpenedArchive
  archive: EntArchive
  store: RecordStore
  importId: string
  exportId: string
  fileId: string | null
  dryRun: boolean
  log: (line: string) => void
}

/** What the checks settled: the apps to import, in order, and where to start. */
interface ImportScope {
  available: AppLocation[]
  apps: AppLocation[]
  appKeys: string[]
  checkpoint: ImportCheckpoint
}

async function runImportHeld(options: ImportOptions): Promise<ImportOutcome> {
  const log = options.log ?? (() => undefined)
  const dryRun = options.dryRun === true
  let opened: OpenedArchive
  try {
    opened = await openArchiveSource({ client: options.client, archive: options.archive, tempDir: options.tempDir, log })
  } catch (err) {
    if (err instanceof EntArchiveError) throw new ImportError(archiveErrorCode(err), err.message)
    throw err
  }
  // The lease's renewal stops with the run, whatever its end.
  let closeStore = (): void => undefined
  try {
    const archive = opened.archive
    const exportId = archive.exportId ?? 'unknown-export'
    const fileId = options.archive.kind === 'cozy' ? options.archive.fileId : null
    // A copy asked for without a record to go on with gets a record of its own.
    const importId = options.importId ?? (options.copy ? `${importIdFor({ fileId, exportId })}-copy-${Date.now().toString(36)}` : importIdFor({ fileId, exportId }))
    const store = await openRecord(options, importId, exportId, log)
    closeStore = () => store.close()
    const record = store.record
    if (record.state === 'done' && !dryRun) {
      log(`import ${importId} is already done`)
      return { state: 'done', alreadyDone: true, importId, record, report: record.report ?? reportOf(record) }
    }
    const run: ImportRun = { options, opened, archive, store, importId, exportId, fileId, dryRun, log }
    const scope = await checkScope(run)
    const planner = new Planner({ archive, includeTrash: options.includeTrash === true })
    if (dryRun || !options.client) return await dryRunPlan(planner, archive, scope.apps, store, importId)
    return await writeApps(run, options.client, scope, planner)
  } finally {
    closeStore()
    await opened.cleanup()
  }
}

/** The import record, once no earlier import or live job stands in the way. */
async function openRecord(options: ImportOptions, importId: string, exportId: string, log: (line: string) => void): Promise<RecordStore> {
  const client = options.client
  const dryRun = options.dryRun === true
  if (!client && !dryRun) throw new ImportError('UNKNOWN_ERROR', 'An import needs a Cozy to write to.')
  if (client && !dryRun && options.refuseEarlier && options.copy !== true) {
    const earlier = (await earlierImports(client, exportId)).find(r => r._id !== importId || r.state === 'done')
    if (earlier) throw new ImportError('ALREADY_IMPORTED', alreadyImportedMessage(earlier))
  }
  const store = await RecordStore.open(dryRun ? null : client, importId, new Date(), { jobId: options.jobId ?? null, log })
  const record = store.record
  if (dryRun || record.state === 'done') return store
  try {
    const lease = await checkLease(record, options.jobId ?? null, client)
    if (lease.held && !options.force) throw new ImportError('IMPORT_HELD', `Import ${importId} is being written by another run: ${lease.why}. This one leaves it alone.`)
    if (record.state === 'running' || record.state === 'checking') log(`taking import ${importId} over: ${lease.held ? 'forced' : lease.why}`)
  } catch (err) {
    store.close()
    throw err
  }
  return store
}

/** Before anything is written: the selection, the ledger, and the room left in the Cozy. */
async function checkScope(run: ImportRun): Promise<ImportScope> {
  const { options, archive, store, opened } = run
  const available = importOrder(archive.apps)
  const selection = options.selection ?? null
  const apps = selection ? available.filter(a => selection.includes(a.app)) : available
  store.begin({
    jobId: options.jobId ?? null,
    archive: { fileId: run.fileId, name: opened.name, size: opened.size, exportId: run.exportId, exportedAt: archive.exportedAt?.toISOString() ?? null },
    selection,
    includeTrash: options.includeTrash === true,
    copy: options.copy
  })
  if (apps.length === 0) {
    await refuse(store, 'EMPTY_SELECTION', selection ? `None of the selected applications (${selection.join(', ')}) is in this archive.` : NO_APPLICATION_DATA)
  }
  const appKeys = apps.map(a => a.app)
  const checkpoint = readCheckpoint(store.record.checkpoint, appKeys) ?? { version: 1 as const, apps: appKeys, appIndex: 0, lowWater: 0 }
  // The ledger: every app of the archive, its items counted before anything is written (the
  // chosen apps first, in import order; those left out are done at once, not selected).
  const left = available.filter(a => !apps.includes(a))
  const layout = [...apps.map(a => `${a.app}+`), ...left.map(a => `${a.app}-`)].join('\n')
  if (store.record.apps.map(a => `${a.app}${a.selected ? '+' : '-'}`).join('\n') !== layout) {
    const ledger: ImportAppReport[] = []
    for (const location of [...apps, ...left]) ledger.push(await ledgerLine(archive, location, apps.includes(location)))
    store.setLedger(ledger)
  }
  if (!run.dryRun && options.client) await checkRoom(options.client, store, checkpoint)
  return { available, apps, appKeys, checkpoint }
}

async function refuse(store: RecordStore, code: ImportErrorCode, message: string): Promise<never> {
  await store.refuse(code, message)
  throw new ImportError(code, message)
}

/** What is left to write must fit in the free space. */
async function checkRoom(client: StackClient, store: RecordStore, checkpoint: ImportCheckpoint): Promise<void> {
  const usage = await client.diskUsage()
  if (usage.quota === null) return
  const left = store.record.apps.reduce((sum, a, i) => sum + (i < checkpoint.appIndex ? 0 : Math.max(0, a.plannedBytes - a.bytes)), 0)
  const free = usage.quota - usage.used
  if (left > free) await refuse(store, 'DISK_QUOTA_EXCEEDED', `The import needs about ${left} bytes but only ${Math.max(0, free)} are free in this Cozy.`)
}

/** The import folder, found again or made; the executor that writes into it. */
async function openImportFolder(run: ImportRun, client: StackClient, checkpoint: ImportCheckpoint): Promise<Executor> {
  const { store, options } = run
  await store.startWriting()
  const record = store.record
  const previousFolder = record.importFolder?.id ?? null
  const place = await ensureImportFolder(client, record, {
    importId: run.importId,
    exportId: run.exportId,
    exportedAt: run.archive.exportedAt,
    destination: options.destination,
    copy: record.copy === true
  })
  if (previousFolder !== null && previousFolder !== place.folder.id) {
    // The import folder went away (trashed, deleted) between two runs: what the checkpoint
    // says is done is not there any more, so everything is planned and written again.
    run.log(`the import folder ${previousFolder} is gone; starting again in ${place.folder.path}`)
    checkpoint.appIndex = 0
    checkpoint.lowWater = 0
    store.forgetWritten()
  }
  await store.setImportFolder(place)
  return new Executor({ client, archive: run.archive, importId: run.importId, exportId: run.exportId, identity: record.identity ?? run.importId, importFolder: place.folder })
}

/** Replaying what done apps provide (the document tree) rebuilds the links later notes make to it. */
async function replayDoneApps(archive: EntArchive, planner: Planner, done: AppLocation[]): Promise<void> {
  for (const location of done) {
    if (!location.known || !readerFor(location.app)?.provides?.length) continue
    planner.startApp(location)
    for await (const item of archive.readApp(location)) planner.plan(item)
  }
}

async function writeApps(run: ImportRun, client: StackClient, scope: ImportScope, planner: Planner): Promise<ImportOutcome> {
  const { store, importId, log, options } = run
  const { apps, appKeys, checkpoint } = scope
  const executor = await openImportFolder(run, client, checkpoint)
  if (checkpoint.appIndex > 0) await replayDoneApps(run.archive, planner, apps.slice(0, checkpoint.appIndex))
  const concurrency = Math.max(1, options.concurrency ?? 4)
  for (let index = checkpoint.appIndex; index < apps.length; index++) {
    const location = apps[index]
    const report = store.startApp(index)
    const started = Date.now()
    const sharesBefore = store.record.pendingShares
    const markAt = (lowWater: number): ImportCheckpoint => ({ version: 1, apps: appKeys, appIndex: index, lowWater })
    const runner = new AppRunner({
      location,
      report,
      planner,
      executor,
      store,
      archive: run.archive,
      lowWater: index === checkpoint.appIndex ? checkpoint.lowWater : 0,
      concurrency,
      deadline: options.deadline ?? null,
      log,
      onLowWater: (lowWater, shares) => store.moveMark(markAt(lowWater), sharesBefore + shares)
    })
    const result = await runner.run()
    store.endAppRun(index, Date.now() - started, sharesBefore + result.pendingShares)
    if (result.fatal) {
      await store.failWriting(markAt(result.lowWater), result.fatal.code, result.fatal.message)
      throw new ImportError(result.fatal.code, result.fatal.message)
    }
    if (result.stopped) {
      await store.pause(markAt(result.lowWater))
      log(`paused in ${location.app} at operation ${result.lowWater}`)
      return { state: 'paused', importId, record: store.record, report: reportOf(store.record) }
    }
    await store.appDone(index, { version: 1, apps: appKeys, appIndex: index + 1, lowWater: 0 })
    log(`${location.app}: ${report.total} items: ${report.imported} imported, ${report.skipped} already there, ${report.notSelected} not selected, ${report.failed} failed`)
  }
  const report = await store.finish()
  return { state: 'done', importId, record: store.record, report }
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

async function dryRunPlan(planner: Planner, archive: EntArchive, apps: AppLocation[], store: RecordStore, importId: string): Promise<ImportOutcome> {
  const record = store.record
  for (const [index, location] of apps.entries()) {
    const report = record.apps[index]
    planner.startApp(location)
    const count = (ops: Op[]): void => {
      for (const op of ops) store.countPlanned(report, op)
    }
    try {
      for await (const item of archive.readApp(location)) count(planner.plan(item))
      count(planner.finishApp())
      if (accounted(report) !== report.total) store.failUnread(report, location, 'the application yielded a different number of items than counted')
    } catch (err) {
      store.failUnread(report, location, `the rest of this application could not be read (${err instanceof Error ? err.message : String(err)})`)
    }
    await store.appDone(index)
  }
  store.finishDryRun()
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
