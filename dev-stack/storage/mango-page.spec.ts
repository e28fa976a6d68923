import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'

jest.setTimeout(60_000)

let stack: RunningStack
let base: string
let cli: string

beforeAll(async () => {
  stack = await startStack({ instances: 1 })
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
})
afterAll(() => stack.stop())

type Body = Record<string, unknown>

/** Pages a query to its end, running `between` after each page: what a client sees while others write. */
async function pageAll(doctype: string, body: Body, between: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  let bookmark: unknown
  for (let page = 0; page < 50; page++) {
    const r = await call(base, 'POST', `/data/${doctype}/_find`, { token: cli, body: { ...body, ...(bookmark ? { bookmark } : {}) } })
    expect(r.status).toBe(200)
    for (const doc of pick(r.json, 'docs') as Array<{ _id: string }>) seen.push(doc._id)
    if (pick(r.json, 'next') !== true) return seen
    bookmark = pick(r.json, 'bookmark')
    await between(page)
  }
  throw new Error('the paging never ended')
}

async function bulk(doctype: string, docs: Body[]): Promise<void> {
  const r = await call(base, 'POST', `/data/${doctype}/_bulk_docs`, { token: cli, body: { docs } })
  expect(r.status).toBe(201)
}

// CouchDB's bookmark is the last row's key: rows written before it do not shift the next page.
describe('_find paging (docs/mango.md, CouchDB bookmarks) never returns a document twice', () => {
  it('by id, while documents that sort before the cursor are created', async () => {
    const doctype = 'io.cozy.mesdonnees.imports'
    await bulk(doctype, Array.from({ length: 30 }, (_, i) => ({ _id: `m${String(i).padStart(3, '0')}`, kind: 'x' })))
    const seen = await pageAll(doctype, { selector: { kind: 'x' }, limit: 7 }, async page => {
      await bulk(doctype, [{ _id: `a${page}`, kind: 'x' }, { _id: `b${page}`, kind: 'x' }])
    })
    expect(new Set(seen).size).toBe(seen.length)
    // every document that existed before the first page is seen
    for (let i = 0; i < 30; i++) expect(seen).toContain(`m${String(i).padStart(3, '0')}`)
  })

  it('on an index with equal keys and a descending sort, while the first rows are rewritten', async () => {
    const doctype = 'io.cozy.mesdonnees.pendingshares'
    await call(base, 'POST', `/data/${doctype}/_index`, { token: cli, body: { index: { fields: ['rank'] } } })
    await bulk(doctype, Array.from({ length: 40 }, (_, i) => ({ _id: `s${String(i).padStart(3, '0')}`, rank: i % 5 })))
    const seen = await pageAll(doctype, { selector: { rank: { $gte: 0 } }, sort: [{ rank: 'desc' }], limit: 6, fields: ['_id'] }, async page => {
      // new rows that sort ahead of everything already paged through
      await bulk(doctype, [{ _id: `new${page}`, rank: 9 }])
    })
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter(id => id.startsWith('s'))).toHaveLength(40)
  })

  it('within one long run of equal keys, while rows before the cursor are deleted', async () => {
    const doctype = 'io.cozy.mesdonnees.tests'
    await call(base, 'POST', `/data/${doctype}/_index`, { token: cli, body: { index: { fields: ['group', 'n'] } } })
    await bulk(doctype, Array.from({ length: 60 }, (_, i) => ({ _id: `r${String(i).padStart(3, '0')}`, group: 'g', n: i })))
    const deleted: string[] = []
    const seen = await pageAll(doctype, { selector: { group: 'g' }, limit: 8 }, async page => {
      // the first rows of the run go away: the position hint of the bookmark is now too far
      const victim = `r${String(page * 2).padStart(3, '0')}`
      const doc = await call(base, 'GET', `/data/${doctype}/${victim}`, { token: cli })
      await call(base, 'DELETE', `/data/${doctype}/${victim}?rev=${String(pick(doc.json, '_rev'))}`, { token: cli })
      deleted.push(victim)
    })
    expect(new Set(seen).size).toBe(seen.length)
    const expected = Array.from({ length: 60 }, (_, i) => `r${String(i).padStart(3, '0')}`)
    expect(expected.filter(id => !seen.includes(id) && !deleted.includes(id))).toEqual([])
  })

  it('for /files/_find (page[cursor]) while files are added to the folder', async () => {
    const dir = await call(base, 'POST', '/files/io.cozy.files.root-dir?Type=directory&Name=paging', { token: cli })
    const dirId = String(pick(dir.json, 'data', 'id'))
    const add = async (name: string): Promise<void> => {
      const r = await call(base, 'POST', `/files/${dirId}?Type=file&Name=${name}`, { token: cli, body: 'x', headers: { 'Content-Type': 'text/plain' } })
      expect(r.status).toBe(201)
    }
    for (let i = 0; i < 12; i++) await add(`f${String(i).padStart(2, '0')}.txt`)
    const seen: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < 20; page++) {
      const r = await call(base, 'POST', `/files/_find${cursor ? `?page[cursor]=${cursor}` : ''}`, { token: cli, body: { selector: { dir_id: dirId }, limit: 5 } })
      expect(r.status).toBe(200)
      for (const f of pick(r.json, 'data') as Array<{ id: string }>) seen.push(f.id)
      const next = pick(r.json, 'links', 'next') as string | undefined
      if (!next) break
      cursor = new URL(next, base).searchParams.get('page[cursor]')
      await add(`a${page}.txt`)
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBeGreaterThanOrEqual(12)
  })
})
