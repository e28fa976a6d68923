import { spawn } from 'child_process'
import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import readline from 'readline'
import type { Instance } from '../instance/instance'
import { resolveAssetPath } from '../apps/serve-webapp'
import { BadTriggerError, type WorkerDefinition, type WorkerRun } from './system'

/**
 * The `service` worker: runs a webapp's service (manifest `services`) as cozy-stack's
 * worker/exec/service.go does, in a child process, with worker/exec/common.go's limits.
 */

/** ServiceOptions (worker/exec/service.go): a trigger made at install sends {slug, name}. */
interface ServiceMessage {
  slug?: unknown
  name?: unknown
  fields?: unknown
  service_file?: unknown
  message?: ServiceMessage
}

/** A service as stored in the app document (model/app/webapp.go Service). */
export interface ManifestService {
  type?: string
  file?: string
  debounce?: string
  trigger?: string
  trigger_id?: string
}

/** The stack keeps the first 256 KiB of stderr (utils.LimitWriterDiscard) and logs it at the end. */
const MAX_STDERR = 256 * 1024
/** ScanOutput truncates messages at 4000 characters. */
const MAX_MESSAGE = 4000

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

interface Prepared {
  slug: string
  name: string
  fields: string
  entry: string
}

/**
 * serviceWorker.PrepareWorkDir: the webapp must be installed (else a bad trigger: not
 * retried, and its trigger deleted) and ready, the service found by name (or by file), and a trigger other than the
 * one recorded for the service must still be a trigger of the same service (else "orphan").
 * The service file is copied as index.js into a fresh work directory.
 */
async function prepare(instance: Instance, job: WorkerRun['job'], workDir: string): Promise<Prepared> {
  let opts: ServiceMessage = isRecord(job.message) ? (job.message as ServiceMessage) : {}
  if (opts.message) opts = opts.message
  const slug = typeof opts.slug === 'string' ? opts.slug : ''
  const name = typeof opts.name === 'string' ? opts.name : ''
  const manifest = slug ? await instance.manifestOf('webapp', slug) : null
  const installed = slug ? instance.state.apps[slug] : undefined
  if (!manifest || !installed) throw new BadTriggerError('Application is not installed')
  if (manifest.state !== 'ready') throw new Error('Application is not ready')
  const services = isRecord(manifest.services) ? (manifest.services as Record<string, ManifestService>) : {}
  const service = name ? services[name] : Object.values(services).find(s => s.file === opts.service_file)
  if (!service) throw new BadTriggerError(`Service "${name}" was not found`)
  const triggerId = job.trigger_id
  if (triggerId && service.trigger_id && triggerId !== service.trigger_id) {
    const trigger = await instance.jobs.getTrigger(triggerId)
    if (!trigger) throw new BadTriggerError(`Trigger "${triggerId}" not found`)
    const message = isRecord(trigger.message) ? trigger.message : {}
    if (message.name !== name) throw new BadTriggerError(`Trigger "${triggerId}" is orphan`)
  }
  const source = resolveAssetPath(installed.dir, path.posix.join('/', String(service.file ?? '')))
  if (!source) throw new Error(`open ${String(service.file)}: file does not exist`)
  const entry = path.join(workDir, 'index.js')
  try {
    await fs.copyFile(source, entry)
  } catch {
    throw new Error(`open ${String(service.file)}: file does not exist`)
  }
  // json.RawMessage of the message's fields: empty when there are none
  const fields = opts.fields === undefined || opts.fields === null ? '' : JSON.stringify(opts.fields)
  return { slug, name, fields, entry }
}

/**
 * worker (worker/exec/common.go) with serviceWorker's PrepareCmdEnv and ScanOutput: the
 * environment of service.go (an app token without session, the event's document in
 * COZY_COUCH_DOC), one JSON message per stdout line logged at its level, stderr logged once
 * the process ends, the process group killed at the time limit. The job's error is the
 * process's (exit status), not the messages': a service fails by exiting non-zero.
 */
async function runService(ctx: WorkerRun): Promise<void> {
  const { instance, job, runtime } = ctx
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'service-'))
  try {
    const { slug, name, fields, entry } = await prepare(instance, job, workDir)
    const tag = `[service ${slug}${name ? `/${name}` : ''}]`
    const timeLimit = Math.ceil(Math.max(0, ctx.deadline - Date.now()) / 1000) + 5
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: workDir,
      COZY_URL: instance.url,
      // i.BuildAppToken(slug, ""): an app token bound to no session
      COZY_CREDENTIALS: instance.issueToken('app', slug),
      COZY_LANGUAGE: 'node',
      COZY_LOCALE: instance.state.locale,
      COZY_TIME_LIMIT: String(timeLimit),
      COZY_JOB_ID: job._id,
      COZY_COUCH_DOC: job.event?.doc ? JSON.stringify(job.event.doc) : '',
      COZY_PAYLOAD: '',
      COZY_FIELDS: fields
    }
    if (job.trigger_id) env.COZY_TRIGGER_ID = job.trigger_id
    const child = spawn(process.execPath, [entry], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }
    ctx.signal.addEventListener('abort', kill, { once: true })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8').slice(0, MAX_STDERR - stderr.length)
    })
    readline.createInterface({ input: child.stdout }).on('line', line => {
      let parsed: { type?: unknown; message?: unknown }
      try {
        parsed = JSON.parse(line) as typeof parsed
      } catch {
        runtime.config.log(`${tag} error: Could not parse stdout as JSON: ${JSON.stringify(line)}`)
        return
      }
      const type = typeof parsed.type === 'string' ? parsed.type : ''
      const message = (typeof parsed.message === 'string' ? parsed.message : '').slice(0, MAX_MESSAGE)
      const level = type === 'debug' || type === 'info' ? 'debug' : type === 'warning' || type === 'warn' ? 'warn' : type === 'error' || type === 'critical' ? 'error' : ''
      if (level) runtime.config.log(`${tag} ${level}: ${message}`)
    })
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', c => resolve(c))
      })
      if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('context deadline exceeded')
      if (code !== 0) throw new Error(code === null ? 'signal: killed' : `exit status ${code}`)
      runtime.config.log(`${tag} Service success`)
    } catch (err) {
      runtime.config.log(`${tag} Service failure: ${(err as Error).message}`)
      throw err
    } finally {
      ctx.signal.removeEventListener('abort', kill)
      if (stderr) runtime.config.log(`${tag} error: Stderr: ${stderr.trimEnd()}`)
    }
  } finally {
    await fs.rm(workDir, { recursive: true, force: true })
  }
}

/** worker/exec/common.go: the "service" worker, 300 s (defaultTimeout) and 2 executions. */
export const serviceWorker: WorkerDefinition = {
  type: 'service',
  timeoutSeconds: runtime => runtime.config.serviceTimeLimitSeconds ?? 300,
  maxExecCount: () => 2,
  run: runService
}
