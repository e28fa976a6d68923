import http from 'http'
import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

let stack: RunningStack
let base: string
let cli: string

beforeAll(async () => {
  stack = await startStack({ instances: 2 })
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
  await stack.instances[0].installApp(
    await writeWebapp({ slug: 'reader', permissions: { contacts: { type: 'io.cozy.contacts', verbs: ['GET'] }, notes: { type: 'io.cozy.notes', verbs: ['GET'], values: ['allowed-note'] } } })
  )
})
afterAll(() => stack.stop())

describe('/status', () => {
  it('answers OK without a token', async () => {
    const r = await call(base, 'GET', '/status')
    expect(r.status).toBe(200)
    expect(pick(r.json, 'status')).toBe('OK')
    expect(pick(r.json, 'couchdb')).toBe('healthy')
  })
})

describe('/data/:doctype', () => {
  it('creates, reads, updates and deletes a document with the stack shapes', async () => {
    const created = await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Ada' } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ ok: true, type: 'io.cozy.contacts', data: { fullname: 'Ada', _type: 'io.cozy.contacts' } })
    const id = String(pick(created.json, 'id'))
    const rev = String(pick(created.json, 'rev'))
    expect(rev).toMatch(/^1-/)

    const got = await call(base, 'GET', `/data/io.cozy.contacts/${id}`, { token: cli })
    expect(got.status).toBe(200)
    expect(got.json).toMatchObject({ _id: id, _rev: rev, _type: 'io.cozy.contacts', fullname: 'Ada' })

    const updated = await call(base, 'PUT', `/data/io.cozy.contacts/${id}`, { token: cli, body: { _id: id, _rev: rev, fullname: 'Ada L.' } })
    expect(updated.status).toBe(200)
    expect(String(pick(updated.json, 'rev'))).toMatch(/^2-/)

    const conflict = await call(base, 'PUT', `/data/io.cozy.contacts/${id}`, { token: cli, body: { _id: id, _rev: rev, fullname: 'stale' } })
    expect(conflict.status).toBe(409)
    expect(conflict.json).toMatchObject({ ok: false, status: '409', error: 'conflict' })

    const noRev = await call(base, 'DELETE', `/data/io.cozy.contacts/${id}`, { token: cli })
    expect(noRev.status).toBe(400)
    expect(pick(noRev.json, 'error')).toBe('Bad Request(400): delete without revision')

    const deleted = await call(base, 'DELETE', `/data/io.cozy.contacts/${id}?rev=${String(pick(updated.json, 'rev'))}`, { token: cli })
    expect(deleted.status).toBe(200)
    expect(deleted.json).toMatchObject({ ok: true, id, deleted: true, type: 'io.cozy.contacts' })

    const gone = await call(base, 'GET', `/data/io.cozy.contacts/${id}`, { token: cli })
    expect(gone.status).toBe(404)
    expect(gone.json).toMatchObject({ error: 'not_found', reason: 'deleted' })
  })

  it('creates a document with a fixed id and refuses _id/_rev mismatches', async () => {
    const put = await call(base, 'PUT', '/data/io.cozy.contacts/fixed-id', { token: cli, body: { fullname: 'Fixed' } })
    expect(put.status).toBe(200)
    expect(pick(put.json, 'id')).toBe('fixed-id')
    const half = await call(base, 'PUT', '/data/io.cozy.contacts/fixed-id', { token: cli, body: { _id: 'fixed-id', fullname: 'x' } })
    expect(half.status).toBe(400)
    const other = await call(base, 'PUT', '/data/io.cozy.contacts/fixed-id', { token: cli, body: { _id: 'other', _rev: '1-x', fullname: 'x' } })
    expect(other.status).toBe(400)
    expect(pick(other.json, 'error')).toBe('Bad Request(400): document _id doesnt match url')
  })

  it('answers _find with docs/limit/next/bookmark, _index, _all_docs, _normal_docs and _bulk_docs', async () => {
    const bulk = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_bulk_docs', {
      token: cli,
      body: { docs: [{ n: 1, kind: 'a' }, { n: 2, kind: 'a' }, { n: 3, kind: 'b' }] }
    })
    expect(bulk.status).toBe(201)
    expect(Array.isArray(bulk.json) && bulk.json.every(r => pick(r, 'ok') === true)).toBe(true)

    const index = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_index', { token: cli, body: { index: { fields: ['kind', 'n'] } } })
    expect(index.status).toBe(200)
    expect(pick(index.json, 'result')).toBe('created')

    const page1 = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_find', { token: cli, body: { selector: { kind: 'a' }, limit: 1 } })
    expect(page1.status).toBe(200)
    expect(page1.json).toMatchObject({ limit: 1, next: true })
    expect(pick(page1.json, 'docs', 'length')).toBe(1)
    const page2 = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_find', {
      token: cli,
      body: { selector: { kind: 'a' }, limit: 1, bookmark: pick(page1.json, 'bookmark') }
    })
    expect(pick(page2.json, 'docs', 0, 'n')).not.toBe(pick(page1.json, 'docs', 0, 'n'))

    const all = await call(base, 'POST', '/data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true', { token: cli, body: { keys: ['nope'] } })
    expect(all.status).toBe(200)
    expect(pick(all.json, 'rows', 0, 'error')).toBe('not_found')

    const normal = await call(base, 'GET', '/data/io.cozy.mesdonnees.imports/_normal_docs?limit=2', { token: cli })
    expect(normal.status).toBe(200)
    expect(pick(normal.json, 'total_rows')).toBe(3)
    expect(pick(normal.json, 'rows', 'length')).toBe(2)
  })

  it('says wrong_doctype for a database that does not exist', async () => {
    const r = await call(base, 'GET', '/data/io.cozy.never/abc', { token: cli })
    expect(r.status).toBe(404)
    expect(r.json).toMatchObject({ error: 'not_found', reason: 'wrong_doctype' })
  })

  it('refuses malformed JSON without writing anything', async () => {
    const r = await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, raw: '{"fullname": ', headers: { 'Content-Type': 'application/json' } })
    expect(r.status).toBe(400)
    expect(String(pick(r.json, 'error'))).toMatch(/^Bad Request\(400\)/)
    const array = await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: [1, 2] })
    expect(array.status).toBe(400)
    const normal = await call(base, 'GET', '/data/io.cozy.contacts/_normal_docs', { token: cli })
    expect((pick(normal.json, 'rows') as unknown[]).some(d => pick(d, 'fullname') === undefined)).toBe(false)
  })

  it('never lets a doctype or an id reach the file system', async () => {
    // raw requests: fetch would normalise the dots away before sending
    for (const doctype of ['..', '..%2F..%2Fetc', '.']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${base}data/${doctype}/`, { method: 'POST', path: `/data/${doctype}/`, headers: { Authorization: `Bearer ${cli}`, 'Content-Type': 'application/json' } }, res => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end('{"a":1}')
      })
      expect(status).toBe(403)
    }
    const dbs = await stack.instances[0].instance.dbs.doctypes()
    expect(dbs.every(d => /^[a-z0-9._]+$/.test(d) && !/^\.+$/.test(d))).toBe(true)
    const slashId = await call(base, 'PUT', `/data/io.cozy.contacts/${encodeURIComponent('../../escape')}`, { token: cli, body: { a: 1 } })
    expect(slashId.status).toBe(200)
    expect(pick(slashId.json, 'id')).toBe('../../escape')
  })

  it('refuses reserved doctypes and invalid doctype names', async () => {
    const reserved = await call(base, 'POST', '/data/io.cozy.permissions/', { token: cli, body: { a: 1 } })
    expect(reserved.status).toBe(403)
    expect(pick(reserved.json, 'error')).toBe('code=403, message=reserved doctype io.cozy.permissions unwritable')
    const invalid = await call(base, 'GET', '/data/IO.Cozy.Bad/x', { token: cli })
    expect(invalid.status).toBe(403)
  })
})

describe('tokens and permissions', () => {
  it('answers 401 without a token and 400 with a token of another instance', async () => {
    const none = await call(base, 'GET', '/data/io.cozy.contacts/_normal_docs')
    expect(none.status).toBe(401)
    expect(pick(none.json, 'error')).toBe('code=401, message=No token in request')
    const foreign = await call(base, 'GET', '/data/io.cozy.contacts/_normal_docs', { token: stack.instances[1].cliToken })
    expect(foreign.status).toBe(400)
    expect(pick(foreign.json, 'error')).toBe('code=400, message=Invalid JWT token')
    const garbage = await call(base, 'GET', '/data/io.cozy.contacts/_normal_docs', { token: 'not.a.token' })
    expect(garbage.status).toBe(400)
  })

  it('gives an app token exactly its manifest permissions', async () => {
    const token = stack.instances[0].tokenFor('reader')
    const read = await call(base, 'GET', '/data/io.cozy.contacts/_normal_docs', { token })
    expect(read.status).toBe(200)
    const write = await call(base, 'POST', '/data/io.cozy.contacts/', { token, body: { fullname: 'Eve' } })
    expect(write.status).toBe(403)
    expect(pick(write.json, 'error')).toBe('code=403, message=Forbidden')
    const other = await call(base, 'GET', '/data/io.cozy.bank.accounts/_normal_docs', { token })
    expect(other.status).toBe(403)

    await call(base, 'PUT', '/data/io.cozy.notes/allowed-note', { token: cli, body: { t: 1 } })
    await call(base, 'PUT', '/data/io.cozy.notes/secret-note', { token: cli, body: { t: 2 } })
    expect((await call(base, 'GET', '/data/io.cozy.notes/allowed-note', { token })).status).toBe(200)
    expect((await call(base, 'GET', '/data/io.cozy.notes/secret-note', { token })).status).toBe(403)
    // values-limited rules never give whole-type queries
    expect((await call(base, 'POST', '/data/io.cozy.notes/_find', { token, body: { selector: {} } })).status).toBe(403)
  })
})
