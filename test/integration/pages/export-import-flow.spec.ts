import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { ROOT_DIR_ID } from '../../../dev-stack/files/vfs'
import { call } from '../../../dev-stack/testing/http'
import { mkdir, unzip, upload, waitFor, waitForMail, exportLinkOf, type ZipEntry } from '../../../dev-stack/move/testing'
import { parseExportLink, StackError, type ExportDoc, type StackApi } from '../../../src/stack-client'
import { buildExportJobQuery, type ExportJob } from '../../../src/queries/export'
import { appClient, appStackApi, installMesDonnees } from './stack-helpers'

/**
 * What the export, download and Cozy import pages do, through the webapp's stack client
 * against the stand-in: an export is requested with the doctypes of ticked apps, followed through
 * its job, found again from the mailed link, its parts listed and downloaded as the page's
 * links do (no token), and their zip content checked; then another Cozy prechecks and
 * starts the import of that link.
 */

/** Small parts (the stand-in lets tests lower the stack's 1 GiB minimum) give several of them. */
const PART = 100
const FILES: Record<string, string> = {
  '/Documents/a.txt': 'a'.repeat(70),
  '/Documents/Été/b.txt': 'b'.repeat(70),
  '/c.md': '# c\n'
}

let stack: RunningStack
let alice: StackInstance
let bob: StackInstance
let carol: StackInstance
let api: StackApi

beforeAll(async () => {
  stack = await startStack({ instances: 3, exportMinimalPartsSize: PART })
  ;[alice, bob, carol] = stack.instances
  for (const cozy of stack.instances) await installMesDonnees(cozy)
  api = appStackApi(alice)
  const docs = await mkdir(alice, ROOT_DIR_ID, 'Documents')
  const ete = await mkdir(alice, docs, 'Été')
  await upload(alice, docs, 'a.txt', FILES['/Documents/a.txt'])
  await upload(alice, ete, 'b.txt', FILES['/Documents/Été/b.txt'])
  await upload(alice, ROOT_DIR_ID, 'c.md', FILES['/c.md'])
  for (const [doctype, doc] of [
    ['io.cozy.contacts', { fullname: 'Zoé Martin' }],
    ['io.cozy.todos', { label: 'not exported: its app was not ticked' }]
  ] as const) {
    const r = await call(alice.url, 'POST', `/data/${doctype}/`, { token: alice.cliToken, body: doc })
    expect(r.status).toBe(201)
  }
})
afterAll(() => stack?.stop())

describe('an export requested by the export page', () => {
  let link: string
  let mac: string
  let doc: ExportDoc
  let parts: ZipEntry[][]

  beforeAll(async () => {
    await api.exports.request({ withDoctypes: ['io.cozy.contacts', 'io.cozy.files', 'io.cozy.files.versions'] })
    // As the page follows it: through the export job (src/queries/export.ts), read by id until it ends.
    const client = appClient(alice)
    const job = await waitFor('the export job to be done', async () => {
      const [ended] = (await alice.instance.jobs.jobsOf({ worker: 'export' })).filter(j => j.state === 'done' || j.state === 'errored')
      if (!ended) return undefined
      const spec = buildExportJobQuery(ended._id)
      return ((await client.query(spec.definition(), spec.options)) as { data: ExportJob }).data
    })
    expect(job.state).toBe('done')

    link = exportLinkOf(await waitForMail(stack, alice, 'archiver'))
    mac = parseExportLink(link) ?? ''
    doc = await api.exports.get(mac)
    expect(doc.withDoctypes).toEqual(['io.cozy.contacts', 'io.cozy.files', 'io.cozy.files.versions'])
    const urls = api.exports.partUrls(mac, doc)
    parts = []
    for (const part of urls) {
      // As the page's top-level links: no token, the MAC is the credential.
      const res = await fetch(part.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/zip/)
      parts.push(await unzip(Buffer.from(await res.arrayBuffer())))
    }
  })

  it('is found again from the mailed link, done, with several parts', () => {
    expect(mac).not.toBe('')
    expect(doc.state).toBe('done')
    // No size chosen: the stack's own rule, at least the minimum, more for a fuller Cozy.
    expect(doc.partsSize).toBeGreaterThanOrEqual(PART)
    expect(doc.partsCursors.length).toBeGreaterThanOrEqual(1)
    expect(parts).toHaveLength(doc.partsCursors.length + 1)
    expect(new Date(doc.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now())
  })

  it('has every file, once, with its content, spread over the parts', () => {
    const files = parts
      .flat()
      .filter(e => e.name.startsWith('My Cozy/Files/'))
      .map(e => [e.name.slice('My Cozy/Files'.length), e.data.toString('utf8')])
    expect(Object.fromEntries(files)).toEqual(FILES)
    expect(files).toHaveLength(Object.keys(FILES).length)
  })

  it('has the instance and the ticked doctypes in part 0, and not the others', () => {
    const names = parts[0].map(e => e.name)
    expect(names).toContain('My Cozy/Data/instance.json')
    const contacts = parts[0].filter(e => e.name.startsWith('My Cozy/Data/io.cozy.contacts/'))
    expect(contacts.map(e => JSON.parse(e.data.toString('utf8')).fullname)).toEqual(['Zoé Martin'])
    expect(parts.flat().some(e => e.name.includes('io.cozy.todos'))).toBe(false)
  })

  it('is refused, with the translated reason, for a tampered link', async () => {
    const tampered = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`
    await expect(api.exports.get(tampered)).rejects.toMatchObject({ translationKey: 'stackErrors.exports.invalidLink' })
  })

  it('can be imported into another Cozy after a precheck', async () => {
    const bobApi = appStackApi(bob)
    await bobApi.imports.precheck(link)
    const importing = await bobApi.imports.start(link)
    expect(importing).toBe(`${bob.url}move/importing`)
    // The import erases bob, then brings alice's files: wait for one of them.
    await waitFor(
      'alice\'s file on bob',
      async () => {
        const r = await call(bob.url, 'GET', `/files/metadata?Path=${encodeURIComponent('/Documents/Été/b.txt')}`, { token: bob.cliToken })
        return r.status === 200 ? true : undefined
      },
      30_000
    )
  })
})

describe('the limits the pages explain', () => {
  it('maps the precheck refusals: no export behind the link, not enough space', async () => {
    const carolApi = appStackApi(carol)
    const unknown = `${alice.url.replace(/\/$/, '')}/#/exports/AAAAAAAAAAAAAAAAAAAAAAAAAAAA`
    await expect(carolApi.imports.precheck(unknown)).rejects.toMatchObject({ status: 412, translationKey: 'stackErrors.imports.invalidLink' })
    const link = exportLinkOf(stack.outbox.list(alice.domain).filter(m => m.template === 'archiver')[0])
    carol.instance.state.quota = 1
    await carol.instance.save()
    await expect(carolApi.imports.precheck(link)).rejects.toMatchObject({ status: 413, translationKey: 'stackErrors.imports.notEnoughSpace' })
  })

  it('says "5 exports per 24 h" when the stack answers the sixth request with a 404', async () => {
    const carolApi = appStackApi(carol)
    const outcomes: string[] = []
    for (let i = 0; i < 6; i += 1) {
      outcomes.push(await carolApi.exports.request().then(() => 'accepted', (err: unknown) => (err instanceof StackError ? err.translationKey : String(err))))
    }
    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'stackErrors.exports.rateLimited'])
  })
})
