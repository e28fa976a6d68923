import { startStack, type RunningStack } from './index'
import { call, pick } from './testing/http'
import { writeKonnector, writeWebapp } from './testing/fixtures'
import { mimeAndClass } from './files/mime'

// Probes of smaller points where the stand-in follows cozy-stack; each names the stack file.

jest.setTimeout(30_000)

let stack: RunningStack
let base: string
let cli: string

beforeAll(async () => {
  stack = await startStack()
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
  await stack.instances[0].installApp(await writeWebapp({ slug: 'reader', permissions: { files: { type: 'io.cozy.files', verbs: ['GET'] } } }))
  await stack.instances[0].installApp(await writeWebapp({ slug: 'uploader', permissions: { files: { type: 'io.cozy.files', verbs: ['GET', 'POST'] } } }))
})
afterAll(() => stack.stop())

async function upload(name: string, contentType: string, dirId = 'io.cozy.files.root-dir'): Promise<Record<string, unknown>> {
  const r = await call(base, 'POST', `/files/${dirId}?Type=file&Name=${encodeURIComponent(name)}`, { token: cli, raw: 'PK', headers: { 'Content-Type': contentType } })
  expect(r.status).toBe(201)
  return pick(r.json, 'data') as Record<string, unknown>
}

describe('files as the stack shapes them', () => {
  it('derives the class from the MIME type, the top-level type by default (model/vfs/vfs.go ExtractMimeAndClass)', async () => {
    expect(mimeAndClass('application/zip')).toEqual({ mime: 'application/zip', class: 'zip' })
    expect(mimeAndClass('application/x-zip-compressed')).toEqual({ mime: 'application/x-zip-compressed', class: 'application' })
    expect(mimeAndClass('application/json; charset=utf-8')).toEqual({ mime: 'application/json', class: 'application' })
    expect(mimeAndClass('application/octet-stream').class).toBe('files')
    expect(mimeAndClass('application/x-msdownload').class).toBe('binary')
    expect(mimeAndClass('text/x-python').class).toBe('code')
    expect(mimeAndClass('application/vnd.oasis.opendocument.graphics').class).toBe('slide')
    expect(mimeAndClass('font/woff2').class).toBe('font')
    // web/files/files.go FileDocFromReq: the Content-Type sent wins over the extension
    const windowsZip = await upload('export-ent.zip', 'application/x-zip-compressed')
    expect(pick(windowsZip, 'attributes')).toMatchObject({ mime: 'application/x-zip-compressed', class: 'application' })
    const octet = await upload('autre.zip', 'application/octet-stream')
    expect(pick(octet, 'attributes')).toMatchObject({ mime: 'application/zip', class: 'zip' })
  })

  it('gives a file its path in _find and _all_docs only, a directory always (web/files/paginated.go, files.go FindFilesMango, GetAllDocs)', async () => {
    const dir = pick((await call(base, 'POST', '/files/?Type=directory&Name=Chemins', { token: cli })).json, 'data') as Record<string, unknown>
    expect(pick(dir, 'attributes', 'path')).toBe('/Chemins')
    const file = await upload('a.txt', 'text/plain', String(dir.id))
    expect(pick(file, 'attributes', 'path')).toBeUndefined()
    expect(pick((await call(base, 'GET', `/files/${String(file.id)}`, { token: cli })).json, 'data', 'attributes', 'path')).toBeUndefined()
    const listing = await call(base, 'GET', `/files/${String(dir.id)}`, { token: cli })
    expect(pick(listing.json, 'included', 0, 'attributes', 'path')).toBeUndefined()
    const found = await call(base, 'POST', '/files/_find', { token: cli, body: { selector: { name: 'a.txt' } } })
    expect(pick(found.json, 'data', 0, 'attributes', 'path')).toBe('/Chemins/a.txt')
    // web/files/files.go GetAllDocs: files with their path as well, unknown keys left out
    const all = await call(base, 'POST', '/files/_all_docs', { token: cli, body: { keys: [String(file.id), String(dir.id), 'nope'] } })
    expect((pick(all.json, 'data') as unknown[]).map(d => pick(d, 'attributes', 'path'))).toEqual(['/Chemins/a.txt', '/Chemins'])
    expect(pick(all.json, 'meta', 'count')).toBe(2)
    expect((await call(base, 'POST', '/files/_all_docs', { token: stack.instances[0].tokenFor('reader'), body: { keys: [] } })).status).toBe(200)
  })

  it('pages _find with a bookmark cursor and a count of MaxInt32 - 1 until the last page (web/files/files.go FindFilesMango)', async () => {
    const dir = String(pick((await call(base, 'POST', '/files/?Type=directory&Name=Pages', { token: cli })).json, 'data', 'id'))
    for (const name of ['p1.txt', 'p2.txt', 'p3.txt']) await upload(name, 'text/plain', dir)
    const first = await call(base, 'POST', '/files/_find', { token: cli, body: { selector: { dir_id: dir }, limit: 2 } })
    expect((pick(first.json, 'data') as unknown[]).length).toBe(2)
    expect(pick(first.json, 'meta', 'count')).toBe(2 ** 31 - 2)
    const next = String(pick(first.json, 'links', 'next'))
    expect(next).toMatch(/^\/files\/_find\?page\[cursor\]=[\w-]+$/)
    const second = await call(base, 'POST', next, { token: cli, body: { selector: { dir_id: dir }, limit: 2 } })
    expect((pick(second.json, 'data') as unknown[]).length).toBe(1)
    expect(pick(second.json, 'meta', 'count')).toBe(1)
    expect(pick(second.json, 'links', 'next')).toBeUndefined()
    const names = [...(pick(first.json, 'data') as unknown[]), ...(pick(second.json, 'data') as unknown[])].map(d => pick(d, 'attributes', 'name'))
    expect(names.sort()).toEqual(['p1.txt', 'p2.txt', 'p3.txt'])
    const skipped = await call(base, 'POST', '/files/_find', { token: cli, body: { selector: { dir_id: dir }, limit: 10, skip: 1 } })
    expect(pick(skipped.json, 'meta', 'count')).toBe(3)
  })
})

describe('CORS as web/middlewares/cors.go answers', () => {
  it('allows the origin with credentials and exposes no header; a preflight gets 204 with the asked headers', async () => {
    const simple = await call(base, 'GET', '/settings/capabilities', { token: cli, headers: { Origin: 'http://app.example' } })
    expect(simple.headers.get('access-control-allow-origin')).toBe('http://app.example')
    expect(simple.headers.get('access-control-allow-credentials')).toBe('true')
    expect(simple.headers.get('access-control-expose-headers')).toBeNull()
    const preflight = await call(base, 'OPTIONS', '/files/_find', { headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type')
    expect(preflight.headers.get('access-control-max-age')).toBe('43200')
    const bare = await call(base, 'OPTIONS', '/files/_find', { headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET' } })
    expect(bare.headers.get('access-control-allow-headers')).toBeNull()
  })
})

describe('/settings/disk-usage as web/settings/disk_usage.go checkAccessToDiskUsage', () => {
  it('needs GET on the document, a webapp token with the session, or POST on io.cozy.files', async () => {
    const inst = stack.instances[0]
    // a webapp token alone, without the user's session and without POST on files: refused
    expect((await call(base, 'GET', '/settings/disk-usage', { token: inst.tokenFor('reader') })).status).toBe(403)
    const withSession = await call(base, 'GET', '/settings/disk-usage', { token: inst.tokenFor('reader'), headers: { Cookie: await inst.sessionCookie() } })
    expect(withSession.status).toBe(200)
    // CanWriteToAnyDirectory
    expect((await call(base, 'GET', '/settings/disk-usage', { token: inst.tokenFor('uploader') })).status).toBe(200)
  })
})

describe('konnector environment as worker/exec/konnector.go sets it', () => {
  it('gives COZY_PARAMETERS as null when the manifest has no parameters', async () => {
    const source = `fetch(process.env.COZY_URL + 'data/io.cozy.mesdonnees.imports/', { method: 'POST', headers: { Authorization: 'Bearer ' + process.env.COZY_CREDENTIALS, 'Content-Type': 'application/json' }, body: JSON.stringify({ params: process.env.COZY_PARAMETERS, slug: JSON.parse(process.env.COZY_FIELDS).konnector }) })`
    const permissions = { records: { type: 'io.cozy.mesdonnees.imports', verbs: ['POST'] } }
    await stack.instances[0].installKonnector(await writeKonnector({ slug: 'bare', permissions }, source))
    await stack.instances[0].installKonnector(await writeKonnector({ slug: 'tuned', permissions, parameters: { mode: 'fast' } }, source))
    for (const slug of ['bare', 'tuned']) {
      const r = await call(base, 'POST', '/jobs/queue/konnector', { token: cli, body: { data: { attributes: { arguments: { konnector: slug } } } } })
      const id = String(pick(r.json, 'data', 'id'))
      for (let state = ''; state !== 'done' && state !== 'errored'; ) {
        await new Promise(resolve => setTimeout(resolve, 50))
        state = String(pick((await call(base, 'GET', `/jobs/${id}`, { token: cli })).json, 'data', 'attributes', 'state'))
      }
    }
    const docs = (await stack.instances[0].instance.dbs.list('io.cozy.mesdonnees.imports')) as Array<{ slug?: string; params?: string }>
    expect(Object.fromEntries(docs.map(d => [d.slug, d.params]))).toEqual({ bare: 'null', tuned: '{"mode":"fast"}' })
  })
})
