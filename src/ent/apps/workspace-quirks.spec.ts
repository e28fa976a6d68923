// The workspace quirks of format notes §6, one hand-made archive each, written like the
// exporter writes them: the binaries at the exporter's names, the index with its
// localArchivePath taken before de-duplication and character replacement.
import path from 'path'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { writeZipFile } from '../../../test/fixtures/zip-writer'
import { ArchiveWarning, DocumentNode, openArchiveFile } from '../node'

const ME = '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
const OTHER = '2634ab58-1111-4e4f-972f-58c41b83cb76'
const TOP = `1775058630583_${ME}`
const WS = 'Espace documentaire'
const tmp = temporaryDirectory()
afterAll(() => tmp.remove())
let counter = 0

type Doc = Record<string, unknown>
const folder = (id: string, name: string, extra: Doc = {}): Doc => ({ _id: id, name, eType: 'folder', owner: ME, ownerName: 'Bernard Junior', eParent: null, localArchivePath: `Documents personnels/${name}`, shared: [], inheritedShares: [], ...extra })
const file = (id: string, name: string, localArchivePath: string, extra: Doc = {}): Doc => ({ _id: id, name, eType: 'file', owner: ME, ownerName: 'Bernard Junior', eParent: null, localArchivePath, metadata: { 'content-type': 'text/plain', size: 2 }, shared: [], inheritedShares: [], ...extra })

async function read(index: Doc[], binaries: string[], options: { indexName?: string; skipDocs?: boolean } = {}): Promise<{ nodes: DocumentNode[]; warnings: ArchiveWarning[] }> {
  const target = path.join(tmp.dir, `ws-${counter++}.zip`)
  await writeZipFile(target, async zip => {
    await zip.file(`${TOP}/Manifest.json`, JSON.stringify({ 'org.entcore.workspace': { version: '6.14', folder: WS } }))
    await zip.file(`${TOP}/${WS}/${options.indexName ?? WS}`, JSON.stringify(index))
    if (options.skipDocs) await zip.file(`${TOP}/${WS}/skipDocs`, '{}')
    for (const binary of binaries) await zip.file(`${TOP}/${WS}/${binary}`, 'ok')
  })
  const archive = await openArchiveFile(target)
  const nodes: DocumentNode[] = []
  const warnings: ArchiveWarning[] = []
  for await (const item of archive.readApp(archive.apps[0], w => warnings.push(w))) nodes.push(item as DocumentNode)
  await archive.close()
  return { nodes, warnings }
}

const pathOf = (nodes: DocumentNode[], id: string): string | undefined => nodes.find(n => n.entId === id)?.file?.path.slice(WS.length + 1)

describe('workspace binaries (format notes §6)', () => {
  it('finds repeated names in merged same-name folders at "_<n>" before the first dot', async () => {
    const { nodes, warnings } = await read(
      [
        folder('f1', 'Cours'),
        folder('f2', 'Cours'),
        file('a', 'notes.v2.txt', 'Documents personnels/Cours/notes.v2.txt', { eParent: 'f1' }),
        file('b', 'notes.v2.txt', 'Documents personnels/Cours/notes.v2.txt', { eParent: 'f2' })
      ],
      ['Documents personnels/Cours/notes.v2.txt', 'Documents personnels/Cours/notes_1.v2.txt']
    )
    expect([pathOf(nodes, 'a'), pathOf(nodes, 'b')]).toEqual(['Documents personnels/Cours/notes.v2.txt', 'Documents personnels/Cours/notes_1.v2.txt'])
    expect(nodes.find(n => n.entId === 'b')?.parentId).toBe('f2')
    expect(warnings.map(w => w.code)).toEqual(['name-mismatch'])
  })

  it('appends "_<n>" to repeated names without a dot', async () => {
    const { nodes } = await read(
      [file('a', 'LISEZMOI', 'Documents personnels/LISEZMOI'), file('b', 'LISEZMOI', 'Documents personnels/LISEZMOI')],
      ['Documents personnels/LISEZMOI', 'Documents personnels/LISEZMOI_1']
    )
    expect([pathOf(nodes, 'a'), pathOf(nodes, 'b')]).toEqual(['Documents personnels/LISEZMOI', 'Documents personnels/LISEZMOI_1'])
    expect(nodes[0].contentType).toBe('text/plain')
  })

  it('follows the replacement of forbidden characters and of path separators in names', async () => {
    const { nodes, warnings } = await read(
      [file('a', 'Quoi? "oui" <non>|*.txt', 'Documents personnels/Quoi? "oui" <non>|*.txt'), file('b', ' a/b\\c.txt ', 'Documents personnels/ a/b\\c.txt ')],
      ['Documents personnels/Quoi_ _oui_ _non___.txt', 'Documents personnels/a_b_c.txt']
    )
    expect([pathOf(nodes, 'a'), pathOf(nodes, 'b')]).toEqual(['Documents personnels/Quoi_ _oui_ _non___.txt', 'Documents personnels/a_b_c.txt'])
    expect(nodes.map(n => n.name)).toEqual(['Quoi? "oui" <non>|*.txt', ' a/b\\c.txt '])
    expect(warnings.map(w => w.code)).toEqual(['name-mismatch', 'name-mismatch'])
  })

  it('puts files whose parent is in another category at that category root', async () => {
    const { nodes } = await read(
      [
        folder('f1', 'Cours'),
        file('t', 'vieux.txt', 'Corbeille/vieux.txt', { eParent: 'f1', deleted: true, trasher: ME }),
        file('s', 'partagé.txt', 'Documents partages/partagé.txt', { eParent: 'folder-of-someone-else', owner: OTHER, ownerName: 'Claire Dupont', isShared: true, inheritedShares: [{ userId: ME, 'org-entcore-workspace-controllers-WorkspaceController|getDocument': true }] })
      ],
      ['Corbeille/vieux.txt', 'Documents partages/partagé.txt']
    )
    const trashed = nodes.find(n => n.entId === 't') as DocumentNode
    const shared = nodes.find(n => n.entId === 's') as DocumentNode
    expect([trashed.category, trashed.parentId, pathOf(nodes, 't')]).toEqual(['trash', null, 'Corbeille/vieux.txt'])
    expect([shared.category, shared.parentId, shared.mine, shared.shares]).toEqual(['shared', null, false, []])
  })

  it('keeps empty folders that exist only in the index, and meaningless folder localArchivePaths do not matter', async () => {
    const { nodes, warnings } = await read([folder('f1', 'Vide'), folder('f2', 'Sous-dossier vide', { eParent: 'f1', localArchivePath: 'Documents personnels/Sous-dossier vide' })], [])
    expect(nodes.map(n => [n.type, n.name, n.parentId])).toEqual([
      ['folder', 'Vide', null],
      ['folder', 'Sous-dossier vide', 'f1']
    ])
    expect(warnings).toEqual([])
  })

  it('reads the very old index name "Documents"', async () => {
    const { nodes } = await read([file('a', 'a.txt', 'Documents personnels/a.txt')], ['Documents personnels/a.txt'], { indexName: 'Documents' })
    expect(pathOf(nodes, 'a')).toBe('Documents personnels/a.txt')
  })

  it('expects no binaries when the export was made without documents (skipDocs)', async () => {
    const { nodes, warnings } = await read([file('a', 'a.txt', 'Documents personnels/a.txt')], [], { skipDocs: true })
    expect([nodes.length, nodes[0].file, warnings]).toEqual([1, null, []])
  })

  it('reports a record whose binary is missing and a binary without a record', async () => {
    const { nodes, warnings } = await read([file('a', 'a.txt', 'Documents personnels/a.txt')], ['Documents personnels/orphelin.txt'])
    expect(nodes.map(n => n.type)).toEqual(['file', 'binary'])
    expect(warnings.map(w => w.code)).toEqual(['missing-binary', 'unknown-file'])
  })
})

describe('workspace folders, parents first (issue 14)', () => {
  it('emits a folder after its parent wherever the index lists them, and cuts a loop in the parents at the folder met twice', async () => {
    const { nodes } = await read(
      [
        folder('c', 'C', { eParent: 'b' }),
        folder('x', 'X', { eParent: 'y' }),
        folder('b', 'B', { eParent: 'a' }),
        folder('y', 'Y', { eParent: 'x' }),
        folder('a', 'A'),
        folder('z', 'Z', { eParent: 'y' }),
        file('f', 'f.txt', 'Documents personnels/f.txt', { eParent: 'c' })
      ],
      ['Documents personnels/f.txt']
    )
    expect(nodes.map(n => [n.entId, n.parentId])).toEqual([
      ['a', null],
      ['b', 'a'],
      ['c', 'b'],
      // x waits for y, y for x: the chain from x goes up to y, which is emitted without parent.
      ['y', null],
      ['x', 'y'],
      ['z', 'y'],
      ['f', 'c']
    ])
  })
})
