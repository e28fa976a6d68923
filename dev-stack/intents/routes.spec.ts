import { startStack, type RunningStack, type StackInstance } from '../index'
import { call, pick } from '../testing/http'
import { writeKonnector, writeWebapp } from '../testing/fixtures'

jest.setTimeout(30_000)

describe('intents and the Store (web/intents, web/apps installHandler)', () => {
  let stack: RunningStack
  let alice: StackInstance

  beforeAll(async () => {
    const tiny = await writeKonnector({ slug: 'tiny' }, 'process.exit(0)\n')
    stack = await startStack({ store: true, registry: { tiny } })
    alice = stack.instances[0]
    await alice.installApp(await writeWebapp({ slug: 'client', permissions: {} }))
  })
  afterAll(async () => {
    await stack?.stop()
  })

  const start = (token: string | undefined, attributes: Record<string, unknown>) => call(alice.url, 'POST', '/intents', { token, body: { data: { type: 'io.cozy.intents', attributes } } })

  it('starts an intent: the asking app as client origin, the Store as the service of INSTALL io.cozy.apps', async () => {
    const r = await start(alice.tokenFor('client'), { action: 'install', type: 'io.cozy.apps', permissions: ['GET'] })
    expect(r.status).toBe(200)
    const id = String(pick(r.json, 'data', 'id'))
    expect(pick(r.json, 'data', 'type')).toBe('io.cozy.intents')
    expect(pick(r.json, 'data', 'attributes')).toEqual({
      action: 'install',
      type: 'io.cozy.apps',
      permissions: ['GET'],
      client: alice.appUrl('client').replace(/\/$/, ''),
      services: [{ slug: 'store', href: `${alice.appUrl('store')}intents?intent=${id}` }]
    })
    // only a service of the intent may read it
    expect((await call(alice.url, 'GET', `/intents/${id}`, { token: alice.tokenFor('client') })).status).toBe(403)
    const read = await call(alice.url, 'GET', `/intents/${id}`, { token: alice.tokenFor('store') })
    expect(read.status).toBe(200)
    expect(pick(read.json, 'data', 'attributes', 'client')).toBe(alice.appUrl('client').replace(/\/$/, ''))
    expect((await call(alice.url, 'GET', '/intents/nope', { token: alice.tokenFor('store') })).status).toBe(404)
  })

  it('finds no service for an intent nobody declares, and refuses an intent without action or token', async () => {
    const none = await start(alice.tokenFor('client'), { action: 'PICK', type: 'io.cozy.files' })
    expect(pick(none.json, 'data', 'attributes', 'services')).toEqual([])
    const bad = await start(alice.tokenFor('client'), { type: 'io.cozy.apps' })
    expect(bad.status).toBe(422)
    expect(pick(bad.json, 'errors', 0, 'source', 'parameter')).toBe('action')
    expect((await start(undefined, { action: 'INSTALL', type: 'io.cozy.apps' })).status).toBe(403)
  })

  it('lets only the Store install a konnector from the registry', async () => {
    expect((await call(alice.url, 'POST', '/konnectors/tiny', { token: alice.tokenFor('client') })).status).toBe(403)
    expect((await call(alice.url, 'POST', '/konnectors/absent', { token: alice.tokenFor('store') })).status).toBe(404)
    const r = await call(alice.url, 'POST', `/konnectors/tiny?Source=${encodeURIComponent('registry://tiny/stable')}`, { token: alice.tokenFor('store') })
    expect(r.status).toBe(202)
    expect(pick(r.json, 'data', 'attributes', 'state')).toBe('ready')
    expect((await call(alice.url, 'GET', '/konnectors/tiny', { token: alice.cliToken })).status).toBe(200)
    // getHandler (web/apps/apps.go): the app is looked up before the permission is checked.
    expect((await call(alice.url, 'GET', '/konnectors/tiny', { token: alice.tokenFor('client') })).status).toBe(403)
    const absent = await call(alice.url, 'GET', '/konnectors/absent', { token: alice.tokenFor('client') })
    expect([absent.status, pick(absent.json, 'errors', 0, 'detail')]).toEqual([404, 'Application is not installed'])
    expect((await call(alice.url, 'POST', '/konnectors/tiny', { token: alice.tokenFor('store') })).status).toBe(409)
  })

  it('serves the Store\'s intent page at the route its manifest declares', async () => {
    const cookie = await alice.sessionCookie()
    const page = await fetch(`${alice.appUrl('store')}intents?intent=x`, { headers: { Cookie: cookie }, redirect: 'manual' })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<script src="/store.js"></script>')
    expect(html).not.toContain('{{.CozyData}}')
    expect((await fetch(`${alice.appUrl('store')}store.js`)).status).toBe(200)
  })
})
