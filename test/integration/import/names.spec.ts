/**
 * Names the Cozy cannot take as the ENT wrote them: two entries that differ only in Unicode
 * form (NFC and NFD) in one folder both land, the second renamed and said so in the report;
 * Manifest keys and folders that would make `/`, `.` or blank names still import.
 */
import path from 'path'
import { describeArchive, openArchiveFile } from '../../../src/ent/node'
import { runImport } from '../../../src/import/engine'
import { temporaryDirectory } from '../../fixtures/paths'
import { writeZipFile } from '../../fixtures/zip-writer'
import { downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const TOP = '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'

describe('names the Cozy cannot take as they are', () => {
  const tmp = temporaryDirectory('ent-names-')
  let env: ImportStack

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('imports both of two names that differ only in Unicode form, and says which was renamed', async () => {
    const file = path.join(tmp.dir, 'forms.zip')
    await writeZipFile(file, async zip => {
      await zip.file(`${TOP}/Manifest.json`, JSON.stringify({ 'org.entcore.blog': { version: '5.4', folder: 'Blog' } }))
      await zip.file(`${TOP}/Blog/blog_Un`, JSON.stringify({ _id: 'b1', title: 'blog_Un', shared: [] }))
      await zip.file(`${TOP}/Blog/Documents/Caf\u00e9.txt`, 'composed')
      await zip.file(`${TOP}/Blog/Documents/Cafe\u0301.txt`, 'decomposed')
    })
    const archive = await openArchiveFile(file)
    const description = await describeArchive(archive)
    await archive.close()
    expect(description.apps[0]).toMatchObject({ app: 'blog', items: 3, documents: 2 })
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: 'forms' })
    expect(outcome.state).toBe('done')
    expect(outcome.report.apps[0]).toMatchObject({ items: 3, imported: 3, failed: 0 })
    const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
    const files = tree.filter(e => e.type === 'file')
    expect(files.map(f => f.path).sort()).toEqual(['/Blog/Documents/Café (2).txt', '/Blog/Documents/Café.txt'])
    // each keeps its own bytes
    const root = String(outcome.report.importFolder?.path)
    const texts = await Promise.all(files.map(async f => downloadText(env.admin, String((await env.admin.statByPath(`${root}${f.path}`))?._id))))
    expect(texts.sort()).toEqual(['composed', 'decomposed'])
    expect(outcome.report.notices).toEqual([expect.objectContaining({ app: 'blog', item: 'Blog/Documents/Café (2).txt', reason: expect.stringContaining('are the same name in the Cozy') })])
  })

  it('imports apps whose Manifest key or folder would make a path or a blank name', async () => {
    const file = path.join(tmp.dir, 'keys.zip')
    const top = TOP.replace('1775058630583', '1775058639000')
    await writeZipFile(file, async zip => {
      await zip.file(`${top}/Manifest.json`, JSON.stringify({ 'x./': { version: '1', folder: '.' }, '..': { version: '1', folder: ' ' }, 'org.entcore.blog': { version: '5.4', folder: '/' } }))
      await zip.file(`${top}/Blog/blog_Un`, JSON.stringify({ _id: 'b1', title: 'blog_Un', shared: [] }))
      await zip.file(`${top}/ /notes.json`, JSON.stringify({ _id: 'n1', title: 'Notes' }))
    })
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: 'keys' })
    expect(outcome.state).toBe('done')
    for (const line of outcome.report.apps) expect(line.imported + line.skipped + line.notSelected + line.failed).toBe(line.items)
    expect(outcome.report.apps.reduce((n, a) => n + a.imported, 0)).toBe(2)
    const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
    const names = tree.filter(e => e.path.split('/').length === 2).map(e => e.path)
    expect(names).toContain('/Blog')
    for (const p of names) expect(p).toMatch(/^\/[^./ ][^/]*$/)
  })
})
