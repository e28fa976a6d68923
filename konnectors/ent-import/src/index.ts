/**
 * Entry of the ent-import konnector, run by the stack's konnector worker (one process per job):
 * reads the job message (COZY_FIELDS), imports the archive with the shared engine within the
 * job's time limit, and, when the archive is too large for one job, schedules its own
 * continuation before stopping. Per-item failures are only warnings (an `error` line would
 * fail the job); a `critical` line carries the error code the app translates. An import
 * another live job holds (engine lease, src/import/lease.ts) fails this job with
 * `UNKNOWN_ERROR.IMPORT_HELD`, not retried: the other job goes on with it.
 */
// First, for its effect: the heap is bounded before the other modules load (src/import/heap.ts).
import '../../../src/import/bound-heap'
import { ImportError, importIdFor, runImport, type ImportOutcome } from '../../../src/import/engine'
import { IMPORTS_DOCTYPE, type ImportJobMessage, type ImportRecord } from '../../../src/import/records'
import { StackClient } from '../../../src/import/stack/client'
import { ensureWatchTrigger, scheduleContinuation } from '../../../src/import/triggers'
import { DISK_QUOTA_EXCEEDED, unknownError } from './error-codes'
import { JobMessageError, readJobMessage } from './job-message'
import { notifyNoArchive } from './no-archive'
import { logLine } from './stdout-protocol'
import { copyMaxBytes, stopAt } from './time-budget'

/** COZY_CREDENTIALS is the token in production, a JSON `{token: {accessToken}}` with cozy-jobs-cli. */
function tokenOf(credentials: string): string {
  try {
    const parsed = JSON.parse(credentials) as { token?: { accessToken?: string } }
    if (parsed?.token?.accessToken) return parsed.token.accessToken
  } catch {
    // the plain token
  }
  return credentials.trim()
}

/** The konnector error line of an import failure. */
export function criticalOf(err: ImportError): { message: string; retry: boolean } {
  if (err.code === DISK_QUOTA_EXCEEDED) return { message: DISK_QUOTA_EXCEEDED, retry: false }
  return { message: unknownError(err.code), retry: err.code === 'STACK_ERROR' }
}

function summary(outcome: ImportOutcome): string {
  const apps = outcome.report.apps.map(a => `${a.app}: ${a.items} items, ${a.imported} imported, ${a.skipped} already there, ${a.notSelected} not selected, ${a.failed} failed`).join('; ')
  return `import ${outcome.importId} ${outcome.state}${apps ? ` (${apps})` : ''}`
}

async function importOne(client: StackClient, message: ImportJobMessage & { fileId: string }, deadline: number): Promise<ImportOutcome> {
  const outcome = await runImport({
    client,
    archive: { kind: 'cozy', fileId: message.fileId, access: 'auto', copyMaxBytes: copyMaxBytes(deadline - Date.now()) },
    selection: message.selection ?? null,
    includeTrash: message.includeTrash === true,
    destination: message.folder_to_save ? { id: message.folder_to_save } : undefined,
    importId: message.importId,
    jobId: process.env.COZY_JOB_ID ?? null,
    deadline,
    log: line => logLine({ type: 'debug', message: line })
  })
  // A job that found nothing to do says so, with the earlier report: never a silent `done`.
  logLine({ type: 'info', message: outcome.alreadyDone ? `import ${outcome.importId} was already done before this job; nothing written. ${summary(outcome)}` : summary(outcome) })
  for (const error of outcome.report.errors.slice(0, 20)) logLine({ type: 'warning', message: `[${error.app}] ${error.item}: ${error.reason}` })
  if (outcome.state === 'paused') {
    const next: ImportJobMessage = { ...message, importId: outcome.importId, continuation: (message.continuation ?? 0) + 1 }
    delete next.watch
    const scheduled = await scheduleContinuation(client, next)
    logLine({ type: 'info', message: `import ${outcome.importId} continues in a new job (${scheduled.via} ${scheduled.id})` })
  }
  return outcome
}

/** Watched folder: import the archives dropped there that no import has finished; how many were taken up. */
async function importWatched(client: StackClient, dirId: string, message: ImportJobMessage, deadline: number): Promise<number> {
  let taken = 0
  const children = await client.listDir(dirId)
  for (const file of children) {
    if (file.type !== 'file' || !/\.zip$/i.test(file.name)) continue
    const importId = importIdFor({ fileId: file._id })
    const record = await client.getDoc<{ _id: string; state?: ImportRecord['state'] }>(IMPORTS_DOCTYPE, importId)
    if (record && (record.state === 'done' || record.state === 'failed')) continue
    taken++
    if (Date.now() >= deadline) {
      await scheduleContinuation(client, { konnector: message.konnector, watch: true })
      return taken
    }
    try {
      const outcome = await importOne(client, { konnector: message.konnector, fileId: file._id, importId }, deadline)
      if (outcome.state === 'paused') return taken
    } catch (err) {
      if (!(err instanceof ImportError)) throw err
      // One bad archive in the folder must not stop the others: its record says why.
      logLine({ type: 'warning', message: `${file.name}: ${criticalOf(err).message} ${err.message}` })
    }
  }
  return taken
}

/**
 * Started without an archive (from Home, with its account only): what waits in the watched
 * folder is imported; with nothing there, the job ends well and tells the user, by a
 * notification that opens the app, where an archive is chosen. Not an error: nothing failed.
 */
async function runWithoutArchive(client: StackClient, watchedDir: string | null, message: ImportJobMessage, deadline: number): Promise<void> {
  const taken = watchedDir ? await importWatched(client, watchedDir, message, deadline) : 0
  if (taken > 0) return
  logLine({ type: 'info', message: 'no archive given and none waiting in the watched folder: choose one in the Mes données app' })
  await notifyNoArchive(client, process.env.COZY_LOCALE ?? 'fr').catch(err => {
    logLine({ type: 'warning', message: `the notification could not be sent: ${err instanceof Error ? err.message : String(err)}` })
  })
}

async function run(): Promise<number> {
  const env = process.env
  let message: ImportJobMessage
  try {
    message = readJobMessage(env)
  } catch (err) {
    logLine({ type: 'critical', message: err instanceof JobMessageError ? err.message : unknownError('BAD_JOB_MESSAGE'), no_retry: true })
    return 1
  }
  if (!env.COZY_URL || !env.COZY_CREDENTIALS) {
    logLine({ type: 'critical', message: unknownError('NO_STACK'), no_retry: true })
    return 1
  }
  const client = new StackClient(env.COZY_URL, tokenOf(env.COZY_CREDENTIALS))
  const deadline = stopAt(Number(env.COZY_TIME_LIMIT), performance.timeOrigin)
  let watchedDir: string | null = null
  try {
    watchedDir = (await ensureWatchTrigger(client)).dirId
  } catch (err) {
    logLine({ type: 'warning', message: `the watched folder's trigger could not be set up: ${err instanceof Error ? err.message : String(err)}` })
  }
  try {
    if (message.watch) {
      if (watchedDir) await importWatched(client, watchedDir, message, deadline)
      return 0
    }
    if (!message.fileId) {
      await runWithoutArchive(client, watchedDir, message, deadline)
      return 0
    }
    await importOne(client, { ...message, fileId: String(message.fileId) }, deadline)
    return 0
  } catch (err) {
    if (err instanceof ImportError) {
      const critical = criticalOf(err)
      logLine({ type: 'info', message: err.message })
      logLine({ type: 'critical', message: critical.message, no_retry: !critical.retry })
      return 1
    }
    logLine({ type: 'critical', message: `UNKNOWN_ERROR ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) })
    return 1
  }
}

void run().then(code => {
  process.exitCode = code
})
