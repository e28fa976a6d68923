/**
 * A new ENT app is one module and one registry line: a reader written here, added to the
 * registry, is described, ordered, counted, named, shared and sized by the pipeline without
 * any other file knowing it.
 */
import path from 'path'
import { describeArchive, openArchiveFile } from '../../../src/ent/node'
import { READERS } from '../../../src/ent/apps/registry'
import { readMongoApp, richText, titleOf } from '../../../src/ent/apps/common'
import type { AppReader } from '../../../src/ent/apps/reader'
import { roleTable } from '../../../src/ent/shares'
import { runImport } from '../../../src/import/engine'
import { PENDING_SHARES_DOCTYPE, type PendingShare } from '../../../src/import/records'
import { temporaryDirectory } from '../../fixtures/paths'
import { writeZipFile } from '../../fixtures/zip-writer'
import { allDocs, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const TOP = '1775058677777_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'

/** "Carnet de bord": one JSON record per entry, its pictures under Documents/. */
const carnetReader: AppReader = {
  app: 'carnet',
  labelKey: 'carnet',
  cozyFolder: 'Carnet de bord',
  folderNames: ['Carnet'],
  shareRoles: roleTable([
    ['read', 'CarnetController', ['voir']],
    ['manager', 'CarnetController', ['gerer']]
  ]),
  importRank: 5,
  sizeFactor: 2,
  needs: ['workspace-documents'],
  read: context =>
    readMongoApp(context, [
      {
        collection: 'carnet',
        prefix: 'carnet_',
        order: 0,
        convert: async (ctx, record, entId) => [richText(ctx, record, entId, { collection: 'carnet', title: titleOf(record, 'carnet_'), attachments: await ctx.attachments(record, `carnet ${entId}`) })]
      }
    ])
}

describe('an ENT app added as one module', () => {
  const tmp = temporaryDirectory('ent-new-app-')
  let env: ImportStack

  beforeAll(async () => {
    READERS.push(carnetReader)
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    READERS.splice(READERS.indexOf(carnetReader), 1)
    await env?.stop()
    tmp.remove()
  })

  it('is described, imported in its rank, into its own folder, with its share roles and size factor', async () => {
    const file = path.join(tmp.dir, 'carnet.zip')
    const share = [{ userId: 'prof-1', 'fr-test-carnet-controllers-CarnetController|voir': true, 'fr-test-carnet-controllers-CarnetController|gerer': true }]
    await writeZipFile(file, async zip => {
      await zip.file(`${TOP}/Manifest.json`, JSON.stringify({ 'org.entcore.blog': { version: '5.4', folder: 'Blog' }, 'fr.test.carnet': { version: '1.0', folder: 'Carnet' } }))
      await zip.file(`${TOP}/Blog/blog_Un`, JSON.stringify({ _id: 'b1', title: 'blog_Un', shared: [] }))
      await zip.file(`${TOP}/Carnet/carnet_Sortie`, JSON.stringify({ _id: 'c1', title: 'carnet_Sortie au musée', content: '<p>Le musée</p>', shared: share }))
      await zip.file(`${TOP}/Carnet/carnet_Visite`, JSON.stringify({ _id: 'c2', title: 'carnet_Visite', content: '<p>La visite</p>', shared: [] }))
    })
    const archive = await openArchiveFile(file)
    const description = await describeArchive(archive)
    await archive.close()
    expect(description.apps.find(a => a.app === 'carnet')).toMatchObject({ folder: 'Carnet', version: '1.0', items: 2, resources: 2, shares: 1 })

    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: 'carnet' })
    expect(outcome.state).toBe('done')
    // its rank (5) puts it before the blog (default rank)
    expect(outcome.report.apps.map(a => a.app)).toEqual(['carnet', 'blog'])
    expect(outcome.report.apps[0]).toMatchObject({ items: 2, imported: 2, failed: 0 })
    const carnetBytes = description.apps.find(a => a.app === 'carnet')?.bytes ?? 0
    expect(outcome.record.apps[0].plannedBytes).toBe(carnetBytes * 2)
    const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
    expect(tree.filter(e => e.type === 'file').map(e => e.path).sort()).toEqual(['/Carnet de bord/Sortie au musée.cozy-note', '/Carnet de bord/Visite.cozy-note'])
    const shares = (await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)) as unknown as PendingShare[]
    expect(shares.map(s => s.recipients.map(r => [r.entId, r.role]))).toEqual([[['prof-1', 'manager']]])
  })
})
