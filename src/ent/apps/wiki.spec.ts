// Wikis: pages come parents first, siblings by position, each once even when `parentId` loops;
// sub-pages carry their parent, hidden and index pages their marks, and the plan nests
// sub-pages in a folder named after their parent beside its note.
import path from 'path'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { COURSE_WIKI, CYCLIC_WIKI, writeNotes2Archive } from '../../../test/fixtures/notes2-cases'
import { MAX_SUBPAGE_DEPTH, Planner, type FileOp, type Op } from '../../import/plan'
import { EntItem, openArchiveFile, RichText } from '../node'
import { pagesInTreeOrder } from './wiki'

const tmp = temporaryDirectory()
afterAll(() => tmp.remove())

const entry = (id: string, index: number, parentId: string | null = null, position?: number) => ({ id, index, parentId, page: position === undefined ? {} : { position } })

describe('wiki page order', () => {
  it('puts parents before their children, siblings by position, orphans at the top', () => {
    const order = pagesInTreeOrder([entry('b', 0, null, 1), entry('b2', 1, 'b', 1), entry('a', 2, null, 0), entry('b1', 3, 'b', 0), entry('o', 4, 'gone', 2), entry('b1x', 5, 'b1', 0)])
    expect(order.map(p => `${p.id}<${p.parentId ?? ''}`)).toEqual(['a<', 'b<', 'b1<b', 'b1x<b1', 'b2<b', 'o<'])
  })

  it('visits every page once when parentId loops, cutting the loop at its first page', () => {
    const order = pagesInTreeOrder([entry('x', 0, 'y'), entry('y', 1, 'z'), entry('z', 2, 'x'), entry('self', 3, 'self'), entry('w', 4, 'y')])
    expect(order.map(p => `${p.id}<${p.parentId ?? ''}`)).toEqual(['self<', 'x<', 'z<x', 'y<z', 'w<y'])
  })

  it('walks a 100,000-deep chain of sub-pages without recursion', () => {
    const pages = Array.from({ length: 100_000 }, (_, i) => entry(`p${i}`, i, i === 0 ? null : `p${i - 1}`))
    const order = pagesInTreeOrder([...pages].reverse())
    expect(order.length).toBe(100_000)
    expect([order[0].id, order[99_999].id, order[99_999].parentId]).toEqual(['p0', 'p99999', 'p99998'])
  })
})

async function readWikis(name: string): Promise<{ items: EntItem[]; ops: Op[] }> {
  const file = path.join(tmp.dir, `${name}.zip`)
  await writeNotes2Archive(file, { wikis: [COURSE_WIKI, CYCLIC_WIKI] })
  const archive = await openArchiveFile(file)
  const planner = new Planner({ archive, includeTrash: false })
  const items: EntItem[] = []
  const ops: Op[] = []
  planner.startApp(archive.apps[0])
  for await (const item of archive.readApp(archive.apps[0])) {
    items.push(item)
    ops.push(...planner.plan(item))
  }
  ops.push(...planner.finishApp())
  await archive.close()
  return { items, ops }
}

describe('the wiki reader and its plan', () => {
  let items: EntItem[]
  let ops: Op[]
  beforeAll(async () => {
    ;({ items, ops } = await readWikis('wikis'))
  })

  it('yields the pages in tree order with their parent and marks', () => {
    const pages = items.filter((i): i is RichText => i.type === 'rich-text' && i.groupId === COURSE_WIKI.id)
    const title = new Map(COURSE_WIKI.pages.map(p => [p.id, p.title]))
    expect(pages.map(p => [p.title, p.parentId ? title.get(p.parentId) : null, p.marks])).toEqual([
      ['Sommaire', null, ['index']],
      ['Chapitre 1', null, []],
      ['Le vivant', 'Chapitre 1', []],
      ['La cellule', 'Chapitre 1', []],
      ['Noyau', 'La cellule', []],
      ['Brouillon', 'Chapitre 1', ['hidden']],
      ['Chapitre 2', null, []],
      ['Orpheline', null, []]
    ])
  })

  it('nests sub-pages in a folder named after their parent, beside its note', () => {
    const where = (op: FileOp): string => [...op.dir, op.name].join('/')
    const notes = ops.filter((op): op is FileOp => op.kind === 'file').map(where)
    expect(notes.filter(n => n.includes('Cours de SVT'))).toEqual([
      'Cours et Wiki/Cours de SVT/Sommaire.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 1.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 1/Le vivant.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 1/La cellule.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 1/La cellule/Noyau.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 1/Brouillon.cozy-note',
      'Cours et Wiki/Cours de SVT/Chapitre 2.cozy-note',
      'Cours et Wiki/Cours de SVT/Orpheline.cozy-note'
    ])
    const dirs = ops.filter(op => op.kind === 'dir').map(op => (op.kind === 'dir' ? [op.path.join('/'), op.items ?? 0] : []))
    expect(dirs).toEqual(expect.arrayContaining([['Cours et Wiki/Cours de SVT/Chapitre 1', 0], ['Cours et Wiki/Cours de SVT/Chapitre 1/La cellule', 0]]))
    // Each page still counts once: the sub-page folders are no items of their own.
    expect(ops.reduce((n, op) => n + (op.items ?? 0), 0)).toBe(items.length)
  })

  it('says under the title which page was hidden and which was the index', () => {
    const note = (name: string): string => {
      const op = ops.find((o): o is FileOp => o.kind === 'file' && o.name === name)
      return op?.content.type === 'text' ? op.content.text : ''
    }
    expect(note('Sommaire.cozy-note')).toMatch(/^# Sommaire\n\n\*Bernard Junior, 1er mars 2026\*\n\n\*Page d’accueil du wiki\*\n\nContenu de Sommaire\n$/)
    expect(note('Brouillon.cozy-note')).toContain('*Page masquée\u202f: dans l’ENT, les lecteurs du wiki ne la voyaient pas.*\n\nContenu de Brouillon')
    expect(note('Chapitre 2.cozy-note')).not.toMatch(/Page (masquée|d’accueil)/)
  })

  it('imports a wiki whose parentId loops, every page once', () => {
    const where = (op: FileOp): string => [...op.dir, op.name].join('/')
    const notes = ops.filter((op): op is FileOp => op.kind === 'file').map(where).filter(n => n.includes('Wiki en boucle'))
    expect(notes).toEqual(['Cours et Wiki/Wiki en boucle/Moi-même.cozy-note', 'Cours et Wiki/Wiki en boucle/Poule.cozy-note', 'Cours et Wiki/Wiki en boucle/Poule/Œuf.cozy-note'])
  })
})

describe('deep wikis in the plan', () => {
  it(`nests sub-pages ${MAX_SUBPAGE_DEPTH} folders deep at most, then keeps them beside their parent`, async () => {
    const file = path.join(tmp.dir, 'deep-wiki.zip')
    const pages = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, title: `Niveau ${i}`, ...(i > 0 ? { parentId: `d${i - 1}` } : {}) }))
    await writeNotes2Archive(file, { wikis: [{ id: 'deep', title: 'Profond', pages }] })
    const archive = await openArchiveFile(file)
    const planner = new Planner({ archive, includeTrash: false })
    planner.startApp(archive.apps[0])
    const notes: FileOp[] = []
    for await (const item of archive.readApp(archive.apps[0])) notes.push(...planner.plan(item).filter((op): op is FileOp => op.kind === 'file'))
    await archive.close()
    const depths = notes.map(op => op.dir.length - 2)
    expect(depths.slice(0, MAX_SUBPAGE_DEPTH + 1)).toEqual(Array.from({ length: MAX_SUBPAGE_DEPTH + 1 }, (_, i) => i))
    expect(new Set(depths.slice(MAX_SUBPAGE_DEPTH))).toEqual(new Set([MAX_SUBPAGE_DEPTH]))
    expect(notes[39].dir.slice(-1)).toEqual([`Niveau ${MAX_SUBPAGE_DEPTH - 1}`])
  })
})
