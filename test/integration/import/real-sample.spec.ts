/**
 * The genuine ENT sample, imported by the konnector as the stack runs it (a job on the
 * stand-in's konnector worker, COZY_* environment, stdout protocol), then checked item by
 * item: folders, files with their bytes and dates, notes, the record and its report.
 */
import { createHash } from 'crypto'
import { promises as fs } from 'fs'
import { REAL_SAMPLE } from '../../fixtures/real-sample'
import { IMPORTS_DOCTYPE, PENDING_SHARES_DOCTYPE, type ImportRecord } from '../../../src/import/records'
import { allDocs, downloadText, snapshotTree, startImportStack, uploadArchive, waitFor, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const ROOT = '/Mes données ENT/2026-04-01'
const EXPORT_ID = '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'

describe('importing the genuine ENT sample through the konnector', () => {
  let env: ImportStack
  let record: ImportRecord
  const log: string[] = []

  beforeAll(async () => {
    env = await startImportStack({}, log)
    const archive = await uploadArchive(env.admin, REAL_SAMPLE, 'io.cozy.files.root-dir', 'mes-donnees-ent.zip')
    await env.admin.queueJob('konnector', { konnector: 'ent-import', fileId: archive._id, importId: 'sample-import' })
    record = await waitFor('the import to finish', async () => {
      const doc = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'sample-import')
      return doc && (doc.state === 'done' || doc.state === 'failed') ? doc : null
    })
  })

  afterAll(async () => {
    await env?.stop()
  })

  it('finishes with every item imported and nothing failed', () => {
    expect(record.state).toBe('done')
    expect(record.error).toBeNull()
    expect(record.archive).toMatchObject({ name: 'mes-donnees-ent.zip', exportId: EXPORT_ID, exportedAt: '2026-04-01T15:50:30.583Z' })
    expect(record.importFolder?.path).toBe(ROOT)
    expect(record.apps.map(a => [a.app, a.imported, a.skipped, a.failed])).toEqual([
      ['workspace', 8, 0, 0],
      ['scrapbook', 6, 0, 0],
      ['actualites', 4, 0, 0],
      ['blog', 6, 0, 0]
    ])
    expect(record.errors).toEqual([])
    expect(record.pendingShares).toBe(0)
    expect(record.report?.state).toBe('done')
    expect(record.jobs).toBe(1)
  })

  it('creates the workspace tree, the content folders, the notes and their images, with the original names', async () => {
    const tree = await snapshotTree(env.admin, ROOT)
    expect(tree.map(e => `${e.type === 'directory' ? 'D' : 'F'} ${e.path}`)).toEqual([
      'D /Actualités',
      'D /Actualités/Actu 1',
      'F /Actualités/Actu 1/Actu.cozy-note',
      'F /Actualités/Actu 1/Capture d’écran du 2026-04-01 17-49-27.jpeg',
      'F /Actualités/Actu 1/Capture d’écran du 2026-04-01 17-50-03.jpeg',
      'D /Blog',
      'D /Blog/Blog 1',
      'F /Blog/Blog 1/small.jpeg',
      'D /Blog/Blog 2',
      'F /Blog/Blog 2/Billet 1.cozy-note',
      'F /Blog/Blog 2/Capture d’écran du 2026-04-01 17-44-44.jpeg',
      'F /Blog/Blog 2/Capture d’écran du 2026-04-01 17-46-57.jpeg',
      'D /Cahier multimédia',
      'D /Cahier multimédia/SCrapbook 2',
      'F /Cahier multimédia/SCrapbook 2/Capture d’écran du 2026-04-01 17-48-08.png',
      'F /Cahier multimédia/SCrapbook 2/Capture d’écran du 2026-04-01 17-48-35.png',
      'F /Cahier multimédia/SCrapbook 2/Page 1.cozy-note',
      'D /Cahier multimédia/Scrapbook 1',
      'F /Cahier multimédia/Scrapbook 1/Capture d’écran du 2026-04-01 17-47-49.png',
      'D /Espace documentaire',
      'D /Espace documentaire/Documents ajoutés dans les applis',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-44-44.jpeg',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-46-57.jpeg',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-47-49.png',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-48-08.png',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-48-35.png',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-49-27.jpeg',
      'F /Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-50-03.jpeg',
      'F /Espace documentaire/Documents ajoutés dans les applis/small.jpeg'
    ])
  })

  it('keeps the bytes and the ENT dates of workspace files, and their provenance', async () => {
    const file = await env.admin.statByPath(`${ROOT}/Espace documentaire/Documents ajoutés dans les applis/Capture d’écran du 2026-04-01 17-47-49.png`)
    expect(file).toMatchObject({ size: '143233', created_at: '2026-04-01T15:47:53.913Z', mime: 'image/png' })
    expect(file?.metadata?.mesdonnees).toEqual({ app: 'workspace', entId: '10a86ea6-f578-457c-85c5-feace450d564', exportId: EXPORT_ID, key: 'workspace/file/10a86ea6-f578-457c-85c5-feace450d564', importId: 'sample-import' })
    // The same bytes as in the archive: the blog's copy of the same image has the same MD5.
    const copy = await env.admin.statByPath(`${ROOT}/Cahier multimédia/Scrapbook 1/Capture d’écran du 2026-04-01 17-47-49.png`)
    expect(copy?.md5sum).toBe(file?.md5sum)
    const total = (await snapshotTree(env.admin, ROOT)).filter(e => e.type === 'file').reduce((sum, e) => sum + (e.size ?? 0), 0)
    expect(total).toBe(record.apps.reduce((sum, a) => sum + a.bytes, 0))
    expect((await fs.stat(REAL_SAMPLE)).size).toBeGreaterThan(0)
  })

  it('turns the blog post into a note with its text, links and author, and links the images beside it', async () => {
    const note = await env.admin.statByPath(`${ROOT}/Blog/Blog 2/Billet 1.cozy-note`)
    expect(note?.mime).toBe('text/vnd.cozy.note+markdown')
    expect(note?.created_at).toBe('2026-04-01T15:47:06.173Z')
    expect((note?.metadata as { title?: string }).title).toBe('Billet 1')
    const markdown = await downloadText(env.admin, String(note?._id))
    expect(markdown.startsWith('# Billet 1\n\n*Bernard Junior, 1er avril 2026*\n\n')).toBe(true)
    expect(markdown).toContain('La **France**, en forme longue la **République française**')
    expect(markdown).toContain('[État](https://fr.wikipedia.org/wiki/%C3%89tat "État")')
    const page = await env.admin.statByPath(`${ROOT}/Cahier multimédia/SCrapbook 2/Page 1.cozy-note`)
    const pageText = await downloadText(env.admin, String(page?._id))
    expect(pageText).toContain('![](Capture%20d%E2%80%99%C3%A9cran%20du%202026-04-01%2017-48-35.png)')
    expect(createHash('md5').update(pageText).digest('hex')).toHaveLength(32)
  })

  it('turns the news item into a note in its thread', async () => {
    const note = await env.admin.statByPath(`${ROOT}/Actualités/Actu 1/Actu.cozy-note`)
    const markdown = await downloadText(env.admin, String(note?._id))
    expect(markdown).toContain('Les [territoires ultramarins](https://fr.wikipedia.org/wiki/Territoire_d%27outre-mer_\\(France\\)')
    expect(markdown).not.toMatch(/<[a-z]/i)
  })

  it('creates no event and no pending share (the sample shares nothing)', async () => {
    expect(await allDocs(env.url, env.cliToken, 'io.cozy.calendar.events')).toEqual([])
    expect(await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)).toEqual([])
  })

  it('sets up the watched folder and its trigger on the way', async () => {
    expect(await env.admin.statByPath('/Mes données ENT/À importer')).toMatchObject({ type: 'directory' })
    const triggers = await env.admin.listTriggers('konnector')
    expect(triggers.filter(t => t.type === '@event' && (t.message as { watch?: boolean }).watch === true)).toHaveLength(1)
  })

  it('imports an archive dropped into the watched folder, through the @event trigger', async () => {
    const watched = await env.admin.statByPath('/Mes données ENT/À importer')
    const dropped = await uploadArchive(env.admin, REAL_SAMPLE, String(watched?._id), 'export-ent.zip')
    const record = await waitFor('the watched-folder import', async () => {
      const doc = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, `ent-import-${dropped._id}`)
      return doc && (doc.state === 'done' || doc.state === 'failed') ? doc : null
    })
    expect(record.state).toBe('done')
    // A second import of the same export goes into the first one's folder and finds every item there.
    expect(record.importFolder?.path).toBe('/Mes données ENT/2026-04-01')
    expect(record.apps.reduce((n, a) => n + a.imported, 0)).toBe(0)
    expect(record.apps.reduce((n, a) => n + a.skipped, 0)).toBe(24)
    // The job the trigger started ends well once the konnector has exited.
    const watchJob = await waitFor('the watch job to end', async () => {
      const jobs = await env.stack.instances[0].instance.jobs.jobsOf({ worker: 'konnector' })
      const job = jobs.find(j => (j.message as { watch?: boolean }).watch === true)
      return job && job.state !== 'running' && job.state !== 'queued' ? job : null
    })
    expect(watchJob.trigger_id).toBeTruthy()
    expect(watchJob.state).toBe('done')
  })

  it('ran in the jail (or its emulation) and read the archive by Range requests, with no disk to copy it to', () => {
    const runners = log.filter(l => l.startsWith('[konnector ent-import] runner: '))
    expect(runners.length).toBeGreaterThan(0)
    expect(runners.filter(l => !/runner: (jail|emulated) /.test(l))).toEqual([])
    expect(log).toContain('[konnector ent-import] debug: reading the archive by Range requests (no writable temporary folder can hold a copy)')
  })
})
