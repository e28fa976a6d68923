import WebSocket from 'ws'
import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'
import { exportAndWait } from '../move/testing'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

let stack: RunningStack
let base: string

beforeAll(async () => {
  stack = await startStack()
  base = stack.instances[0].url
  await stack.instances[0].installApp(
    await writeWebapp({ slug: 'watcher', permissions: { imports: { type: 'io.cozy.mesdonnees.imports', verbs: ['GET', 'PUT'] }, jobs: { type: 'io.cozy.jobs', verbs: ['GET'], selector: 'worker', values: ['konnector'] } } })
  )
  await stack.instances[0].installApp(
    await writeWebapp({
      slug: 'exporter',
      permissions: {
        exports: { type: 'io.cozy.exports', verbs: ['GET', 'POST'] },
        imports: { type: 'io.cozy.mesdonnees.imports', verbs: ['GET'] },
        exportJobs: { type: 'io.cozy.jobs', verbs: ['GET'], selector: 'worker', values: ['export'] }
      }
    })
  )
})
afterAll(() => stack.stop())

function open(): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}realtime/`, 'io.cozy.websocket')
  const queue: Record<string, unknown>[] = []
  const waiters: ((m: Record<string, unknown>) => void)[] = []
  ws.on('message', data => {
    const msg = JSON.parse(data.toString()) as Record<string, unknown>
    const w = waiters.shift()
    if (w) w(msg)
    else queue.push(msg)
  })
  const next = (): Promise<Record<string, unknown>> => new Promise<Record<string, unknown>>(resolve => {
    const m = queue.shift()
    if (m) resolve(m)
    else waiters.push(resolve)
  })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }))
    ws.once('error', reject)
  })
}

/** Commands are handled in order: once the error for an unknown command arrives, the SUBSCRIBE sent before it is in place. */
async function barrier(ws: WebSocket, next: () => Promise<Record<string, unknown>>): Promise<void> {
  ws.send(JSON.stringify({ method: 'PING' }))
  expect(await next()).toMatchObject({ event: 'error', payload: { code: 'method not allowed' } })
}

describe('/realtime websocket', () => {
  it('sends CREATED and UPDATED events for a subscribed doctype', async () => {
    const { ws, next } = await open()
    try {
      ws.send(JSON.stringify({ method: 'AUTH', payload: stack.instances[0].tokenFor('watcher') }))
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', payload: { type: 'io.cozy.mesdonnees.imports' } }))
      await barrier(ws, next)
      const created = await call(base, 'PUT', '/data/io.cozy.mesdonnees.imports/imp1', { token: stack.instances[0].cliToken, body: { progress: 1 } })
      expect(created.status).toBe(200)
      const event = await next()
      expect(event).toMatchObject({ event: 'CREATED', payload: { type: 'io.cozy.mesdonnees.imports', id: 'imp1', doc: { progress: 1 } } })
      const rev = String(pick(created.json, 'rev'))
      await call(base, 'PUT', '/data/io.cozy.mesdonnees.imports/imp1', { token: stack.instances[0].cliToken, body: { _id: 'imp1', _rev: rev, progress: 2 } })
      expect(await next()).toMatchObject({ event: 'UPDATED', payload: { id: 'imp1', doc: { progress: 2 } } })
    } finally {
      ws.close()
    }
  })

  it('relays POST /realtime/:doctype/:id as a NOTIFIED event (204), and refuses it without the permission', async () => {
    const { ws, next } = await open()
    try {
      ws.send(JSON.stringify({ method: 'AUTH', payload: stack.instances[0].tokenFor('watcher') }))
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', payload: { type: 'io.cozy.mesdonnees.imports', id: 'imp9' } }))
      await barrier(ws, next)
      const r = await call(base, 'POST', '/realtime/io.cozy.mesdonnees.imports/imp9', { token: stack.instances[0].cliToken, body: { subtype: 'progress', imported: 10 } })
      expect(r.status).toBe(204)
      expect(await next()).toMatchObject({ event: 'NOTIFIED', payload: { type: 'io.cozy.mesdonnees.imports', id: 'imp9', doc: { imported: 10 } } })
      const refused = await call(base, 'POST', '/realtime/io.cozy.mesdonnees.imports/imp9', { token: stack.instances[0].tokenFor('watcher'), body: {} })
      expect(refused.status).toBe(403)
    } finally {
      ws.close()
    }
  })

  it('refuses a subscription outside the permissions and a bad token', async () => {
    const { ws, next } = await open()
    try {
      ws.send(JSON.stringify({ method: 'AUTH', payload: stack.instances[0].tokenFor('watcher') }))
      // per-worker jobs rules do not allow realtime on io.cozy.jobs (web/realtime/realtime.go authorized)
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', payload: { type: 'io.cozy.jobs' } }))
      expect(await next()).toMatchObject({ event: 'error', payload: { status: '403 Forbidden', code: 'forbidden' } })
    } finally {
      ws.close()
    }
    const second = await open()
    second.ws.send(JSON.stringify({ method: 'AUTH', payload: 'not-a-token' }))
    expect(await second.next()).toMatchObject({ event: 'error', payload: { status: '401 Unauthorized' } })
    second.ws.close()
  })

  it('sends an export’s CREATED then UPDATED (done) to the instance socket, as the stack’s export worker publishes them', async () => {
    // model/move/export.go CreateExport keeps the document in the global database but publishes
    // both events with the instance (realtime.GetHub().Publish(i, …)), so the instance's socket gets them.
    const alice = stack.instances[0]
    const { ws, next } = await open()
    try {
      ws.send(JSON.stringify({ method: 'AUTH', payload: alice.tokenFor('exporter') }))
      ws.send(JSON.stringify({ method: 'SUBSCRIBE', payload: { type: 'io.cozy.exports' } }))
      await barrier(ws, next)
      await exportAndWait(stack, alice)
      const created = await next()
      expect(created).toMatchObject({ event: 'CREATED', payload: { type: 'io.cozy.exports' } })
      let updated = await next()
      while ((updated as { payload: { doc: { state?: string } } }).payload.doc.state !== 'done') updated = await next()
      expect(updated).toMatchObject({ event: 'UPDATED', payload: { type: 'io.cozy.exports', id: (created as { payload: { id: string } }).payload.id, doc: { state: 'done' } } })
    } finally {
      ws.close()
    }
  })

  it('lets an app see an export job: the queue lists it queued or running, GET /jobs/:id says how it ended', async () => {
    const alice = stack.instances[0]
    const token = alice.tokenFor('exporter')
    const [finished] = await alice.instance.jobs.jobsOf({ worker: 'export' })
    expect(pick((await call(base, 'GET', `/jobs/${finished._id}`, { token })).json, 'data', 'attributes')).toMatchObject({ worker: 'export', state: 'done' })
    const running = await alice.instance.dbs.put('io.cozy.jobs', { _id: 'export-running', domain: alice.domain, worker: 'export', state: 'running', queued_at: new Date().toISOString(), started_at: new Date().toISOString() })
    try {
      const queue = await call(base, 'GET', '/jobs/queue/export', { token })
      expect(queue.status).toBe(200)
      expect((pick(queue.json, 'data') as Array<{ id: string }>).map(j => j.id)).toEqual(['export-running'])
      // the selector is the worker: another worker's queue stays closed
      expect((await call(base, 'GET', '/jobs/queue/sendmail', { token })).status).toBe(403)
    } finally {
      await alice.instance.dbs.remove('io.cozy.jobs', running._id, String(running._rev))
    }
  })
})
