import { promises as fs } from 'fs'
import path from 'path'
import { startStack, type RunningStack } from '../index'
import type { JobDoc, TriggerDoc } from './system'
import { writeWebapp } from '../testing/fixtures'

/**
 * A webapp with services, as worker/exec/service.go runs them: the service records its
 * environment and what the stack answers to its token in a document, logs a JSON line, a
 * line that is not JSON and a stderr line; another one never ends.
 */
const RECORDER = `
const env = {}
for (const k of Object.keys(process.env)) if (k.startsWith('COZY_')) env[k] = process.env[k]
process.stdout.write(JSON.stringify({ type: 'info', message: 'recording' }) + '\\n')
process.stdout.write('not json\\n')
process.stderr.write('a warning on stderr\\n')
fetch(process.env.COZY_URL + 'data/io.cozy.mesdonnees.imports/', {
  method: 'POST',
  headers: { Authorization: 'Bearer ' + process.env.COZY_CREDENTIALS, 'Content-Type': 'application/json' },
  body: JSON.stringify({ recorded: true, env, cwd: process.cwd() })
}).then(res => { if (res.status !== 201) process.exit(3) })
`
const SLEEPER = 'setInterval(() => {}, 1000)\n'

function manifest(services: Record<string, unknown>) {
  return {
    slug: 'svc',
    permissions: { imports: { type: 'io.cozy.mesdonnees.imports', verbs: ['POST'] } },
    services
  }
}

const SERVICES = {
  recorder: { type: 'node', file: '/services/recorder.js', trigger: '@event io.cozy.mesdonnees.pendingshares:CREATED' },
  sleeper: { type: 'node', file: '/services/sleeper.js', trigger: '@event io.cozy.files:CREATED', debounce: '1s' }
}

async function appWith(services: Record<string, unknown>): Promise<string> {
  const dir = await writeWebapp(manifest(services))
  await fs.mkdir(path.join(dir, 'services'))
  await fs.writeFile(path.join(dir, 'services/recorder.js'), RECORDER)
  await fs.writeFile(path.join(dir, 'services/sleeper.js'), SLEEPER)
  return dir
}

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error('timed out')
    await new Promise(r => setTimeout(r, 50))
  }
}

jest.setTimeout(60_000)

describe('webapp services (worker "service")', () => {
  let stack: RunningStack
  const log: string[] = []

  beforeAll(async () => {
    stack = await startStack({ serviceTimeLimitSeconds: 2, log: line => log.push(line) })
  })
  afterAll(async () => {
    await stack?.stop()
  })

  const triggers = async () => (await stack.instances[0].instance.jobs.allTriggers()).filter(t => t.worker === 'service')

  it('makes a trigger per service at install, and keeps or replaces them when the app is installed again', async () => {
    const alice = stack.instances[0]
    await alice.installApp(await appWith(SERVICES))
    const first = await triggers()
    expect(first.map(t => ({ type: t.type, arguments: t.arguments, message: t.message, debounce: t.debounce })).sort((a, b) => a.arguments.localeCompare(b.arguments))).toEqual([
      { type: '@event', arguments: 'io.cozy.files:CREATED', message: { slug: 'svc', name: 'sleeper' }, debounce: '1s' },
      { type: '@event', arguments: 'io.cozy.mesdonnees.pendingshares:CREATED', message: { slug: 'svc', name: 'recorder' }, debounce: undefined }
    ])
    const doc = await alice.instance.manifestOf('webapp', 'svc')
    const stored = doc?.services as Record<string, { trigger_id?: string }>
    expect(stored.recorder.trigger_id).toBe(first.find(t => (t.message as { name: string }).name === 'recorder')?._id)

    // same services: same triggers; a changed trigger string: a new trigger, the old one gone
    await alice.installApp(await appWith(SERVICES))
    expect((await triggers()).map(t => t._id).sort()).toEqual(first.map(t => t._id).sort())
    await alice.installApp(await appWith({ ...SERVICES, sleeper: { ...SERVICES.sleeper, trigger: '@event io.cozy.contacts:CREATED' } }))
    const after = await triggers()
    const sleeper = after.find(t => (t.message as { name: string }).name === 'sleeper') as TriggerDoc
    expect(sleeper.arguments).toBe('io.cozy.contacts:CREATED')
    expect(after.map(t => t._id)).not.toContain(first.find(t => (t.message as { name: string }).name === 'sleeper')?._id)
    expect(after).toHaveLength(2)
  })

  it('runs the service file on its @event with the stack environment, and logs its output', async () => {
    const alice = stack.instances[0]
    const fired = await alice.instance.dbs.create('io.cozy.mesdonnees.pendingshares', { share: 'one' })
    const record = await until(async () => (await alice.instance.dbs.list('io.cozy.mesdonnees.imports')).find(d => d.recorded === true))
    const env = record.env as Record<string, string>
    const [job] = (await alice.instance.jobs.jobsOf({ worker: 'service' })) as JobDoc[]
    const trigger = (await triggers()).find(t => (t.message as { name: string }).name === 'recorder') as TriggerDoc
    expect(env.COZY_URL).toBe(alice.url)
    expect(env.COZY_JOB_ID).toBe(job._id)
    expect(env.COZY_TRIGGER_ID).toBe(trigger._id)
    expect(JSON.parse(env.COZY_COUCH_DOC)).toMatchObject({ _id: fired._id, share: 'one' })
    expect(env.COZY_LANGUAGE).toBe('node')
    expect(env.COZY_LOCALE).toBe('fr')
    expect(Number(env.COZY_TIME_LIMIT)).toBeGreaterThan(2)
    expect(Number(env.COZY_TIME_LIMIT)).toBeLessThanOrEqual(7)
    // an app token bound to no session (it worked without a cookie)
    const claims = alice.instance.verifyClaims(env.COZY_CREDENTIALS)
    expect(claims).toMatchObject({ aud: 'app', sub: 'svc' })
    expect(claims?.session_id).toBeUndefined()
    // run from a work directory of its own, removed afterwards
    expect(String(record.cwd)).toMatch(/service-/)
    const done = await until(async () => {
      const j = await alice.instance.jobs.getJob(job._id)
      return j && j.state !== 'running' && j.state !== 'queued' ? j : undefined
    })
    expect(done.state).toBe('done')
    await expect(fs.stat(String(record.cwd))).rejects.toThrow()
    expect(log).toEqual(
      expect.arrayContaining([
        '[service svc/recorder] debug: recording',
        '[service svc/recorder] error: Could not parse stdout as JSON: "not json"',
        '[service svc/recorder] error: Stderr: a warning on stderr',
        '[service svc/recorder] Service success'
      ])
    )
  })

  it('kills a service at the time limit, twice at most', async () => {
    const alice = stack.instances[0]
    await alice.instance.dbs.create('io.cozy.contacts', { fullname: 'Wakes the sleeper' })
    const job = await until(async () => {
      const [j] = await alice.instance.jobs.jobsOf({ worker: 'service', states: ['errored'] })
      return j
    })
    expect(job.error).toBe('context deadline exceeded')
    expect((job.message as { name: string }).name).toBe('sleeper')
    expect(log.filter(l => l === '[service svc/sleeper] Service failure: context deadline exceeded')).toHaveLength(2)
  })

  it('fails without retry for an app that is not installed, and for a missing file', async () => {
    const jobs = stack.instances[0].instance.jobs
    const unknown = await jobs.push({ worker: 'service', message: { slug: 'nope', name: 'x' } })
    const broken = await jobs.push({ worker: 'service', message: { slug: 'svc', name: 'missing' } })
    const settled = async (id: string) =>
      until(async () => {
        const j = await jobs.getJob(id)
        return j && (j.state === 'done' || j.state === 'errored') ? j : undefined
      })
    expect((await settled(unknown._id)).error).toBe('Application is not installed')
    expect((await settled(broken._id)).error).toBe('Service "missing" was not found')
  })

  it('deletes a trigger whose service is gone (a bad trigger)', async () => {
    const jobs = stack.instances[0].instance.jobs
    const stale = await jobs.addTrigger({ type: '@event', worker: 'service', arguments: 'io.cozy.mesdonnees.pendingshares:UPDATED', message: { slug: 'svc', name: 'gone' } })
    const doc = await stack.instances[0].instance.dbs.create('io.cozy.mesdonnees.pendingshares', { share: 'two' })
    await stack.instances[0].instance.dbs.put('io.cozy.mesdonnees.pendingshares', { ...doc, share: 'three' })
    const job = await until(async () => (await jobs.jobsOf({ triggerId: stale._id, states: ['errored'] }))[0])
    expect(job.error).toBe('Service "gone" was not found')
    await until(async () => ((await jobs.getTrigger(stale._id)) === null ? true : undefined))
  })
})
