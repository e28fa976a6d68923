import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'
import { JobRateLimiter } from './rate-limit'

// Probes of the errors of POST /jobs/queue/konnector: web/jobs/jobs.go (pushJob, wrapJobsError),
// model/job/mem_broker.go PushJob with pkg/limits/rate_limiting.go, worker/exec/konnector.go
// PrepareWorkDir (app.ErrNotFound as a BadTriggerError, never retried).

jest.setTimeout(60_000)

let stack: RunningStack
let base: string

beforeAll(async () => {
  stack = await startStack()
  base = stack.instances[0].url
  await stack.instances[0].installApp(
    await writeWebapp({ slug: 'launcher', permissions: { jobs: { type: 'io.cozy.jobs', verbs: ['GET', 'POST'], selector: 'worker', values: ['konnector'] } } })
  )
})
afterAll(() => stack.stop())

const queueKonnector = (slug: string) =>
  call(base, 'POST', '/jobs/queue/konnector', { token: stack.instances[0].tokenFor('launcher'), body: { data: { type: 'io.cozy.jobs', attributes: { arguments: { konnector: slug } } } } })

async function waitJob(id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const r = await call(base, 'GET', `/jobs/${id}`, { token: stack.instances[0].tokenFor('launcher') })
    const attributes = pick(r.json, 'data', 'attributes') as Record<string, unknown>
    if (attributes.state === 'done' || attributes.state === 'errored') return attributes
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

describe('konnector jobs as the stack answers them', () => {
  it('accepts a job for a konnector that is not installed (202), then errors it: no 404', async () => {
    const r = await queueKonnector('not-installed')
    expect(r.status).toBe(202)
    expect(await waitJob(String(pick(r.json, 'data', 'id')))).toMatchObject({ state: 'errored', error: 'Application is not installed' })
  })

  it('refuses the konnector jobs past 100 in an hour with 400 "Rate limit reached", then "Rate limit exceeded"', async () => {
    // the first probe above counted already
    for (let i = 2; i <= 100; i++) expect((await queueKonnector('not-installed')).status).toBe(202)
    const reached = await queueKonnector('not-installed')
    expect(reached.status).toBe(400)
    expect(pick(reached.json, 'errors', 0, 'detail')).toBe('Rate limit reached')
    const exceeded = await queueKonnector('not-installed')
    expect(exceeded.status).toBe(400)
    expect(pick(exceeded.json, 'errors', 0, 'detail')).toBe('Rate limit exceeded')
    // other workers keep their own counters
    const log = await call(base, 'POST', '/jobs/queue/log', { token: stack.instances[0].cliToken, body: { data: { attributes: { arguments: {} } } } })
    expect(log.status).toBe(202)
  })

  it('opens a new window an hour after the first job', () => {
    const limiter = new JobRateLimiter()
    const start = Date.UTC(2026, 3, 1, 8)
    for (let i = 0; i < 100; i++) limiter.check('konnector', start + i)
    expect(() => limiter.check('konnector', start + 59 * 60 * 1000)).toThrow('Rate limit reached')
    expect(() => limiter.check('konnector', start + 60 * 60 * 1000)).not.toThrow()
  })
})
