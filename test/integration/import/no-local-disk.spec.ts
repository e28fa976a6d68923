/**
 * An archive stored in the Cozy, imported where no local disk can hold a copy (the stack's
 * jail has none): `auto` reads it by Range requests, a forced copy fails with NO_TEMP_DIR
 * before writing anything, and a copy made in a proven folder (read while it downloads,
 * src/ent/zip/node-download-source.ts) is removed afterwards.
 */
import { promises as fs } from 'fs'
import path from 'path'
import { writeEntArchive } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { ImportError, runImport } from '../../../src/import/engine'
import { snapshotTree, startImportStack, uploadArchive, type ImportStack } from './helpers'

jest.setTimeout(60_000)

describe('importing without a writable local disk', () => {
  const tmp = temporaryDirectory('ent-import-nodisk-')
  const missing = path.join(tmp.dir, 'no-such-folder')
  let env: ImportStack
  let fileId: string

  beforeAll(async () => {
    const fixture = await writeEntArchive(path.join(tmp.dir, 'workspace.zip'), { apps: ['workspace'], workspaceFiles: 6 })
    env = await startImportStack({}, undefined, false)
    fileId = (await uploadArchive(env.admin, fixture.path, 'io.cozy.files.root-dir'))._id
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('refuses a forced copy with NO_TEMP_DIR, with nothing written', async () => {
    const error = await runImport({ client: env.konnector, archive: { kind: 'cozy', fileId, access: 'copy' }, tempDir: missing, importId: 'forced' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).code).toBe('NO_TEMP_DIR')
    expect(await snapshotTree(env.admin, '/Mes données ENT')).toEqual([])
    expect(await env.admin.getDoc('io.cozy.mesdonnees.imports', 'forced')).toBeNull()
    // The app shows the code's own text (ImportReport's entImport.errors.job.<code>).
    for (const lang of ['fr', 'en']) {
      const locale = JSON.parse(await fs.readFile(path.join(__dirname, `../../../locales/${lang}.json`), 'utf8')) as { entImport: { errors: { job: Record<string, string> } } }
      expect(locale.entImport.errors.job.NO_TEMP_DIR).toMatch(lang === 'fr' ? /^L’archive n’a pas pu être copiée\u202f:/ : /^The archive could not be copied:/)
    }
  })

  it('reads by Range requests in `auto` when no folder is writable', async () => {
    const log: string[] = []
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'cozy', fileId, access: 'auto' }, tempDir: missing, importId: 'by-range', log: line => log.push(line) })
    expect(outcome.state).toBe('done')
    expect(outcome.report.errors).toEqual([])
    expect(log).toContain('reading the archive by Range requests (no writable temporary folder can hold a copy)')
    const files = (await snapshotTree(env.admin, '/Mes données ENT')).filter(e => e.type === 'file')
    expect(files.length).toBeGreaterThanOrEqual(6)
  })

  it('copies into a proven folder and removes the copy', async () => {
    const dir = path.join(tmp.dir, 'copies')
    await fs.mkdir(dir)
    const log: string[] = []
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'cozy', fileId, access: 'auto' }, tempDir: dir, importId: 'by-copy', log: line => log.push(line) })
    expect(outcome.state).toBe('done')
    expect(log.filter(line => line.startsWith('reading the archive by Range requests'))).toEqual([])
    expect(outcome.report.errors).toEqual([])
    expect(await fs.readdir(dir)).toEqual([])
  })
})
