/**
 * The ledger: every item an archive holds (what `inspect --json` counts per app as `items`)
 * ends in exactly one of imported, already there, not selected or failed, on the genuine
 * sample and on generated archives of every app, whatever the selection, the trash option,
 * a dry run, or a record no converter can take.
 */
import path from 'path'
import { countApp, describeArchive, openArchiveFile, type ArchiveDescription } from '../../../src/ent/node'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import { ALL_FIXTURE_APPS, writeEntArchive } from '../../fixtures/ent-archive'
import { REAL_SAMPLE } from '../../fixtures/real-sample'
import { temporaryDirectory } from '../../fixtures/paths'
import { snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(120_000)

async function describeFile(file: string): Promise<ArchiveDescription> {
  const archive = await openArchiveFile(file)
  try {
    return await describeArchive(archive)
  } finally {
    await archive.close()
  }
}

/** For each app, the items its reader yields when read in full (not through a summary). */
async function itemsRead(file: string): Promise<Record<string, number>> {
  const archive = await openArchiveFile(file)
  const counts: Record<string, number> = {}
  try {
    for (const location of archive.apps) {
      if (!location.folder) continue
      let n = 0
      for await (const item of archive.readApp(location)) if (item) n++
      counts[location.app] = n
      // and the counting the engine does before writing agrees
      expect((await countApp(archive, location, () => undefined)).items).toBe(n)
    }
  } finally {
    await archive.close()
  }
  return counts
}

function expectLedger(outcome: ImportOutcome, description: ArchiveDescription, selected: string[] | null): void {
  const inArchive = description.apps.filter(a => a.items > 0 || a.resources > 0 || a.documents > 0)
  for (const app of inArchive) {
    const line = outcome.report.apps.find(a => a.app === app.app)
    expect({ app: app.app, line: line !== undefined }).toEqual({ app: app.app, line: true })
    if (!line) continue
    const sum = line.imported + line.skipped + line.notSelected + line.failed
    expect({ app: app.app, items: line.items, sum }).toEqual({ app: app.app, items: app.items, sum: app.items })
    if (selected && !selected.includes(app.app)) expect({ app: app.app, notSelected: line.notSelected }).toEqual({ app: app.app, notSelected: app.items })
  }
  expect(outcome.record.progress.itemsDone).toBe(outcome.record.progress.itemsPlanned)
}

describe('the ledger of items', () => {
  const tmp = temporaryDirectory('ent-ledger-')
  let env: ImportStack
  let allApps: string

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
    allApps = (await writeEntArchive(path.join(tmp.dir, 'all.zip'), { apps: ALL_FIXTURE_APPS, workspaceFiles: 40, workspaceFolders: 6 })).path
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('counts the same items whether an app is read in full or summarised', async () => {
    for (const file of [REAL_SAMPLE, allApps]) {
      const description = await describeFile(file)
      const read = await itemsRead(file)
      expect(Object.fromEntries(description.apps.filter(a => a.folder && a.app in read).map(a => [a.app, a.items]))).toEqual(read)
    }
  })

  it('accounts for every item of the genuine sample', async () => {
    const description = await describeFile(REAL_SAMPLE)
    expect(description.apps.map(a => [a.app, a.items])).toEqual([
      ['scrapbook', 6],
      ['actualites', 4],
      ['workspace', 8],
      ['blog', 6]
    ])
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: REAL_SAMPLE }, importId: 'ledger-sample' })
    expect(outcome.state).toBe('done')
    expectLedger(outcome, description, null)
    // nothing of the sample fails, nothing is left out
    expect(outcome.report.apps.map(a => [a.app, a.failed + a.notSelected]).sort()).toEqual(description.apps.map(a => [a.app, 0]).sort())
  })

  it('accounts for every item of every app, the trash as not selected, then imported when ticked', async () => {
    const description = await describeFile(allApps)
    expect(description.apps.map(a => a.app).sort()).toEqual([...ALL_FIXTURE_APPS].sort())
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: allApps }, importId: 'ledger-all' })
    expect(outcome.state).toBe('done')
    expectLedger(outcome, description, null)
    const workspace = outcome.report.apps.find(a => a.app === 'workspace')
    expect(workspace?.notSelected).toBeGreaterThan(0)
    const withTrash = await runImport({ client: env.konnector, archive: { kind: 'file', path: allApps }, importId: 'ledger-all-trash', includeTrash: true })
    expectLedger(withTrash, description, null)
    expect(withTrash.report.apps.find(a => a.app === 'workspace')?.notSelected).toBe(0)
  })

  it('reports the apps left out as not selected, and a dry run adds up the same', async () => {
    const description = await describeFile(allApps)
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: allApps }, importId: 'ledger-blog', selection: ['blog', 'calendar'] })
    expectLedger(outcome, description, ['blog', 'calendar'])
    expect(outcome.report.apps.slice(0, 2).map(a => a.app)).toEqual(['blog', 'calendar'])
    // the progress counts what was chosen, not what was left out
    const chosen = description.apps.filter(a => a.app === 'blog' || a.app === 'calendar').reduce((n, a) => n + a.items, 0)
    expect(outcome.record.progress.itemsPlanned).toBe(chosen)
    const dry = await runImport({ client: null, archive: { kind: 'file', path: allApps }, dryRun: true })
    expectLedger(dry, description, null)
  })

  it('fails a record nested 100,000 levels deep alone: its file kept as is, its siblings imported', async () => {
    const deep = `${'{"a":['.repeat(50_000)}1${']}'.repeat(50_000)}`
    const file = (
      await writeEntArchive(path.join(tmp.dir, 'deep.zip'), {
        apps: ['blog', 'wiki'],
        exportMs: 1775058631111,
        extra: async (zip, top) => {
          await zip.file(`${top}/Blog/post_Profond`, `{"_id":"deep-post","title":"post_Profond","content":"<p>x</p>","blog":{"$ref":"blogs","$id":"x"},"jsonContent":${deep}}`)
        }
      })
    ).path
    const description = await describeFile(file)
    const blog = description.apps.find(a => a.app === 'blog')
    expect(description.warnings.map(w => w.code)).toContain('record-too-deep')
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: 'ledger-deep' })
    expect(outcome.state).toBe('done')
    expectLedger(outcome, description, null)
    const line = outcome.report.apps.find(a => a.app === 'blog')
    expect(line?.failed).toBe(1)
    expect(line?.imported).toBe((blog?.items ?? 0) - 1)
    expect(outcome.report.errors).toEqual([expect.objectContaining({ app: 'blog', reason: expect.stringContaining('nests too deep') })])
    const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
    const files = tree.filter(e => e.type === 'file').map(e => e.path)
    expect(files.filter(p => /^\/Blog\/Blog d’été \d\/Billet .*\.cozy-note$/.test(p))).toHaveLength(4)
    expect(files).toContain('/Blog/post_Profond.json')
    expect(outcome.report.apps.find(a => a.app === 'wiki')?.failed).toBe(0)
  })
})
