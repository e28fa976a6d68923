/**
 * The mapping, application by application: what the planner makes of each reader item of a
 * generated archive (no stack involved). The integration tests check the same plans written.
 */
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive } from '../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../test/fixtures/paths'
import { openArchiveFile, type EntArchive } from '../ent/node'
import { importOrder } from './engine'
import { emlStream } from './mail'
import { Planner, type FileOp, type Op } from './plan'

async function planAll(archive: EntArchive, includeTrash = false): Promise<Map<string, Op[]>> {
  const planner = new Planner({ archive, includeTrash })
  const byApp = new Map<string, Op[]>()
  for (const location of importOrder(archive.apps)) {
    planner.startApp(location)
    const ops: Op[] = []
    for await (const item of archive.readApp(location)) ops.push(...planner.plan(item))
    ops.push(...planner.finishApp())
    byApp.set(location.app, ops)
  }
  return byApp
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder()
  let out = ''
  for await (const chunk of stream) out += decoder.decode(chunk, { stream: true })
  return out + decoder.decode()
}

const files = (ops: Op[]): FileOp[] => ops.filter((op): op is FileOp => op.kind === 'file')
const where = (op: FileOp): string => [...op.dir, op.name].join('/')

describe('the import plan of each ENT application', () => {
  const tmp = temporaryDirectory('ent-plan-')
  let archive: EntArchive
  let plan: Map<string, Op[]>

  beforeAll(async () => {
    const fixture = await writeEntArchive(path.join(tmp.dir, 'all.zip'), { apps: ALL_FIXTURE_APPS })
    archive = await openArchiveFile(fixture.path)
    plan = await planAll(archive)
  })

  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  it('orders the document tree first and gives every operation a unique key', () => {
    expect([...plan.keys()].slice(0, 2)).toEqual(['workspace', 'rack'])
    const keys = [...plan.values()].flat().map(op => op.key)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('is the same plan every time (what resuming relies on)', async () => {
    const again = await planAll(archive)
    const strip = (ops: Op[]): unknown[] => ops.map(op => ({ ...op, content: op.kind === 'file' && op.content.type === 'eml' ? op.content.message.entId : op.kind === 'file' ? op.content : undefined }))
    for (const [app, ops] of plan) expect(strip(again.get(app) ?? [])).toEqual(strip(ops))
  })

  it('workspace: folders before their files, files streamed from the archive with their ENT dates, no trash', () => {
    const ops = plan.get('workspace') ?? []
    const dirs = ops.filter(op => op.kind === 'dir').map(op => (op.kind === 'dir' ? op.path.join('/') : ''))
    expect(dirs).toEqual(['Espace documentaire/Dossier 0 – année', 'Espace documentaire/Dossier 0 – année/Dossier 1 – année', 'Espace documentaire/Dossier 0 – année/Dossier 1 – année/Dossier 2 – année'])
    const file = files(ops).find(op => op.name === 'Fichier 6.txt')
    expect(file).toMatchObject({ dir: ['Espace documentaire', 'Dossier 0 – année', 'Dossier 1 – année'], size: 1000, content: { type: 'archive' } })
    expect(file?.key).toBe(`workspace/file/${file?.entId}`)
    expect(file?.created).toBeInstanceOf(Date)
    expect(files(ops).some(op => op.dir.includes('Corbeille'))).toBe(false)
  })

  it('workspace: the trash only when asked', async () => {
    const withTrash = await planAll(archive, true)
    expect(files(withTrash.get('workspace') ?? []).some(op => op.dir.join('/') === 'Espace documentaire/Corbeille')).toBe(true)
  })

  it('blog: a folder per blog with its images, a note per post linking them, the shares on the blog', () => {
    const ops = plan.get('blog') ?? []
    const blog = ops.find(op => op.kind === 'dir')
    expect(blog).toMatchObject({ key: expect.stringMatching(/^blog\/group\//), path: ['Blog', 'Blog d’été 0'] })
    expect(blog?.share?.grants.map(g => g.kind).sort()).toEqual(['group', 'user'])
    const note = files(ops).find(op => op.name === 'Billet 0-0.cozy-note')
    expect(note?.contentType).toBe('text/vnd.cozy.note+markdown')
    expect(note?.content).toEqual({ type: 'text', text: expect.stringContaining('![](image%200-0.jpeg)') })
    expect(note?.content.type === 'text' && note.content.text.startsWith('# Billet 0-0\n')).toBe(true)
    expect(files(ops).map(where)).toEqual(expect.arrayContaining(['Blog/Blog d’été 0/image 0-0.jpeg', 'Blog/Blog d’été 0/vignette 0.png']))
  })

  it('agenda: one event document per event, then one .ics per calendar', () => {
    const ops = plan.get('calendar') ?? []
    const events = ops.filter(op => op.kind === 'event')
    expect(events).toHaveLength(4)
    expect(events[0]).toMatchObject({ doc: { start: expect.any(String), end: expect.any(String), calendar: { titles: [expect.stringMatching(/^Agenda \d$/)] } } })
    const ics = files(ops).filter(op => op.name.endsWith('.ics'))
    expect(ics.map(where).sort()).toEqual(['Agenda/Agenda 0.ics', 'Agenda/Agenda 1.ics'])
    expect(ops.indexOf(ics[0])).toBeGreaterThan(ops.indexOf(events[events.length - 1]))
    const body = ics[0].content.type === 'text' ? ics[0].content.text : ''
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/)
    expect(body).toContain('UID:')
  })

  it('messagerie: folders, then one .eml per message in its folder (or its box)', async () => {
    const ops = plan.get('conversation') ?? []
    expect(ops.filter(op => op.kind === 'dir').map(op => (op.kind === 'dir' ? op.path.join('/') : ''))).toEqual(['Messagerie/Classe'])
    const mails = files(ops).filter(op => op.name.endsWith('.eml'))
    expect(mails.map(where)).toEqual(['Messagerie/Classe/2026-04-01 Sortie n°0.eml', 'Messagerie/Boîte de réception/2026-04-01 Sortie n°1.eml'])
    const mail = mails[0]
    if (mail.content.type !== 'eml') throw new Error('not a mail')
    const eml = await text(emlStream(mail.content.message, archive))
    expect(eml).toMatch(/^Content-Type: /m)
    expect(eml).toMatch(/^Message-ID: <.+@ent\.invalid>$/m)
    expect(eml).toContain('Bonjour')
    // Same message, same bytes.
    expect(await text(emlStream(mail.content.message, archive))).toBe(eml)
  })

  it('mind maps: a .mm FreeMind file, the stored Wisemapping XML beside it', () => {
    const maps = files(plan.get('mindmap') ?? [])
    expect(maps.map(where).sort()).toEqual(['Carte mentale/Carte 0.mm', 'Carte mentale/Carte 0.wisemapping.xml', 'Carte mentale/Carte 1.mm', 'Carte mentale/Carte 1.wisemapping.xml'])
    expect(maps[0].content.type === 'text' && /<map[\s>]/.test(maps[0].content.text)).toBe(true)
  })

  it('notes for wiki pages, forum subjects, wall notes, pads, timelines, cards, exercises, pages and scrapbooks', () => {
    for (const app of ['wiki', 'forum', 'collaborativewall', 'collaborativeeditor', 'timelinegenerator', 'magneto', 'exercizer', 'pages', 'community', 'scrapbook', 'actualites']) {
      const notes = files(plan.get(app) ?? []).filter(op => op.name.endsWith('.cozy-note'))
      expect({ app, notes: notes.length > 0 }).toEqual({ app, notes: true })
    }
    const forum = files(plan.get('forum') ?? []).find(op => op.name.endsWith('.cozy-note'))
    expect(forum?.content.type === 'text' && forum.content.text).toEqual(expect.stringContaining('Question ?'))
  })

  it('unmapped applications: their JSON kept as files', () => {
    const raw = files(plan.get('homeworks') ?? [])
    expect(raw.map(where).sort()).toEqual(['Cahier de textes/Cahier de textes 0.json', 'Cahier de textes/Cahier de textes 1.json'])
    expect(raw.every(op => op.content.type === 'archive')).toBe(true)
  })

  it('the rack: its raw files', () => {
    expect(files(plan.get('rack') ?? []).map(where).sort()).toEqual(['Casier/Devoir rendu 0.pdf', 'Casier/Devoir rendu 1.pdf'])
  })
})
