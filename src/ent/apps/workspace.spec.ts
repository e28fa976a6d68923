import path from 'path'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { WS_IDS, WSCAL_GROUP, WSCAL_OTHER, WSCAL_USER, writeWscalArchive } from '../../../test/fixtures/wscal-cases'
import { ArchiveWarning, describeArchive, DocumentNode, EntArchive, openArchiveFile } from '../node'
import { categoryOf, cleanName, deduplicatedName, landingCategoryOf } from './workspace'

describe('workspace naming (format notes §6)', () => {
  it('inserts _<n> before the first dot for repeated names, or appends it', () => {
    expect(deduplicatedName('photo.2023.jpg', 0)).toBe('photo.2023.jpg')
    expect(deduplicatedName('photo.2023.jpg', 1)).toBe('photo_1.2023.jpg')
    expect(deduplicatedName('photo.2023.jpg', 2)).toBe('photo_2.2023.jpg')
    expect(deduplicatedName('LISEZMOI', 1)).toBe('LISEZMOI_1')
  })

  it('cleans names: path separators become _, then trimmed', () => {
    expect(cleanName('  a/b\\c  ')).toBe('a_b_c')
  })

  it('sorts records into the exporter categories', () => {
    expect(categoryOf({ deleted: true, trasher: 'me' }, 'me')).toBe('trash')
    expect(categoryOf({ protected: true }, 'me')).toBe('app-documents')
    expect(categoryOf({ isShared: true }, 'me')).toBe('shared')
    expect(categoryOf({}, 'me')).toBe('personal')
  })
})

describe('where workspace records land (isShared means "has shares")', () => {
  it('keeps the user\'s own documents in their tree, someone else\'s under "shared with me"', () => {
    expect(landingCategoryOf({ owner: 'me', isShared: true }, 'shared', 'me')).toBe('personal')
    expect(landingCategoryOf({ owner: 'other', isShared: true }, 'shared', 'me')).toBe('shared')
    expect(landingCategoryOf({ owner: 'other' }, 'personal', 'me')).toBe('shared')
    expect(landingCategoryOf({ owner: 'me', deleted: true }, 'trash', 'me')).toBe('trash')
    expect(landingCategoryOf({ owner: 'me', protected: true }, 'app-documents', 'me')).toBe('app-documents')
    // Without the exporting user's id, the exporter's folder stands.
    expect(landingCategoryOf({ owner: 'me', isShared: true }, 'shared', null)).toBe('shared')
  })
})

describe('a generated archive with shared folders (WorkspaceRepositoryEvents layout)', () => {
  const tmp = temporaryDirectory('ws-shared-')
  let archive: EntArchive
  const nodes: DocumentNode[] = []
  const warnings: ArchiveWarning[] = []
  const byId = (id: string): DocumentNode => {
    const found = nodes.find(n => n.entId === id)
    if (!found) throw new Error(`no node ${id}`)
    return found
  }

  beforeAll(async () => {
    const target = path.join(tmp.dir, 'wscal.zip')
    await writeWscalArchive(target)
    archive = await openArchiveFile(target)
    const location = archive.apps.find(a => a.app === 'workspace')
    if (!location) throw new Error('no workspace')
    for await (const item of archive.readApp(location, w => warnings.push(w))) nodes.push(item as DocumentNode)
  })

  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  it('finds every binary where the exporter wrote it, with no warning', () => {
    expect(warnings).toEqual([])
    expect(byId(WS_IDS.notes).file?.path).toBe('Espace documentaire/Documents partages/Projet partagé/Sous-dossier/Notes.txt')
    expect(byId(WS_IDS.reportShared).file?.path).toBe('Espace documentaire/Documents partages/Rapport.odt')
    expect(byId(WS_IDS.theirs).file?.path).toBe('Espace documentaire/Documents partages/Sujet.pdf')
  })

  it('puts the user\'s shared folder and file in their own tree, the other owner\'s file under shared', () => {
    expect([byId(WS_IDS.project).category, byId(WS_IDS.project).parentId, byId(WS_IDS.project).mine]).toEqual(['personal', null, true])
    expect([byId(WS_IDS.reportShared).category, byId(WS_IDS.reportShared).parentId]).toEqual(['personal', null])
    expect(byId(WS_IDS.reportPersonal).category).toBe('personal')
    expect([byId(WS_IDS.theirs).category, byId(WS_IDS.theirs).mine, byId(WS_IDS.theirs).owner?.entId]).toEqual(['shared', false, WSCAL_OTHER])
    // The tree under the shared folder is kept.
    expect(byId(WS_IDS.plan).parentId).toBe(WS_IDS.project)
    expect(byId(WS_IDS.sub).parentId).toBe(WS_IDS.project)
    expect(byId(WS_IDS.notes).parentId).toBe(WS_IDS.sub)
  })

  it('gives the share to the folder that holds it, not to each child', () => {
    expect(byId(WS_IDS.project).shares.map(s => [s.kind, s.entId, s.role])).toEqual([['user', WSCAL_OTHER, 'contrib']])
    expect(byId(WS_IDS.plan).shares).toEqual([])
    expect(byId(WS_IDS.sub).shares).toEqual([])
    expect(byId(WS_IDS.notes).shares).toEqual([])
    // A child shared again keeps only its own grant.
    expect(byId(WS_IDS.extra).shares.map(s => [s.kind, s.entId, s.inherited])).toEqual([['group', WSCAL_GROUP, false]])
    // A file shared only with the exporting user has no grant left.
    expect(byId(WS_IDS.theirs).shares).toEqual([])
    expect(byId(WS_IDS.reportShared).shares.map(s => s.entId)).toEqual([WSCAL_OTHER])
  })

  it('counts the same shares in the archive description', async () => {
    const description = await describeArchive(archive)
    expect(description.user.id).toBe(WSCAL_USER)
    expect(description.apps.find(a => a.app === 'workspace')?.shares).toBe(3)
  })
})
