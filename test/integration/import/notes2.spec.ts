/**
 * Mind maps and wikis imported into the stand-in with the konnector's permissions, read back
 * from the Cozy: the `.mm` parses as FreeMind's format with the map's topics, the stored
 * Wisemapping XML is there byte for byte, the description is a note beside the map; wiki
 * sub-pages sit in folders named after their parent, hidden and index pages say so, and a
 * wiki whose pages are each other's parent imports once, without hanging.
 */
import path from 'path'
import { deepMap, expectedNodes, readFreemind, REVISION_MAP, wisemappingXml, writeNotes2Archive, COURSE_WIKI, CYCLIC_WIKI } from '../../fixtures/notes2-cases'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import { downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const ROOT = '/Mes données ENT/2026-04-01'
const DEEP = deepMap('Très profonde', 5_000)

describe('importing mind maps and wikis', () => {
  const tmp = temporaryDirectory('ent-import-notes2-')
  let env: ImportStack
  let outcome: ImportOutcome
  let files: string[]
  let dirs: string[]

  const read = async (relative: string): Promise<string> => {
    const file = await env.admin.statByPath(`${ROOT}/${relative}`)
    if (!file) throw new Error(`missing ${relative}`)
    return downloadText(env.admin, file._id)
  }

  beforeAll(async () => {
    const archive = path.join(tmp.dir, 'notes2.zip')
    await writeNotes2Archive(archive, {
      mindmaps: [
        { id: 'c0ffee00-0000-4000-8000-000000000001', name: REVISION_MAP.name, spec: REVISION_MAP, description: 'Carte pour réviser.\n\nÀ compléter avant mai.' },
        { id: 'c0ffee00-0000-4000-8000-000000000002', name: DEEP.name, spec: DEEP }
      ],
      wikis: [COURSE_WIKI, CYCLIC_WIKI]
    })
    env = await startImportStack({}, undefined, false)
    outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'notes2' })
    const tree = await snapshotTree(env.admin, ROOT)
    files = tree.filter(e => e.type === 'file').map(e => e.path)
    dirs = tree.filter(e => e.type === 'directory').map(e => e.path)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('imports everything, each item accounted for once', () => {
    expect(outcome.state).toBe('done')
    expect(outcome.report.errors).toEqual([])
    const line = (app: string) => outcome.report.apps.find(a => a.app === app)
    // Two maps; two wikis with 8 and 3 pages.
    expect([line('mindmap')?.items, line('mindmap')?.imported, line('mindmap')?.failed]).toEqual([2, 2, 0])
    expect([line('wiki')?.items, line('wiki')?.imported, line('wiki')?.failed]).toEqual([13, 13, 0])
  })

  it('writes a FreeMind .mm with the map’s topics, the stored XML beside it and the description in a note', async () => {
    const name = REVISION_MAP.name
    expect(files.filter(f => f.startsWith('/Carte mentale/'))).toEqual([
      `/Carte mentale/${name}.cozy-note`,
      `/Carte mentale/${name}.mm`,
      `/Carte mentale/${name}.wisemapping.xml`,
      `/Carte mentale/${DEEP.name}.mm`,
      `/Carte mentale/${DEEP.name}.wisemapping.xml`
    ].sort())
    const mm = readFreemind(await read(`Carte mentale/${name}.mm`))
    expect(mm.version).toBe('1.0.1')
    expect(mm.nodes).toEqual(expectedNodes(REVISION_MAP))
    expect(mm.notes.get('Théorème de\nPythagore')).toBe('a² + b² = c² <toujours>')
    expect(mm.attributes.get('Maths')?.LINK).toBe('https://ent.example/maths?a=1&b=2')
    expect(await read(`Carte mentale/${name}.wisemapping.xml`)).toBe(wisemappingXml(REVISION_MAP))
    const description = await read(`Carte mentale/${name}.cozy-note`)
    expect(description).toContain('Carte pour réviser.\n\nÀ compléter avant mai.')
    expect(description).toContain(`«\u202f${name}.mm\u202f»`)
    expect(description).toContain(`«\u202f${name}.wisemapping.xml\u202f»`)
    expect(readFreemind(await read(`Carte mentale/${DEEP.name}.mm`)).nodes).toEqual(expectedNodes(DEEP))
  })

  it('keeps the wiki’s hierarchy: sub-pages in a folder named after their parent', () => {
    const wiki = '/Cours et Wiki/Cours de SVT'
    expect(files.filter(f => f.startsWith(`${wiki}/`))).toEqual(
      [
        'Sommaire.cozy-note',
        'Chapitre 1.cozy-note',
        'Chapitre 1/Le vivant.cozy-note',
        'Chapitre 1/La cellule.cozy-note',
        'Chapitre 1/La cellule/Noyau.cozy-note',
        'Chapitre 1/Brouillon.cozy-note',
        'Chapitre 2.cozy-note',
        'Orpheline.cozy-note'
      ]
        .map(f => `${wiki}/${f}`)
        .sort()
    )
    expect(dirs).toEqual(expect.arrayContaining([`${wiki}/Chapitre 1`, `${wiki}/Chapitre 1/La cellule`]))
    expect(files.filter(f => f.startsWith('/Cours et Wiki/Wiki en boucle/'))).toEqual(['/Cours et Wiki/Wiki en boucle/Moi-même.cozy-note', '/Cours et Wiki/Wiki en boucle/Poule.cozy-note', '/Cours et Wiki/Wiki en boucle/Poule/Œuf.cozy-note'])
  })

  it('marks the hidden page and the index page under their title', async () => {
    const index = await read('Cours et Wiki/Cours de SVT/Sommaire.cozy-note')
    expect(index).toContain('*Page d’accueil du wiki*')
    const hidden = await read('Cours et Wiki/Cours de SVT/Chapitre 1/Brouillon.cozy-note')
    expect(hidden).toContain('*Page masquée\u202f: dans l’ENT, les lecteurs du wiki ne la voyaient pas.*')
    const plain = await read('Cours et Wiki/Cours de SVT/Chapitre 1/Le vivant.cozy-note')
    expect(plain).not.toMatch(/Page (masquée|d’accueil)/)
    expect(plain).toContain('Contenu de Le vivant')
  })

  it('adds nothing when run again (the sub-page folders and map files found by their keys)', async () => {
    const before = await snapshotTree(env.admin, '/Mes données ENT')
    const record = await env.admin.getDoc<{ _id: string; _rev: string }>('io.cozy.mesdonnees.imports', 'notes2')
    await env.admin.updateDoc('io.cozy.mesdonnees.imports', { ...(record as { _id: string; _rev: string }), state: 'failed', checkpoint: null, apps: [] })
    const archive = path.join(tmp.dir, 'notes2.zip')
    const again = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'notes2' })
    expect(again.state).toBe('done')
    expect(again.report.apps.reduce((n, a) => n + a.imported, 0)).toBe(0)
    expect(await snapshotTree(env.admin, '/Mes données ENT')).toEqual(before)
  })
})
