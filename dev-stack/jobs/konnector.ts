import { spawn } from 'child_process'
import { promises as fs } from 'fs'
import path from 'path'
import readline from 'readline'
import type { Instance } from '../instance/instance'
import { FILES_DOCTYPE, Vfs, type FileDoc } from '../files/vfs'
import { launchKonnector, selectRunner } from './konnector-jail'
import { NoRetryError, type WorkerDefinition, type WorkerRun } from './system'

/** The konnector job message (worker/exec/konnector.go KonnectorMessage); other keys pass through. */
interface KonnectorMessage {
  konnector?: string
  account?: string
  folder_to_save?: string
  [key: string]: unknown
}

/** Messages cut at 4000 characters (ScanOutput). */
const MAX_MESSAGE = 4000

function isMessage(v: unknown): v is KonnectorMessage {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Checks done before running (konnectorWorker.PrepareWorkDir): the konnector must be installed
 * (else a bad trigger, never retried), the account must exist when one is named, and the
 * konnector gets a permission on its folder and on the files referenced by it.
 */
async function prepare(instance: Instance, msg: KonnectorMessage, triggerId: string | undefined): Promise<string> {
  const slug = msg.konnector
  if (!slug) throw new NoRetryError('Missing konnector slug')
  const installed = instance.state.konnectors[slug]
  if (!installed) throw new NoRetryError('Application is not installed')
  let account: Record<string, unknown> | null = null
  if (msg.account) {
    account = await instance.dbs.getOrNull('io.cozy.accounts', msg.account)
    if (!account) throw new NoRetryError('Account not found')
  }
  await ensureFolderToSave(instance, msg, slug, account, triggerId)
  if (msg.folder_to_save) {
    const folder = await instance.files.get(msg.folder_to_save)
    if (folder && folder.type === 'directory') instance.grantKonnector(slug, { type: 'io.cozy.files', verbs: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], values: [folder._id] })
  }
  instance.grantKonnector(slug, { type: 'io.cozy.files', verbs: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], selector: 'referenced_by', values: [`io.cozy.konnectors/${slug}`] })
  return installed.dir
}

/**
 * ensureFolderToSave (worker/exec/konnector.go): a folder_to_save that is gone or in the trash
 * is replaced by the only live folder referenced by the konnector, else recreated from the
 * account's defaultFolderPath (or folderPath); the new id goes into the message (COZY_FIELDS)
 * and into the trigger's message.
 */
async function ensureFolderToSave(instance: Instance, msg: KonnectorMessage, slug: string, account: Record<string, unknown> | null, triggerId: string | undefined): Promise<void> {
  if (!msg.folder_to_save) return
  const current = await instance.files.get(msg.folder_to_save)
  if (current && current.type === 'directory' && !Vfs.inTrash(current.path)) return
  let dirId: string | null = null
  const referenced = await instance.dbs.find(FILES_DOCTYPE, { selector: { type: 'directory', referenced_by: { $elemMatch: { type: 'io.cozy.konnectors', id: `io.cozy.konnectors/${slug}` } } }, limit: 1000 })
  const live = (referenced.docs as unknown as FileDoc[]).filter(d => !Vfs.inTrash(d.path))
  if (live.length === 1) dirId = live[0]._id
  if (!dirId && account) {
    const folderPath = typeof account.defaultFolderPath === 'string' && account.defaultFolderPath ? account.defaultFolderPath : typeof account.folderPath === 'string' ? account.folderPath : ''
    if (!folderPath) return
    const dir = await instance.files.ensureDirPath(folderPath, { doctypeVersion: '1', metadataVersion: 1, createdAt: new Date().toISOString(), createdByApp: slug, createdOn: instance.url })
    await instance.files.addReferences(dir._id, [{ type: 'io.cozy.konnectors', id: `io.cozy.konnectors/${slug}` }])
    dirId = dir._id
  }
  if (!dirId) return
  msg.folder_to_save = dirId
  if (triggerId) {
    const trigger = await instance.jobs.getTrigger(triggerId)
    if (trigger && isMessage(trigger.message)) await instance.dbs.put('io.cozy.triggers', { ...trigger, message: { ...trigger.message, folder_to_save: dirId } })
  }
}

/** The konnector's entry file: manifest `main`, else index.js (build/konnectors/<slug>/index.js). */
async function entryOf(dir: string): Promise<string> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.konnector'), 'utf8')) as { main?: unknown }
    if (typeof manifest.main === 'string') return path.join(dir, manifest.main)
  } catch {
    // the default entry
  }
  return path.join(dir, 'index.js')
}

/**
 * Runs one execution of a konnector job in a child process, as worker/exec/konnector.go does:
 * the stack's environment variables, one JSON message per stdout line (debug, info, warning,
 * error, critical with no_retry), relayed on io.cozy.jobs.events, the process group killed at
 * the time limit. The job error is the last critical message, else the last error message,
 * else the exit status.
 */
async function runKonnector(ctx: WorkerRun): Promise<void> {
  const { instance, job, runtime } = ctx
  const msg: KonnectorMessage = isMessage(job.message) ? { ...job.message } : {}
  const dir = await prepare(instance, msg, job.trigger_id)
  const slug = String(msg.konnector)
  const manifest = await instance.manifestOf('konnector', slug)
  const timeLimit = Math.ceil(Math.max(0, ctx.deadline - Date.now()) / 1000) + 5
  const env: NodeJS.ProcessEnv = {
    COZY_URL: instance.url,
    COZY_CREDENTIALS: instance.issueToken('konn', slug),
    COZY_FIELDS: JSON.stringify(msg),
    // json.Marshal of the manifest's parameters (worker/exec/konnector.go): null when there are none
    COZY_PARAMETERS: JSON.stringify(manifest?.parameters ?? null),
    COZY_PAYLOAD: '',
    COZY_LANGUAGE: typeof manifest?.language === 'string' && manifest.language ? manifest.language : 'node',
    COZY_LOCALE: instance.state.locale,
    COZY_TIME_LIMIT: String(timeLimit),
    COZY_JOB_ID: job._id,
    COZY_JOB_MANUAL_EXECUTION: String(Boolean(job.manual_execution))
  }
  if (job.trigger_id) env.COZY_TRIGGER_ID = job.trigger_id
  const entry = await entryOf(dir)
  // As the stack's nsjail runner: no writable disk, only COZY_* and HOME, limits (konnector-jail.ts).
  const { runner, why } = selectRunner()
  const launch = launchKonnector(runner, dir, entry, env)
  runtime.config.log(`[konnector ${slug}] runner: ${runner} (${why})`)
  const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let critical: string | null = null
  let lastError: string | null = null
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  }
  ctx.signal.addEventListener('abort', kill, { once: true })
  // Aborted while preparing: the listener will not fire for an abort already made.
  if (ctx.signal.aborted) kill()
  const lines = readline.createInterface({ input: child.stdout })
  lines.on('line', line => {
    let parsed: { type?: unknown; message?: unknown; no_retry?: unknown }
    try {
      parsed = JSON.parse(line) as typeof parsed
    } catch {
      runtime.config.log(`[konnector ${slug}] ${line}`)
      return
    }
    const type = typeof parsed.type === 'string' ? parsed.type : ''
    const message = (typeof parsed.message === 'string' ? parsed.message : JSON.stringify(parsed.message ?? '')).slice(0, MAX_MESSAGE)
    if (type === 'error') lastError = message
    if (type === 'critical') {
      critical = message
      if (parsed.no_retry === true) ctx.noRetry()
    }
    runtime.config.log(`[konnector ${slug}] ${type}: ${message}`)
    instance.realtime.publish({ doctype: 'io.cozy.jobs.events', verb: 'CREATED', id: job._id, doc: { type, message, job_id: job._id } })
  })
  child.stderr.on('data', (chunk: Buffer) => runtime.config.log(`[konnector ${slug} stderr] ${chunk.toString('utf8').trimEnd()}`))
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', c => resolve(c))
    })
    if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('context deadline exceeded')
    if (critical) throw new Error(critical)
    if (lastError) throw new Error(lastError)
    if (code !== 0) throw new Error(`exit status ${code ?? 'killed'}`)
  } finally {
    ctx.signal.removeEventListener('abort', kill)
  }
}

/** konnErrorLoginFailed / konnErrorUserActionNeeded: no retry after these (jobHookErrorCheckerKonnector). */
function shouldRetry(error: Error): boolean {
  return !error.message.startsWith('LOGIN_FAILED') && !error.message.startsWith('USER_ACTION_NEEDED')
}

/** worker/exec/common.go: 300 s by default (the stack's config can change it), 2 executions. */
export const konnectorWorker: WorkerDefinition = {
  type: 'konnector',
  timeoutSeconds: runtime => runtime.config.konnectorTimeLimitSeconds,
  maxExecCount: runtime => runtime.config.konnectorMaxExecCount,
  shouldRetry,
  run: runKonnector
}
