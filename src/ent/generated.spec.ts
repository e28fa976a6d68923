// Generated archives in the Java exporter's layout (test/fixtures/ent-archive.ts), one per
// quirk: every app, old and missing Manifests, the Rack folder mismatch, directory entries
// present or absent, entries in any order. Expected numbers come from the generator.
import path from 'path'
import { ALL_FIXTURE_APPS, EntFixtureOptions, EntFixtureSummary, writeEntArchive } from '../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../test/fixtures/paths'
import {
  ArchiveDescription,
  CalendarEventModel,
  CalendarModel,
  ContentGroup,
  DocumentNode,
  EntArchive,
  EntItem,
  MailFolder,
  MailMessage,
  RawRecord,
  RichText,
  describeArchive,
  openArchiveFile
} from './node'

const OTHER_USER = '2634ab58-1111-4e4f-972f-58c41b83cb76'
const tmp = temporaryDirectory()
afterAll(() => tmp.remove())
let counter = 0

async function generate(options: EntFixtureOptions = {}): Promise<{ summary: EntFixtureSummary; archive: EntArchive; description: ArchiveDescription }> {
  const summary = await writeEntArchive(path.join(tmp.dir, `archive-${counter++}.zip`), options)
  const archive = await openArchiveFile(summary.path)
  const description = await describeArchive(archive)
  return { summary, archive, description }
}

async function items(archive: EntArchive, app: string): Promise<EntItem[]> {
  const location = archive.apps.find(a => a.app === app)
  if (!location) throw new Error(`no ${app}`)
  const out: EntItem[] = []
  for await (const item of archive.readApp(location)) out.push(item)
  return out
}

function countsOf(description: ArchiveDescription): Array<[string, string | null, number, number, number]> {
  return description.apps.map(a => [a.app, a.folder, a.resources, a.documents, a.shares])
}

function expectedCounts(summary: EntFixtureSummary): Array<[string, string | null, number, number, number]> {
  return summary.apps.map(a => [a.app, a.folder, a.resources, a.documents, a.shares])
}

describe('generated archives', () => {
  let all: Awaited<ReturnType<typeof generate>>
  beforeAll(async () => {
    all = await generate({ workspaceFiles: 30, workspaceFolders: 4 })
  })
  afterAll(() => all.archive.close())

  it('reads every app with the counts the generator wrote', () => {
    expect(all.description.apps.map(a => a.app)).toEqual(ALL_FIXTURE_APPS)
    expect(countsOf(all.description)).toEqual(expectedCounts(all.summary))
    expect(all.description.user).toEqual({ id: '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76', name: 'Bernard Junior' })
    // Only the two exporter renamings of section 6 are reported.
    expect(all.description.warnings.map(w => w.code)).toEqual(['name-mismatch', 'name-mismatch'])
  })

  it('counts in describeArchive exactly what reading every app yields, with the same warnings', async () => {
    for (const location of all.archive.apps) {
      const warnings: string[] = []
      let resources = 0
      let shares = 0
      for await (const item of all.archive.readApp(location, w => warnings.push(`${w.code}: ${w.message}`))) {
        if (item.type !== 'binary') resources++
        if ('shares' in item) shares += item.shares.length
      }
      const summary = all.description.apps.find(a => a.app === location.app)
      expect([location.app, summary?.resources, summary?.shares]).toEqual([location.app, resources, shares])
      for (const warning of warnings) expect(all.description.warnings.map(w => `${w.code}: ${w.message}`)).toContain(warning)
    }
  })

  it('rebuilds the workspace tree, categories, owners, shares and renamed binaries', async () => {
    const nodes = (await items(all.archive, 'workspace')) as DocumentNode[]
    const folders = nodes.filter(n => n.type === 'folder')
    expect(folders).toHaveLength(4)
    // Parents come before children.
    const seen = new Set<string>()
    for (const node of nodes) {
      if (node.parentId) expect(seen.has(node.parentId)).toBe(true)
      seen.add(node.entId)
    }
    const byName = (name: string): DocumentNode[] => nodes.filter(n => n.name === name)
    const photos = byName('photo.2023.jpg')
    expect(photos.map(p => p.file?.path).sort()).toEqual(['Espace documentaire/Documents personnels/photo.2023.jpg', 'Espace documentaire/Documents personnels/photo_1.2023.jpg'])
    expect(byName('Cours: chapitre 1?.pdf')[0].file?.path).toBe('Espace documentaire/Documents personnels/Cours_ chapitre 1_.pdf')
    expect(byName('Capture d’écran été.png')[0].file?.path).toBe('Espace documentaire/Documents personnels/Capture d’écran été.png')
    const nested = byName('Fichier 12.txt')[0]
    expect(nested.file?.path).toBe('Espace documentaire/Documents personnels/Dossier 0 – année/Dossier 1 – année/Fichier 12.txt')
    expect(folders.find(f => f.entId === nested.parentId)?.name).toBe('Dossier 1 – année')

    const sharedWithMe = byName('Fichier 8.txt')[0]
    expect([sharedWithMe.category, sharedWithMe.mine, sharedWithMe.owner]).toEqual(['shared', false, { entId: OTHER_USER, name: 'Claire Dupont' }])
    // The exporting user is left out of the grants; the group only inherits.
    expect(sharedWithMe.shares).toEqual([expect.objectContaining({ kind: 'group', entId: '474-1429810567870', role: 'read', inherited: true })])
    const mineShared = byName('Fichier 7.txt')[0]
    // `isShared` only means "has shares": the user's own shared file stays in their tree,
    // though its binary sits in the exporter's shared folder.
    expect([mineShared.category, mineShared.mine, mineShared.file?.path]).toEqual(['personal', true, 'Espace documentaire/Documents partages/Fichier 7.txt'])
    expect(mineShared.shares).toEqual([expect.objectContaining({ kind: 'user', entId: OTHER_USER, role: 'contrib', inherited: false })])
    expect(byName('Fichier 9.txt')[0].category).toBe('trash')
    expect(nodes.filter(n => n.category === 'app-documents').length).toBeGreaterThan(10)
    expect(nodes.every(n => n.type === 'folder' || n.file !== null)).toBe(true)
    expect(all.archive.names.get(OTHER_USER)).toBe('Claire Dupont')
  })

  it('maps blog, wiki and forum content to groups and rich texts', async () => {
    const blog = await items(all.archive, 'blog')
    const blogs = blog.filter((i): i is ContentGroup => i.type === 'group')
    expect(blogs.map(b => b.title).sort()).toEqual(['Blog d’été 0', 'Blog d’été 1'])
    expect(blogs[0].shares.map(s => [s.kind, s.role]).sort()).toEqual([
      ['group', 'manager'],
      ['user', 'comment']
    ])
    const posts = blog.filter((i): i is RichText => i.type === 'rich-text')
    expect(posts).toHaveLength(4)
    expect(posts.every(p => blogs.some(b => b.entId === p.groupId) && p.attachments.length === 1 && p.attachments[0].file)).toBe(true)
    // The blog's older `{"$date": <ms>}` form.
    expect(blogs.find(b => b.title === 'Blog d’été 0')?.created?.getTime()).toBe(1686130047480)

    const wiki = await items(all.archive, 'wiki')
    const pages = wiki.filter((i): i is RichText => i.type === 'rich-text')
    expect(pages.map(p => [p.title, p.author?.name, p.position])).toEqual([
      ['Accueil', 'Claire Dupont', 0],
      ['Suite', 'Bernard Junior', 1],
      ['Accueil', 'Claire Dupont', 0],
      ['Suite', 'Bernard Junior', 1]
    ])
    expect(pages[0].mine).toBe(false)

    const forum = await items(all.archive, 'forum')
    const subject = forum.find((i): i is RichText => i.type === 'rich-text') as RichText
    expect(subject.messages.map(m => m.author?.name)).toEqual(['Claire Dupont', 'Bernard Junior'])
    expect(subject.html).toContain('Réponse.')
    const category = forum.find((i): i is ContentGroup => i.type === 'group' && i.entId === subject.groupId) as ContentGroup
    expect(category.title).toMatch(/^Catégorie \d$/)
    expect(category.shares[0].role).toBe('publish')
  })

  it('reads calendars and events: all-day, recurrence, calendar as array or string', async () => {
    const calendar = await items(all.archive, 'calendar')
    const calendars = calendar.filter((i): i is CalendarModel => i.type === 'calendar')
    const events = calendar.filter((i): i is CalendarEventModel => i.type === 'event')
    expect(calendars.map(c => c.title).sort()).toEqual(['Agenda 0', 'Agenda 1'])
    expect(calendars.find(c => c.title === 'Agenda 0')?.isDefault).toBe(true)
    const meeting = events.find(e => e.title === 'Conseil de classe 0') as CalendarEventModel
    expect([meeting.allDay, meeting.start?.toISOString(), meeting.end?.toISOString(), meeting.recurrence, meeting.location]).toEqual([false, '2026-04-02T15:00:00.000Z', '2026-04-02T16:00:00.000Z', null, 'Salle 12'])
    const trip = events.find(e => e.title === 'Sortie 0') as CalendarEventModel
    expect(trip.allDay).toBe(true)
    expect(trip.recurrence).toEqual({ type: 'every_week', every: 1, week_days: { 1: true } })
    expect(trip.calendarIds).toEqual([calendars.find(c => c.title === 'Agenda 0')?.entId])
    expect(meeting.calendarIds).toEqual(trip.calendarIds)
  })

  it('assembles mails from the conversation tables, with folders, recipients and attachments', async () => {
    const mail = await items(all.archive, 'conversation')
    const folder = mail.find((i): i is MailFolder => i.type === 'mail-folder') as MailFolder
    expect([folder.entId, folder.name]).toEqual(['f1', 'Classe'])
    const messages = mail.filter((i): i is MailMessage => i.type === 'mail')
    expect(messages).toHaveLength(2)
    const first = messages.find(m => m.subject === 'Sortie n°0') as MailMessage
    expect(first.from).toEqual({ entId: OTHER_USER, name: 'Claire Dupont' })
    expect(first.to).toEqual([{ entId: '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76', name: 'Bernard Junior' }])
    expect([first.folderId, first.unread, first.date?.getTime()]).toEqual(['f1', true, 1775058000000])
    expect(first.attachments).toEqual([expect.objectContaining({ name: 'autorisation.pdf', contentType: 'application/pdf', size: 900, file: expect.objectContaining({ size: 900 }) })])
  })

  it('reads the other Mongo and SQL apps into the common models', async () => {
    const wall = await items(all.archive, 'collaborativewall')
    expect(wall.filter(i => i.type === 'rich-text').map(n => (n as RichText).title)).toEqual(['Idée', 'Idée'])
    const mindmap = (await items(all.archive, 'mindmap')).filter((i): i is RichText => i.type === 'rich-text')
    expect(mindmap[0].mindmapXml).toContain('<node TEXT="Racine"/>')
    // "2023-01-01 01:01.01.001" is Paris winter time; the exporting user's own grant is left out.
    expect(mindmap[0].created?.toISOString()).toBe('2023-01-01T00:01:01.001Z')
    expect(mindmap[0].shares.map(s => s.role)).toEqual(['read', 'contrib', 'manager'])
    const timeline = await items(all.archive, 'timelinegenerator')
    expect(timeline.map(i => ('title' in i ? i.title : ''))).toContain('Histoire 0')
    const exercizer = await items(all.archive, 'exercizer')
    const subject = exercizer.find((i): i is RichText => i.type === 'rich-text' && i.entId === '294') as RichText
    expect([subject.title, subject.groupId, (subject.raw as { grains: unknown[] }).grains.length, subject.attachments.length]).toEqual(['Fractions 0', '7', 1, 1])
    const site = await items(all.archive, 'pages')
    expect(site.filter((i): i is RichText => i.type === 'rich-text')[0].html).toContain('<img src="/workspace/document/')
    const magneto = await items(all.archive, 'magneto')
    expect(magneto.map(i => `${i.type}:${'collection' in i ? i.collection : ''}`).slice(0, 4)).toEqual([
      'group:magneto.folders',
      'group:magneto.folders',
      'group:magneto.boards',
      'group:magneto.boards'
    ])
    const pad = (await items(all.archive, 'collaborativeeditor')) as RichText[]
    expect(pad[0].html).toBe('<p>Texte collaboratif</p>')
    const rack = (await items(all.archive, 'rack')) as DocumentNode[]
    expect(rack.map(r => [r.category, r.name]).sort()).toEqual([
      ['rack', 'Devoir rendu 0.pdf'],
      ['rack', 'Devoir rendu 1.pdf']
    ])
    const homeworks = (await items(all.archive, 'homeworks')) as RawRecord[]
    expect(homeworks.map(h => [h.type, h.reason, h.name]).sort()).toEqual([
      ['raw', 'unknown-format', 'Séance 0'],
      ['raw', 'unknown-format', 'Séance 1']
    ])
  })
})

describe('archive quirks', () => {
  it('reads the old Manifest form (bare version strings) by folder names', async () => {
    const { summary, archive, description } = await generate({ manifest: 'legacy', apps: ['workspace', 'blog', 'calendar'] })
    await archive.close()
    expect(countsOf(description)).toEqual(expectedCounts(summary))
    expect(description.apps.map(a => a.version)).toEqual(['6.14-SNAPSHOT', '5.4-SNAPSHOT', '3.8'])
    expect(description.warnings.map(w => w.code)).toContain('manifest-legacy')
  })

  it.each(['missing', 'malformed'] as const)('recognises every app by its content when the Manifest is %s', async manifest => {
    const { summary, archive, description } = await generate({ manifest })
    await archive.close()
    const byApp = new Map(description.apps.map(a => [a.app, a]))
    for (const expected of summary.apps) {
      const app = byApp.get(expected.app)
      expect([expected.app, app?.resources, app?.documents]).toEqual([expected.app, expected.resources, expected.documents])
    }
    expect(description.warnings.map(w => w.code)).toContain(manifest === 'missing' ? 'manifest-missing' : 'manifest-malformed')
    expect(description.warnings.filter(w => w.code === 'app-sniffed')).toHaveLength(summary.apps.length)
  })

  it('finds the Rack under "Spontanés" when the Manifest says "Casier", and says so', async () => {
    const { archive, description } = await generate({ apps: ['rack', 'blog'], rackFolderMismatch: true })
    await archive.close()
    expect(description.apps[0]).toEqual(expect.objectContaining({ app: 'rack', folder: 'Spontanés', resources: 2, documents: 2 }))
    expect(description.warnings).toEqual([{ code: 'app-folder-mismatch', message: 'The Manifest says rack is in "Casier", but its data is in "Spontanés".' }])
  })

  it('reads archives with or without directory entries, with a top directory entry, in any order', async () => {
    const variants = await Promise.all([
      generate({ directoryEntries: false, shuffleSeed: 7 }),
      generate({ topDirectoryEntry: true, shuffleSeed: 0 }),
      generate({ shuffleSeed: 99 })
    ])
    for (const { summary, archive, description } of variants) {
      await archive.close()
      expect(countsOf(description).filter(c => c[0] !== 'formulaire')).toEqual(expectedCounts(summary).filter(c => c[0] !== 'formulaire'))
    }
    // Without directory entries the empty formulaire folder does not exist at all.
    expect(variants[0].description.warnings.map(w => w.code)).toContain('app-folder-missing')
  })

  it('reports a Manifest app whose folder is absent and a folder no app claims, keeping its files raw', async () => {
    const { archive, description } = await generate({
      apps: ['blog'],
      extra: async (zip, top) => {
        await zip.file(`${top}/Nouvelle appli/données`, '{"_id":"n1","title":"Inconnu"}')
      }
    })
    const unknown = archive.apps.find(a => a.app === 'unknown') as NonNullable<(typeof archive.apps)[number]>
    const raw: EntItem[] = []
    for await (const item of archive.readApp(unknown)) raw.push(item)
    await archive.close()
    expect(description.warnings.map(w => w.code)).toEqual(['unknown-folder'])
    expect(description.apps[1]).toEqual({ app: 'unknown', folder: 'Nouvelle appli', version: null, items: 1, resources: 1, documents: 0, bytes: 30, shares: 0 })
    expect(raw).toEqual([expect.objectContaining({ type: 'raw', reason: 'unknown-app', entId: 'n1', data: { _id: 'n1', title: 'Inconnu' } })])
  })
})
