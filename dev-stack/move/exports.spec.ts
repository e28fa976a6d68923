import { startStack, type RunningStack, type StackInstance } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'
import { ROOT_DIR_ID } from '../files/vfs'
import type { RealtimeEvent } from '../realtime/hub'
import { resetExportRateLimit } from './instance-settings'
import { downloadPart, exportAndWait, mkdir, unzip, upload, waitFor, type ZipEntry } from './testing'

const PART = 100
let stack: RunningStack
let alice: StackInstance
let bob: StackInstance
let carol: StackInstance

/** Bytes uploaded to alice, by full path. */
const FILES: Record<string, Buffer> = {
  '/Documents/a.txt': Buffer.from('a'.repeat(60)),
  '/Documents/b.txt': Buffer.from('b'.repeat(60)),
  '/Documents/Été/c.bin': Buffer.alloc(250, 7),
  '/d.md': Buffer.from('# d\n'),
  '/e.txt': Buffer.from('e'.repeat(45))
}

beforeAll(async () => {
  stack = await startStack({ instances: 3, exportMinimalPartsSize: PART })
  ;[alice, bob, carol] = stack.instances
  const docs = await mkdir(alice, ROOT_DIR_ID, 'Documents')
  const ete = await mkdir(alice, docs, 'Été')
  await upload(alice, docs, 'a.txt', FILES['/Documents/a.txt'])
  await upload(alice, docs, 'b.txt', FILES['/Documents/b.txt'])
  await upload(alice, ete, 'c.bin', FILES['/Documents/Été/c.bin'])
  await upload(alice, ROOT_DIR_ID, 'd.md', FILES['/d.md'])
  await upload(alice, ROOT_DIR_ID, 'e.txt', FILES['/e.txt'])
  const contact = await call(alice.url, 'POST', '/data/io.cozy.contacts/', { token: alice.cliToken, body: { fullname: 'Zoé Martin' } })
  expect(contact.status).toBe(201)
})
afterAll(() => stack.stop())
// five exports a day are allowed (tested on carol below); alice makes more than that here
beforeEach(() => resetExportRateLimit(alice.instance))

function fileEntries(entries: ZipEntry[]): { path: string; meta: Record<string, unknown>; data: Buffer }[] {
  const out: { path: string; meta: Record<string, unknown>; data: Buffer }[] = []
  entries.forEach((e, i) => {
    if (!e.name.startsWith('My Cozy/Files/')) return
    const meta = entries[i - 1]
    expect(meta.name).toMatch(/^My Cozy\/Data\/io\.cozy\.files\/[0-9a-f]{32}\.json$/)
    out.push({ path: e.name.slice('My Cozy/Files'.length), meta: JSON.parse(meta.data.toString('utf8')) as Record<string, unknown>, data: e.data })
  })
  return out
}

describe('POST /move/exports and the export it builds', () => {
  it('exports every document and file, in parts cut at parts_size, each part a zip of the stack layout', async () => {
    const events: RealtimeEvent[] = []
    const unsubscribe = alice.instance.realtime.subscribe(e => {
      if (e.doctype === 'io.cozy.exports') events.push(e)
    })
    const { link, mac } = await exportAndWait(stack, alice, { parts_size: PART })
    unsubscribe()
    // the mail's link opens the #/exports/<mac> page (no Settings app here: the instance itself)
    expect(link).toBe(`${alice.url}#/exports/${mac}`)
    expect(events.map(e => [e.verb, e.doc.state])).toEqual([
      ['CREATED', 'exporting'],
      ['UPDATED', 'done']
    ])

    const meta = await call(alice.url, 'GET', `/move/exports/${mac}`)
    expect(meta.status).toBe(200)
    expect(meta.headers.get('content-type')).toContain('application/vnd.api+json')
    expect(pick(meta.json, 'data', 'type')).toBe('io.cozy.exports')
    const attrs = pick(meta.json, 'data', 'attributes') as Record<string, unknown>
    expect(attrs).toMatchObject({ domain: alice.domain, state: 'done', parts_size: PART })
    expect(Date.parse(String(attrs.expires_at)) - Date.parse(String(attrs.created_at))).toBe(7 * 24 * 3600 * 1000)
    expect(attrs.total_size).toBeGreaterThan(0)
    expect(typeof attrs.creation_duration).toBe('number')
    const cursors = attrs.parts_cursors as string[]
    expect(cursors.length).toBeGreaterThanOrEqual(3)
    for (const c of cursors) expect(c).toMatch(/^io\.cozy\.files\/[0-9a-f]{32}$/)

    const parts: ZipEntry[][] = []
    for (const [n, cursor] of [undefined, ...cursors].entries()) {
      const part = await downloadPart(alice, mac, cursor)
      expect(part.status).toBe(200)
      expect(part.headers.get('content-type')).toBe('application/zip')
      expect(part.headers.get('content-disposition')).toBe(`attachment; filename=My Cozy - part${String(n).padStart(3, '0')}.zip`)
      parts.push(await unzip(part.body))
    }

    // part 0: the instance, the documents and the directories first
    const first = parts[0]
    expect(first[0].name).toBe('My Cozy/Data/instance.json')
    const instanceDoc = JSON.parse(first[0].data.toString('utf8')) as Record<string, unknown>
    expect(instanceDoc.domain).toBe(alice.domain)
    expect(instanceDoc).not.toHaveProperty('secret')
    expect(instanceDoc).not.toHaveProperty('passphraseHash')
    const contacts = first.filter(e => e.name.startsWith('My Cozy/Data/io.cozy.contacts/'))
    expect(contacts.map(e => (JSON.parse(e.data.toString('utf8')) as { fullname: string }).fullname)).toEqual(['Zoé Martin'])
    const dirs = first.filter(e => e.name.startsWith('My Cozy/Data/io.cozy.files/')).map(e => JSON.parse(e.data.toString('utf8')) as Record<string, unknown>)
    const dirPaths = dirs.filter(d => d.type === 'directory').map(d => d.path)
    expect(dirPaths).toEqual(expect.arrayContaining(['/', '/.cozy_trash', '/Documents', '/Documents/Été']))
    expect(dirPaths.indexOf('/Documents')).toBeLessThan(dirPaths.indexOf('/Documents/Été'))
    expect(first.some(e => e.name.startsWith('My Cozy/Data/io.cozy.exports/'))).toBe(false)
    for (const p of parts.slice(1)) expect(p.some(e => e.name === 'My Cozy/Data/instance.json')).toBe(false)

    // every file exactly once, its metadata right before its content, under its path
    const found = parts.flatMap(fileEntries)
    expect(found.map(f => f.path).sort()).toEqual(Object.keys(FILES).sort())
    for (const f of found) {
      expect(f.data.equals(FILES[f.path])).toBe(true)
      expect(f.meta.size).toBe(String(FILES[f.path].length))
    }
    // each part holds at most parts_size bytes of files, or a single bigger file; parts follow the id order
    const perPart = parts.map(p => fileEntries(p))
    for (const files of perPart) {
      const total = files.reduce((n, f) => n + f.data.length, 0)
      expect(total <= PART || files.length === 1).toBe(true)
    }
    const ids = perPart.flat().map(f => String(f.meta._id))
    expect(ids).toEqual([...ids].sort())
    perPart.slice(1).forEach((files, i) => expect(`io.cozy.files/${String(files[0].meta._id)}`).toBe(cursors[i]))
  })

  it('names the only part "My Cozy.zip" and keeps to with_doctypes', async () => {
    const { mac } = await exportAndWait(stack, alice, { with_doctypes: ['io.cozy.contacts'] })
    const meta = await call(alice.url, 'GET', `/move/exports/${mac}`)
    expect(pick(meta.json, 'data', 'attributes', 'parts_cursors')).toEqual([])
    expect(pick(meta.json, 'data', 'attributes', 'with_doctypes')).toEqual(['io.cozy.contacts'])
    const part = await downloadPart(alice, mac)
    expect(part.headers.get('content-disposition')).toBe('attachment; filename=My Cozy.zip')
    const names = (await unzip(part.body)).map(e => e.name)
    expect(names[0]).toBe('My Cozy/Data/instance.json')
    expect(names.slice(1).every(n => n.startsWith('My Cozy/Data/io.cozy.contacts/'))).toBe(true)
    expect(names).toHaveLength(2)
  })

  it('raises a parts size below the minimum from the disk usage, like prepareExportDoc', async () => {
    const { mac } = await exportAndWait(stack, alice, { parts_size: 10, with_doctypes: ['io.cozy.files'] })
    const meta = await call(alice.url, 'GET', `/move/exports/${mac}`)
    const used = Object.values(FILES).reduce((n, b) => n + b.length, 0)
    expect(pick(meta.json, 'data', 'attributes', 'parts_size')).toBe(Math.floor(Math.sqrt(used / PART) * PART))
  })

  it('answers 404 "exports: has expired" after max_age (nanoseconds)', async () => {
    const { mac } = await exportAndWait(stack, alice, { max_age: 1, with_doctypes: ['io.cozy.contacts'] })
    const meta = await call(alice.url, 'GET', `/move/exports/${mac}`)
    expect(meta.status).toBe(404)
    expect(meta.json).toEqual({ error: 'exports: has expired' })
    expect((await downloadPart(alice, mac)).status).toBe(404)
  })

  it('makes older links stop working once a newer export replaced their archive', async () => {
    const older = await exportAndWait(stack, alice, { with_doctypes: ['io.cozy.contacts'] })
    await exportAndWait(stack, alice, { with_doctypes: ['io.cozy.contacts'] })
    expect((await downloadPart(alice, older.mac)).status).toBe(404)
  })
})

describe('export refusals', () => {
  let mac: string

  beforeAll(async () => {
    ;({ mac } = await exportAndWait(stack, alice, { parts_size: PART }))
  })

  it('checks the MAC: 400 not base64, 401 not ours (bob’s instance, a forged one)', async () => {
    expect((await call(alice.url, 'GET', '/move/exports/not*base64')).status).toBe(400)
    expect((await call(alice.url, 'GET', '/move/exports/abc')).status).toBe(400)
    const foreign = await call(bob.url, 'GET', `/move/exports/${mac}`)
    expect(foreign.status).toBe(401)
    expect(foreign.json).toEqual({ error: 'exports: invalid mac' })
    const flipped = Buffer.from(mac, 'base64url')
    flipped[flipped.length - 3] ^= 1
    const forged = flipped.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
    expect((await call(alice.url, 'GET', `/move/exports/${forged}`)).status).toBe(401)
    expect((await downloadPart(bob, mac)).status).toBe(401)
  })

  it('refuses a cursor that is not one of the export’s', async () => {
    const r = await call(alice.url, 'GET', `/move/exports/data/${mac}?cursor=io.cozy.files/0000`)
    expect(r.status).toBe(400)
    expect(r.json).toEqual({ error: 'export: cursor is invalid' })
    expect((await call(alice.url, 'GET', `/move/exports/data/${mac}?cursor=../../etc`)).status).toBe(400)
  })

  it('needs a token with whole-type POST on io.cozy.exports', async () => {
    const body = { data: { attributes: {} } }
    const none = await call(bob.url, 'POST', '/move/exports', { body })
    expect(none.status).toBe(401)
    const foreign = await call(bob.url, 'POST', '/move/exports', { token: alice.cliToken, body })
    expect(foreign.status).toBe(400)
    await bob.installApp(await writeWebapp({ slug: 'notes', permissions: { files: { type: 'io.cozy.files' } } }))
    const app = await call(bob.url, 'POST', '/move/exports', { token: bob.tokenFor('notes'), body })
    expect(app.status).toBe(403)
    expect(app.json).toEqual({ error: 'Forbidden' })
  })

  it('answers malformed bodies as the stack: 500 for what Go cannot decode, 400 without data', async () => {
    await alice.installApp(await writeWebapp({ slug: 'exporter', permissions: { exports: { type: 'io.cozy.exports', verbs: ['POST'] } } }))
    const token = alice.tokenFor('exporter')
    const post = (raw: string) => call(alice.url, 'POST', '/move/exports', { token, raw, headers: { 'Content-Type': 'application/vnd.api+json' } })
    const notJson = await post('{"data":')
    expect(notJson.status).toBe(500)
    expect(pick(notJson.json, 'errors', 0, 'title')).toBe('Unqualified error')
    const noData = await post('{"attributes":{}}')
    expect(noData.status).toBe(400)
    expect(pick(noData.json, 'errors', 0, 'detail')).toBe('JSON input is malformed or is missing mandatory fields')
    expect((await post('{"data":{"attributes":{"parts_size":"big"}}}')).status).toBe(500)
    expect((await post('{"data":{"attributes":{"with_doctypes":"io.cozy.files"}}}')).status).toBe(500)
    // none of them started a job
    const jobs = await alice.instance.jobs.jobsOf({ worker: 'export' })
    const created = await post('{"data":{"attributes":{"with_doctypes":["io.cozy.contacts"]}}}')
    expect(created.status).toBe(201)
    expect(created.text).toBe('')
    await waitFor('the export job', async () => ((await alice.instance.jobs.jobsOf({ worker: 'export' })).length === jobs.length + 1 ? true : undefined))
  })

  it('answers a bare 404 after 5 export requests in a day, before checking anything else', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await call(carol.url, 'POST', '/move/exports', { raw: 'x' })).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    const limited = await call(carol.url, 'POST', '/move/exports', { token: carol.cliToken, body: { data: { attributes: {} } } })
    expect(limited.status).toBe(404)
    expect(limited.json).toEqual({ error: 'Not found' })
  })
})
