import { promises as fs } from 'fs'
import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeKonnector, writeWebapp } from '../testing/fixtures'

/**
 * A tiny konnector: it records each execution (with its environment and pid) through the
 * stack's API with its own token, then behaves as COZY_FIELDS.mode says.
 */
const KONNECTOR_SOURCE = `
const fields = JSON.parse(process.env.COZY_FIELDS)
process.stdout.write(JSON.stringify({ type: 'debug', message: 'pid ' + process.pid }) + '\\n')
const env = {}
for (const k of Object.keys(process.env)) if (k.startsWith('COZY_')) env[k] = process.env[k]
const say = (type, message, extra) => process.stdout.write(JSON.stringify({ type, message, ...extra }) + '\\n')
fetch(process.env.COZY_URL + 'data/io.cozy.mesdonnees.imports/', {
  method: 'POST',
  headers: { Authorization: 'Bearer ' + process.env.COZY_CREDENTIALS, 'Content-Type': 'application/json' },
  body: JSON.stringify({ run: fields.run, pid: process.pid, env })
}).then(res => {
  say('info', 'recorded ' + res.status)
  if (fields.mode === 'ok') { say('info', 'done'); return }
  if (fields.mode === 'sleep') { setInterval(() => {}, 1000); return }
  if (fields.mode === 'fail') { say('critical', 'VENDOR_DOWN'); process.exit(1) }
  if (fields.mode === 'no-retry') { say('critical', 'UNKNOWN_ERROR', { no_retry: true }); process.exit(1) }
  if (fields.mode === 'login') { say('critical', 'LOGIN_FAILED'); process.exit(1) }
  if (fields.mode === 'error-line') { say('error', 'something broke'); return }
})
`

jest.setTimeout(30_000)

/**
 * Processes whose environment carries this job id. The konnector runs in a pid namespace (the
 * jail, jobs/konnector-jail.ts): the pid it sees is not the host's, its environment is.
 */
async function processesOfJob(jobId: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of (await fs.readdir('/proc')).filter(name => /^\d+$/.test(name))) {
    const environ = await fs.readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (environ.split('\0').includes(`COZY_JOB_ID=${jobId}`)) found.push(pid)
  }
  return found
}

let stack: RunningStack
let base: string
let cli: string

async function waitJob(id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const r = await call(base, 'GET', `/jobs/${id}`, { token: cli })
    const state = pick(r.json, 'data', 'attributes', 'state')
    if (state === 'done' || state === 'errored') return pick(r.json, 'data', 'attributes') as Record<string, unknown>
    await new Promise(res => setTimeout(res, 50))
  }
}

async function runsOf(run: string): Promise<Record<string, unknown>[]> {
  const r = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_find', { token: cli, body: { selector: { run } } })
  return (pick(r.json, 'docs') as Record<string, unknown>[]) ?? []
}

async function queue(run: string, mode: string, extra: Record<string, unknown> = {}) {
  return call(base, 'POST', '/jobs/queue/konnector', { token: cli, body: { data: { attributes: { arguments: { konnector: 'tiny', run, mode, ...extra } } } } })
}

const TINY_MANIFEST = { slug: 'tiny', permissions: { imports: { type: 'io.cozy.mesdonnees.imports', verbs: ['POST'] } } }

beforeAll(async () => {
  // a generous limit here: on a loaded CI machine a node process takes a while to start
  stack = await startStack({ konnectorTimeLimitSeconds: 60 })
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
  await stack.instances[0].installKonnector(await writeKonnector(TINY_MANIFEST, KONNECTOR_SOURCE))
  await stack.instances[0].installApp(
    await writeWebapp({
      slug: 'launcher',
      permissions: {
        jobs: { type: 'io.cozy.jobs', verbs: ['GET', 'POST'], selector: 'worker', values: ['konnector'] },
        triggers: { type: 'io.cozy.triggers', verbs: ['GET', 'POST'], selector: 'worker', values: ['konnector'] }
      }
    })
  )
})
afterAll(() => stack.stop())

describe('konnector worker', () => {
  it('runs the konnector with the stack environment and a working konnector token', async () => {
    const queued = await queue('env', 'ok', { account: undefined, extra_key: 'kept' })
    expect(queued.status).toBe(202)
    expect(queued.json).toMatchObject({ data: { type: 'io.cozy.jobs', attributes: { worker: 'konnector', state: 'queued', message: { konnector: 'tiny', extra_key: 'kept' } } } })
    const id = String(pick(queued.json, 'data', 'id'))
    const done = await waitJob(id)
    expect(done.state).toBe('done')
    const [run] = await runsOf('env')
    const env = run.env as Record<string, string>
    expect(env.COZY_URL).toBe(base)
    expect(JSON.parse(env.COZY_FIELDS)).toMatchObject({ konnector: 'tiny', run: 'env', extra_key: 'kept' })
    expect(env.COZY_JOB_ID).toBe(id)
    expect(env.COZY_LOCALE).toBe('fr')
    expect(env.COZY_LANGUAGE).toBe('node')
    expect(env.COZY_TIME_LIMIT).toBe('65')
    expect(env.COZY_JOB_MANUAL_EXECUTION).toBe('false')
    expect(env.COZY_CREDENTIALS).toBeTruthy()
    expect(env.COZY_TRIGGER_ID).toBeUndefined()
  })

  it('kills the konnector at its time limit and retries it once, as the stack does', async () => {
    const lines: string[] = []
    const short = await startStack({ konnectorTimeLimitSeconds: 1, log: line => lines.push(line) })
    try {
      const alice = short.instances[0]
      await alice.installKonnector(await writeKonnector(TINY_MANIFEST, KONNECTOR_SOURCE))
      const queued = await call(alice.url, 'POST', '/jobs/queue/konnector', { token: alice.cliToken, body: { data: { attributes: { arguments: { konnector: 'tiny', run: 'sleep', mode: 'sleep' } } } } })
      const id = String(pick(queued.json, 'data', 'id'))
      let job: Record<string, unknown> = {}
      let seenRunning = false
      for (let state = ''; state !== 'done' && state !== 'errored'; state = String(job.state)) {
        await new Promise(r => setTimeout(r, 50))
        if (!seenRunning && lines.some(l => l.includes('[konnector tiny] info: recorded'))) seenRunning = (await processesOfJob(id)).length > 0
        job = pick((await call(alice.url, 'GET', `/jobs/${id}`, { token: alice.cliToken })).json, 'data', 'attributes') as Record<string, unknown>
      }
      expect(seenRunning).toBe(true)
      expect(job).toMatchObject({ state: 'errored', error: 'context deadline exceeded' })
      expect(lines.filter(l => l.includes(`job ${id} execution`) && l.endsWith('context deadline exceeded'))).toHaveLength(2)
      expect(lines.filter(l => /\[konnector tiny\] debug: pid \d+/.test(l))).toHaveLength(2)
      expect(await processesOfJob(id)).toEqual([])
    } finally {
      await short.stop()
    }
  })

  it('retries after a critical error, not after no_retry or LOGIN_FAILED', async () => {
    // the four jobs run side by side, as the stack's worker pool would run them
    const ids = await Promise.all(['fail', 'no-retry', 'login', 'error-line'].map(async mode => String(pick((await queue(mode, mode)).json, 'data', 'id'))))
    const [fail, noRetry, login, errorLine] = await Promise.all(ids.map(waitJob))
    expect(fail).toMatchObject({ state: 'errored', error: 'VENDOR_DOWN' })
    expect(await runsOf('fail')).toHaveLength(2)
    expect(noRetry).toMatchObject({ state: 'errored', error: 'UNKNOWN_ERROR' })
    expect(await runsOf('no-retry')).toHaveLength(1)
    expect(login.error).toBe('LOGIN_FAILED')
    expect(await runsOf('login')).toHaveLength(1)
    expect(errorLine).toMatchObject({ state: 'errored', error: 'something broke' })
  })

  it('replaces a trashed folder_to_save with the account defaultFolderPath, in COZY_FIELDS', async () => {
    const folder = await call(base, 'POST', '/files/?Type=directory&Name=Old', { token: cli })
    const oldId = String(pick(folder.json, 'data', 'id'))
    await call(base, 'DELETE', `/files/${oldId}`, { token: cli })
    const account = await call(base, 'POST', '/data/io.cozy.accounts/', { token: cli, body: { account_type: 'tiny', defaultFolderPath: '/Imports ENT' } })
    const queued = await queue('folder', 'ok', { account: pick(account.json, 'id'), folder_to_save: oldId })
    expect((await waitJob(String(pick(queued.json, 'data', 'id')))).state).toBe('done')
    const [run] = await runsOf('folder')
    const fields = JSON.parse((run.env as Record<string, string>).COZY_FIELDS) as { folder_to_save: string }
    expect(fields.folder_to_save).not.toBe(oldId)
    const dir = await call(base, 'GET', `/files/${fields.folder_to_save}`, { token: cli })
    expect(pick(dir.json, 'data', 'attributes', 'path')).toBe('/Imports ENT')
    expect(pick(dir.json, 'data', 'relationships', 'referenced_by', 'data', 0)).toEqual({ type: 'io.cozy.konnectors', id: 'io.cozy.konnectors/tiny' })
  })

  it('fails a job for a konnector that is not installed without retrying', async () => {
    const r = await call(base, 'POST', '/jobs/queue/konnector', { token: cli, body: { data: { attributes: { arguments: { konnector: 'missing' } } } } })
    const done = await waitJob(String(pick(r.json, 'data', 'id')))
    expect(done).toMatchObject({ state: 'errored', error: 'Application is not installed' })
  })
})

describe('/jobs routes', () => {
  it('refuses unknown and reserved workers, bad JSON:API and foreign workers', async () => {
    const app = stack.instances[0].tokenFor('launcher')
    const body = { data: { attributes: { arguments: {} } } }
    expect((await call(base, 'POST', '/jobs/queue/nope', { token: cli, body })).status).toBe(404)
    const reserved = await call(base, 'POST', '/jobs/queue/thumbnail', { token: stack.instances[0].tokenFor('tiny'), body })
    expect(reserved.status).toBe(403)
    const foreign = await call(base, 'POST', '/jobs/queue/sendmail', { token: app, body })
    expect(foreign.status).toBe(403)
    expect(pick(foreign.json, 'error')).toBe('Forbidden')
    const malformed = await call(base, 'POST', '/jobs/queue/konnector', { token: app, raw: '{"data": 42}', headers: { 'Content-Type': 'application/vnd.api+json' } })
    expect(malformed.status).toBe(400)
    expect(pick(malformed.json, 'errors', 0, 'detail')).toBe('JSON input is malformed or is missing mandatory fields')
    const textBody = await call(base, 'POST', '/jobs/queue/konnector', { token: app, raw: 'konnector=tiny', headers: { 'Content-Type': 'text/plain' } })
    expect(textBody.status).toBe(400)
    expect((await call(base, 'GET', '/jobs/queue/konnector')).status).toBe(401)
  })

  it('creates, lists, launches and deletes a konnector trigger with its state', async () => {
    const app = stack.instances[0].tokenFor('launcher')
    const created = await call(base, 'POST', '/jobs/triggers', {
      token: app,
      body: { data: { attributes: { type: '@cron', arguments: '0 0 3 * * 1', worker: 'konnector', message: { konnector: 'tiny', run: 'trig', mode: 'ok' } } } }
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ data: { type: 'io.cozy.triggers', attributes: { type: '@cron', worker: 'konnector', message: { konnector: 'tiny' } } } })
    const id = String(pick(created.json, 'data', 'id'))
    const badType = await call(base, 'POST', '/jobs/triggers', { token: app, body: { data: { attributes: { type: '@nope', arguments: '', worker: 'konnector' } } } })
    expect(badType.status).toBe(422)

    const list = await call(base, 'GET', '/jobs/triggers?Worker=konnector', { token: app })
    expect(list.status).toBe(200)
    expect((pick(list.json, 'data') as unknown[]).some(t => pick(t, 'id') === id)).toBe(true)
    expect((await call(base, 'GET', '/jobs/triggers', { token: app })).status).toBe(403)

    const launched = await call(base, 'POST', `/jobs/triggers/${id}/launch`, { token: app })
    expect(launched.status).toBe(201)
    expect(pick(launched.json, 'data', 'attributes', 'manual_execution')).toBe(true)
    const done = await waitJob(String(pick(launched.json, 'data', 'id')))
    expect(done.state).toBe('done')
    const [run] = await runsOf('trig')
    expect((run.env as Record<string, string>).COZY_TRIGGER_ID).toBe(id)
    expect((run.env as Record<string, string>).COZY_JOB_MANUAL_EXECUTION).toBe('true')
    const state = await call(base, 'GET', `/jobs/triggers/${id}`, { token: app })
    expect(pick(state.json, 'data', 'attributes', 'current_state', 'status')).toBe('done')

    const st = await call(base, 'GET', `/jobs/triggers/${id}/state`, { token: app })
    expect(st.json).toMatchObject({ data: { type: 'io.cozy.triggers.state', attributes: { status: 'done', last_manual_job_id: pick(launched.json, 'data', 'id') } } })
    const triggerJobs = await call(base, 'GET', `/jobs/triggers/${id}/jobs?Limit=1`, { token: app })
    expect(pick(triggerJobs.json, 'data', 0, 'id')).toBe(pick(launched.json, 'data', 'id'))
    const patched = await call(base, 'PATCH', `/jobs/triggers/${id}`, { token: cli, body: { data: { attributes: { arguments: '0 0 4 * * 2' } } } })
    expect(pick(patched.json, 'data', 'attributes', 'arguments')).toBe('0 0 4 * * 2')
    const queue = await call(base, 'GET', '/jobs/queue/konnector', { token: app })
    expect(queue.status).toBe(200)
    expect(pick(queue.json, 'meta', 'count')).toBe(0)

    expect((await call(base, 'DELETE', `/jobs/triggers/${id}`, { token: cli })).status).toBe(204)
    expect((await call(base, 'GET', `/jobs/triggers/${id}`, { token: cli })).status).toBe(404)
  })

  it('fires an @in trigger once and removes it', async () => {
    const created = await call(base, 'POST', '/jobs/triggers', {
      token: cli,
      body: { data: { attributes: { type: '@in', arguments: '100ms', worker: 'konnector', message: { konnector: 'tiny', run: 'in', mode: 'ok' } } } }
    })
    const id = String(pick(created.json, 'data', 'id'))
    for (let i = 0; i < 400 && (await runsOf('in')).length === 0; i++) await new Promise(r => setTimeout(r, 50))
    expect(await runsOf('in')).toHaveLength(1)
    for (let i = 0; i < 400 && (await call(base, 'GET', `/jobs/triggers/${id}`, { token: cli })).status !== 404; i++) await new Promise(r => setTimeout(r, 50))
    expect((await call(base, 'GET', `/jobs/triggers/${id}`, { token: cli })).status).toBe(404)
  })

  it('fires an @event trigger on io.cozy.files for a file created in the watched folder only', async () => {
    const folder = await call(base, 'POST', '/files/?Type=directory&Name=Watched', { token: cli })
    const folderId = String(pick(folder.json, 'data', 'id'))
    const other = await call(base, 'POST', '/files/?Type=directory&Name=Elsewhere', { token: cli })
    const otherId = String(pick(other.json, 'data', 'id'))
    await call(base, 'POST', '/jobs/triggers', {
      token: cli,
      body: { data: { attributes: { type: '@event', arguments: `io.cozy.files:CREATED:${folderId}`, worker: 'konnector', message: { konnector: 'tiny', run: 'event', mode: 'ok' } } } }
    })
    await call(base, 'POST', `/files/${otherId}?Type=file&Name=a.zip`, { token: cli, raw: 'zip', headers: { 'Content-Type': 'application/zip' } })
    await call(base, 'POST', `/files/${folderId}?Type=file&Name=b.zip`, { token: cli, raw: 'zip', headers: { 'Content-Type': 'application/zip' } })
    for (let i = 0; i < 400 && (await runsOf('event')).length === 0; i++) await new Promise(r => setTimeout(r, 50))
    const jobs = await stack.instances[0].instance.jobs.jobsOf({ worker: 'konnector' })
    const eventJobs = jobs.filter(j => j.event)
    expect(eventJobs).toHaveLength(1)
    expect(eventJobs[0].event).toMatchObject({ verb: 'CREATED', doc: { name: 'b.zip' } })
  })
})
