import http from 'http'
import type { AddressInfo } from 'net'
import { startStack, type RunningStack, type StackInstance } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'
import { ROOT_DIR_ID } from '../files/vfs'
import { exportAndWait, mkdir, upload, waitFor, waitForMail } from './testing'

let stack: RunningStack
let alice: StackInstance
let bob: StackInstance
let link: string
let importer: string

const body = (url: unknown) => ({ data: { type: 'io.cozy.imports', attributes: { url } } })

beforeAll(async () => {
  stack = await startStack({ instances: 2, exportMinimalPartsSize: 64 })
  ;[alice, bob] = stack.instances
  const dir = await mkdir(alice, ROOT_DIR_ID, 'Classeur')
  await upload(alice, dir, 'cours.txt', 'Cours de français\n'.repeat(10))
  await upload(alice, ROOT_DIR_ID, 'photo.jpg', Buffer.alloc(300, 1))
  await call(alice.url, 'POST', '/data/io.cozy.contacts/', { token: alice.cliToken, body: { fullname: 'Inès Durand' } })
  ;({ link } = await exportAndWait(stack, alice, { parts_size: 64 }))
  await bob.installApp(await writeWebapp({ slug: 'importer', permissions: { imports: { type: 'io.cozy.imports', verbs: ['POST'] } } }))
  await bob.installApp(await writeWebapp({ slug: 'reader', permissions: { files: { type: 'io.cozy.files', verbs: ['GET'] } } }))
  importer = bob.tokenFor('importer')
  // bob has data of his own, which the import erases
  await upload(bob, ROOT_DIR_ID, 'ancien.txt', 'à effacer')
})
afterAll(() => stack.stop())

describe('POST /move/imports/precheck', () => {
  it('answers 204 for the link of a finished export', async () => {
    const r = await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: body(link) })
    expect(r.status).toBe(204)
  })

  it.each([
    ['no fragment', () => link.replace(/#.*/, '')],
    ['an unknown MAC', () => link.replace(/#\/exports\/.*/, '#/exports/AAAAAAAAAAAAAAAAAAAAAAAA')],
    ['another host than loopback', () => link.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'https://alice-settings.example.com')],
    ['not a URL', () => 'bonjour'],
    ['a javascript: URL', () => 'javascript:alert(1)#/exports/x']
  ])('answers 412 on url for %s', async (_what, url) => {
    const r = await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: body(url()) })
    expect(r.status).toBe(412)
    expect(pick(r.json, 'errors', 0, 'source')).toEqual({ parameter: 'url' })
    expect(pick(r.json, 'errors', 0, 'title')).toBe('Precondition Failed')
  })

  it('answers 413 when the export does not fit in the quota (docs/move.md says 422, the code 413)', async () => {
    bob.instance.state.quota = 10
    try {
      const r = await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: body(link) })
      expect(r.status).toBe(413)
      expect(pick(r.json, 'errors', 0, 'detail')).toBe('import: not enough disk space')
    } finally {
      bob.instance.state.quota = null
    }
  })

  it('refuses missing, foreign and insufficient tokens, and malformed bodies', async () => {
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { body: body(link) })).status).toBe(401)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: alice.cliToken, body: body(link) })).status).toBe(400)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: bob.tokenFor('reader'), body: body(link) })).status).toBe(403)
    expect((await call(bob.url, 'POST', '/move/imports', { token: bob.tokenFor('reader'), body: body(link) })).status).toBe(403)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, raw: '[' })).status).toBe(500)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: {} })).status).toBe(400)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: body(42) })).status).toBe(500)
  })
})

describe('POST /move/imports', () => {
  it('answers an error page for a link that is not an export link, and starts nothing', async () => {
    const r = await call(bob.url, 'POST', '/move/imports', { token: importer, body: body('http://127.0.0.1:1/nothing') })
    expect(r.status).toBe(500)
    expect(r.headers.get('content-type')).toContain('text/html')
    expect(await bob.instance.jobs.jobsOf({ worker: 'import' })).toEqual([])
  })

  it('303 to /move/importing, blocks the instance while importing, replaces its data with the export', async () => {
    // A relay between bob and alice holds the parts until the test has seen bob blocked.
    let release: () => void = () => undefined
    const released = new Promise<void>(resolve => (release = resolve))
    let partsAsked = 0
    const relay = http.createServer((req, res) => {
      void (async () => {
        if (req.url?.startsWith('/move/exports/data/')) {
          partsAsked++
          await released
        }
        const upstream = await fetch(new URL(req.url ?? '/', alice.url))
        res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/octet-stream' })
        res.end(Buffer.from(await upstream.arrayBuffer()))
      })()
    })
    await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve))
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/`
    try {
      const viaRelay = link.replace(/^http:\/\/127\.0\.0\.1:\d+\//, relayUrl)
      const r = await call(bob.url, 'POST', '/move/imports', { token: importer, body: body(viaRelay) })
      expect(r.status).toBe(303)
      expect(r.headers.get('location')).toBe(`${bob.url}move/importing`)
      await waitFor('the import to ask for part 0', () => (partsAsked > 0 ? true : undefined))

      const blocked = await call(bob.url, 'GET', '/settings/instance', { token: bob.cliToken })
      expect(blocked.status).toBe(503)
      const page = await call(bob.url, 'GET', '/move/importing')
      expect(page.status).toBe(200)
      expect(page.text).toContain('Import en cours')
      expect(page.text).toContain('/move/importing/realtime')

      release()
      const mail = await waitForMail(stack, bob, 'import_success')
      expect(mail.to).toBe(bob.instance.state.email)
      await waitFor('the import job to end', async () => ((await bob.instance.jobs.jobsOf({ worker: 'import', states: ['done'] })).length ? true : undefined))
      const settings = await call(bob.url, 'GET', '/settings/instance', { token: bob.cliToken })
      expect(settings.status).toBe(200)
      expect(pick(settings.json, 'data', 'attributes', 'importing')).toBeUndefined()
      expect(pick(settings.json, 'data', 'attributes', 'email')).toBe(bob.instance.state.email)
      // a plain import is not a move
      expect(pick(settings.json, 'data', 'attributes', 'moved_from')).toBeUndefined()
    } finally {
      release()
      await new Promise<void>(resolve => relay.close(() => resolve()))
    }

    const cours = await fetch(`${bob.url}files/download?Path=${encodeURIComponent('/Classeur/cours.txt')}`, { headers: { Authorization: `Bearer ${bob.cliToken}` } })
    expect(cours.status).toBe(200)
    expect(await cours.text()).toBe('Cours de français\n'.repeat(10))
    const photo = await fetch(`${bob.url}files/download?Path=${encodeURIComponent('/photo.jpg')}`, { headers: { Authorization: `Bearer ${bob.cliToken}` } })
    expect(Buffer.from(await photo.arrayBuffer()).equals(Buffer.alloc(300, 1))).toBe(true)
    const gone = await call(bob.url, 'GET', `/files/metadata?Path=${encodeURIComponent('/ancien.txt')}`, { token: bob.cliToken })
    expect(gone.status).toBe(404)
    const contacts = await call(bob.url, 'GET', '/data/io.cozy.contacts/_all_docs?include_docs=true', { token: bob.cliToken })
    const names = ((pick(contacts.json, 'rows') as { doc: { fullname?: string } }[]) ?? []).map(r => r.doc.fullname)
    expect(names).toEqual(['Inès Durand'])
    const usage = await call(bob.url, 'GET', '/settings/disk-usage', { token: bob.cliToken })
    expect(pick(usage.json, 'data', 'attributes', 'used')).toBe(String(300 + Buffer.byteLength('Cours de français\n') * 10))
    // the apps bob had are still there (the stand-in has no registry to reinstall from)
    expect((await call(bob.url, 'POST', '/move/imports/precheck', { token: importer, body: body(link) })).status).toBe(204)
  })
})
