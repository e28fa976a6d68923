import crypto from 'crypto'
import { promises as fs } from 'fs'
import path from 'path'
import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

let stack: RunningStack
let base: string
let cli: string

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('base64')

async function upload(dirId: string, name: string, content: string, headers: Record<string, string> = {}, token = cli, query = '') {
  return call(base, 'POST', `/files/${dirId}?Type=file&Name=${encodeURIComponent(name)}${query}`, {
    token,
    raw: content,
    headers: { 'Content-Type': 'text/plain', 'Content-MD5': md5(content), ...headers }
  })
}

async function contentFiles(): Promise<string[]> {
  const dir = path.join(stack.instances[0].instance.dir, 'files')
  const out: string[] = []
  for (const sub of await fs.readdir(dir)) {
    if (sub === '.upload') continue
    for (const f of await fs.readdir(path.join(dir, sub))) out.push(f)
  }
  return out
}

beforeAll(async () => {
  stack = await startStack({ quota: 1000 })
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
  await stack.instances[0].installApp(
    await writeWebapp({ slug: 'photos', permissions: { files: { type: 'io.cozy.files', verbs: ['GET'] } } })
  )
})
afterAll(() => stack.stop())

describe('/files', () => {
  let folderId: string
  it('creates a folder (201, JSON:API, Location) and refuses a duplicate with 409', async () => {
    const r = await call(base, 'POST', '/files/?Type=directory&Name=Documents&Tags=a,b', { token: cli })
    expect(r.status).toBe(201)
    expect(r.headers.get('content-type')).toMatch(/application\/vnd\.api\+json/)
    expect(r.json).toMatchObject({ data: { type: 'io.cozy.files', attributes: { type: 'directory', name: 'Documents', path: '/Documents', tags: ['a', 'b'] } } })
    folderId = String(pick(r.json, 'data', 'id'))
    expect(r.headers.get('location')).toBe(`${base}files/${folderId}`)
    const dup = await call(base, 'POST', '/files/?Type=directory&Name=Documents', { token: cli })
    expect(dup.status).toBe(409)
    expect(pick(dup.json, 'errors', 0, 'status')).toBe('409')
  })

  it('uploads a file with its MD5, size as a string, sourceAccount, and serves it by id, by path and by range', async () => {
    const r = await upload(folderId, 'hello.txt', 'Hello world!', {}, cli, '&SourceAccount=acc1&SourceAccountIdentifier=pupil@ent&CreatedAt=2020-01-02T03:04:05Z')
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      data: {
        attributes: {
          type: 'file',
          name: 'hello.txt',
          size: '12',
          md5sum: md5('Hello world!'),
          mime: 'text/plain',
          class: 'text',
          trashed: false,
          created_at: '2020-01-02T03:04:05.000Z',
          cozyMetadata: { sourceAccount: 'acc1', sourceAccountIdentifier: 'pupil@ent' }
        },
        relationships: { parent: { data: { id: folderId } } }
      }
    })
    // web/files/paginated.go: a file carries its path only where IncludePath is called (_find)
    expect(pick(r.json, 'data', 'attributes', 'path')).toBeUndefined()
    const id = String(pick(r.json, 'data', 'id'))
    const meta = await call(base, 'GET', `/files/metadata?Path=${encodeURIComponent('/Documents/hello.txt')}`, { token: cli })
    expect(pick(meta.json, 'data', 'id')).toBe(id)
    const dl = await call(base, 'GET', `/files/download/${id}`, { token: cli })
    expect(dl.status).toBe(200)
    expect(dl.text).toBe('Hello world!')
    expect(dl.headers.get('content-disposition')).toMatch(/^inline; filename="hello.txt"/)
    const part = await call(base, 'GET', `/files/download/${id}`, { token: cli, headers: { Range: 'bytes=6-10' } })
    expect(part.status).toBe(206)
    expect(part.text).toBe('world')
    expect(part.headers.get('content-range')).toBe('bytes 6-10/12')
    const bad = await call(base, 'GET', `/files/download/${id}`, { token: cli, headers: { Range: 'bytes=50-60' } })
    expect(bad.status).toBe(416)
    const byPath = await call(base, 'GET', `/files/download?Path=${encodeURIComponent('/Documents/hello.txt')}&Dl=1`, { token: cli })
    expect(byPath.headers.get('content-disposition')).toMatch(/^attachment/)

    const dir = await call(base, 'GET', `/files/${folderId}`, { token: cli })
    expect(pick(dir.json, 'data', 'relationships', 'contents', 'data', 0, 'id')).toBe(id)
    expect(pick(dir.json, 'included', 0, 'attributes', 'name')).toBe('hello.txt')
  })

  it('refuses a wrong Content-MD5 with 412 and keeps nothing', async () => {
    const before = await contentFiles()
    const r = await upload(folderId, 'bad.txt', 'some content', { 'Content-MD5': md5('other') })
    expect(r.status).toBe(412)
    expect(pick(r.json, 'errors', 0, 'source', 'parameter')).toBe('Content-MD5')
    expect(await contentFiles()).toEqual(before)
    expect((await call(base, 'GET', `/files/metadata?Path=${encodeURIComponent('/Documents/bad.txt')}`, { token: cli })).status).toBe(404)
  })

  it('refuses names with a slash, "..", NUL or newline with 422 and writes nothing', async () => {
    const before = await contentFiles()
    for (const name of ['../evil.txt', '..', 'a/b', 'x\ny', '']) {
      const r = await upload(folderId, name, 'x')
      expect(r.status).toBe(422)
      expect(pick(r.json, 'errors', 0, 'source', 'parameter')).toBe('name')
    }
    const dir = await call(base, 'POST', `/files/${folderId}?Type=directory&Name=${encodeURIComponent('../up')}`, { token: cli })
    expect(dir.status).toBe(422)
    expect(await contentFiles()).toEqual(before)
  })

  it('refuses an invalid Content-Type with 422 and a missing Type with 422', async () => {
    const r = await upload(folderId, 'typed.txt', 'x', { 'Content-Type': 'not a mime' })
    expect(r.status).toBe(422)
    expect(pick(r.json, 'errors', 0, 'source', 'parameter')).toBe('mime')
    const noType = await call(base, 'POST', `/files/${folderId}?Name=x`, { token: cli, raw: 'x' })
    expect(noType.status).toBe(422)
  })

  it('answers 413 past the quota, before and during the upload, and keeps nothing', async () => {
    const before = await contentFiles()
    const big = 'x'.repeat(2000)
    const r = await upload(folderId, 'big.txt', big)
    expect(r.status).toBe(413)
    expect(pick(r.json, 'errors', 0, 'detail')).toBe('The file is too big and exceeds the disk quota')
    expect(await contentFiles()).toEqual(before)
    // without Content-Length (chunked), the upload is cut when it passes the quota
    const chunks = [new TextEncoder().encode('y'.repeat(600)), new TextEncoder().encode('y'.repeat(600))]
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift()
        if (next) controller.enqueue(next)
        else controller.close()
      }
    })
    const chunked = await fetch(`${base}files/${folderId}?Type=file&Name=chunked.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${cli}`, 'Content-Type': 'text/plain' },
      body: stream,
      duplex: 'half'
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(await contentFiles()).toEqual(before)
    expect(await fs.readdir(path.join(stack.instances[0].instance.dir, 'files', '.upload'))).toEqual([])
    const usage = await call(base, 'GET', '/settings/disk-usage', { token: cli })
    expect(usage.json).toMatchObject({ data: { attributes: { used: '12', quota: '1000', files: '12', versions: '0' } } })
  })

  it('turns a *.cozy-note Markdown file into a note', async () => {
    const r = await upload(folderId, 'Sortie.cozy-note', '# Sortie au musée\n\nNous avons vu **des tableaux**.\n\n- un\n- deux\n')
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ data: { attributes: { mime: 'text/vnd.cozy.note+markdown', class: 'text', metadata: { title: 'Sortie', version: 1 } } } })
    const content = pick(r.json, 'data', 'attributes', 'metadata', 'content')
    expect(pick(content, 'content', 0)).toMatchObject({ type: 'heading', attrs: { level: 1 } })
    expect(pick(content, 'content', 1, 'content', 1)).toMatchObject({ type: 'text', text: 'des tableaux', marks: [{ type: 'strong' }] })
    expect(pick(content, 'content', 2, 'type')).toBe('bulletList')
  })

  it('renames, trashes, restores and destroys', async () => {
    const up = await upload(folderId, 'temp.txt', 'temp')
    const id = String(pick(up.json, 'data', 'id'))
    const renamed = await call(base, 'PATCH', `/files/${id}`, { token: cli, body: { data: { type: 'io.cozy.files', id, attributes: { name: 'renamed.txt' } } } })
    expect(renamed.status).toBe(200)
    expect(pick(renamed.json, 'data', 'attributes', 'name')).toBe('renamed.txt')
    const malformed = await call(base, 'PATCH', `/files/${id}`, { token: cli, raw: '{"data": "nope"}' })
    expect(malformed.status).toBe(400)
    expect(pick(malformed.json, 'errors', 0, 'detail')).toBe('JSON input is malformed or is missing mandatory fields')
    const trashed = await call(base, 'DELETE', `/files/${id}`, { token: cli })
    expect(trashed.status).toBe(200)
    expect(pick(trashed.json, 'data', 'attributes')).toMatchObject({ trashed: true, restore_path: '/Documents', dir_id: 'io.cozy.files.trash-dir' })
    const trash = await call(base, 'GET', '/files/trash', { token: cli })
    expect(pick(trash.json, 'included', 0, 'id')).toBe(id)
    const usage = await call(base, 'GET', '/settings/disk-usage?include=trash', { token: cli })
    expect(pick(usage.json, 'data', 'attributes', 'trash')).toBe('4')
    const restored = await call(base, 'POST', `/files/trash/${id}`, { token: cli })
    expect(pick(restored.json, 'data', 'attributes')).toMatchObject({ trashed: false, dir_id: folderId })
    await call(base, 'DELETE', `/files/${id}`, { token: cli })
    const destroyed = await call(base, 'DELETE', `/files/trash/${id}`, { token: cli })
    expect(destroyed.status).toBe(204)
    expect((await call(base, 'GET', `/files/${id}`, { token: cli })).status).toBe(404)
    expect(await contentFiles()).not.toContain(id)
  })

  it('overwrites content with PUT (If-Match, MD5), takes metadata by MetadataID, finds with _find and lists references', async () => {
    const up = await upload(folderId, 'journal.txt', 'v1')
    const id = String(pick(up.json, 'data', 'id'))
    const rev = String(pick(up.json, 'data', 'meta', 'rev'))
    const stale = await call(base, 'PUT', `/files/${id}`, { token: cli, raw: 'v2', headers: { 'Content-Type': 'text/plain', 'If-Match': '1-stale' } })
    expect(stale.status).toBe(412)
    const put = await call(base, 'PUT', `/files/${id}`, { token: cli, raw: 'v2!', headers: { 'Content-Type': 'text/plain', 'If-Match': rev, 'Content-MD5': md5('v2!') } })
    expect(put.status).toBe(200)
    expect(pick(put.json, 'data', 'attributes', 'size')).toBe('3')
    expect((await call(base, 'GET', `/files/download/${id}`, { token: cli })).text).toBe('v2!')

    const meta = await call(base, 'POST', '/files/upload/metadata', { token: cli, body: { data: { type: 'io.cozy.files.metadata', attributes: { qualification: { label: 'report_card' } } } } })
    expect(meta.status).toBe(201)
    const metaId = String(pick(meta.json, 'data', 'id'))
    const qualified = await upload(folderId, 'bulletin.txt', 'notes', {}, cli, `&MetadataID=${metaId}`)
    expect(pick(qualified.json, 'data', 'attributes', 'metadata', 'qualification', 'label')).toBe('report_card')
    const expired = await upload(folderId, 'other.txt', 'x', {}, cli, '&MetadataID=NOPE')
    expect(expired.status).toBe(422)

    const found = await call(base, 'POST', '/files/_find', { token: cli, body: { selector: { name: 'bulletin.txt' } } })
    expect(found.status).toBe(200)
    expect(pick(found.json, 'data', 0, 'attributes', 'name')).toBe('bulletin.txt')

    const ref = await call(base, 'POST', `/files/${id}/relationships/referenced_by`, { token: cli, body: { data: [{ type: 'io.cozy.mesdonnees.imports', id: 'imp-1' }] } })
    expect(ref.status).toBe(200)
    const refs = await call(base, 'GET', '/data/io.cozy.mesdonnees.imports/imp-1/relationships/references', { token: cli })
    expect(pick(refs.json, 'data', 0, 'id')).toBe(id)
  })

  it('gives a read-only app token GET but not POST, and refuses without a token', async () => {
    const token = stack.instances[0].tokenFor('photos')
    expect((await call(base, 'GET', `/files/${folderId}`, { token })).status).toBe(200)
    const post = await upload(folderId, 'nope.txt', 'x', {}, token)
    expect(post.status).toBe(403)
    const none = await call(base, 'GET', `/files/${folderId}`)
    expect(none.status).toBe(401)
  })
})
