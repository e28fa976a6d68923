/**
 * Issue 12 (points 2, 7, 8) end to end: the wscal archive (test/fixtures/wscal-cases.ts)
 * imported into the stand-in stack with the konnector's permissions, once without the trash
 * and once with it: where the user's own shared files land, one pending share per shared
 * folder, exercizer's deleted subjects, and the calendar's .ics text.
 */
import path from 'path'
import { temporaryDirectory } from '../../fixtures/paths'
import { CALENDAR_IDS, WS_IDS, WSCAL_OTHER, WSCAL_GROUP, writeWscalArchive } from '../../fixtures/wscal-cases'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import { PENDING_SHARES_DOCTYPE, type PendingShare } from '../../../src/import/records'
import { allDocs, downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

describe('importing shared workspace folders, exercizer trash and calendar descriptions', () => {
  const tmp = temporaryDirectory('ent-import-wscal-')
  let env: ImportStack
  let archivePath: string
  let plain: ImportOutcome
  let withTrash: ImportOutcome
  let plainFiles: string[]
  let trashFiles: string[]

  beforeAll(async () => {
    archivePath = path.join(tmp.dir, 'wscal.zip')
    await writeWscalArchive(archivePath)
    env = await startImportStack({}, undefined, false)
    plain = await runImport({ client: env.konnector, archive: { kind: 'file', path: archivePath }, importId: 'wscal', destination: { path: '/Sans corbeille' } })
    withTrash = await runImport({ client: env.konnector, archive: { kind: 'file', path: archivePath }, importId: 'wscal-trash', includeTrash: true, destination: { path: '/Avec corbeille' } })
    const files = async (root: string): Promise<string[]> => (await snapshotTree(env.admin, root)).filter(e => e.type === 'file').map(e => e.path)
    plainFiles = await files(String(plain.record.importFolder?.path))
    trashFiles = await files(String(withTrash.record.importFolder?.path))
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('finishes both imports without a failed item', () => {
    expect([plain.state, withTrash.state]).toEqual(['done', 'done'])
    expect(plain.report.errors).toEqual([])
    expect(withTrash.report.errors).toEqual([])
  })

  it('keeps the user\'s own shared folder and file in their tree, someone else\'s under "Partagés avec moi"', () => {
    expect(plainFiles).toEqual(expect.arrayContaining([
      '/Espace documentaire/Projet partagé/Plan.pdf',
      '/Espace documentaire/Projet partagé/Extra.txt',
      '/Espace documentaire/Projet partagé/Sous-dossier/Notes.txt',
      // The shared Rapport.odt and the personal one meet in the same folder: both kept.
      '/Espace documentaire/Rapport.odt',
      '/Espace documentaire/Rapport (2).odt',
      '/Espace documentaire/Partagés avec moi/Sujet.pdf'
    ]))
    expect(plainFiles.filter(p => p.startsWith('/Espace documentaire/Partagés avec moi/'))).toEqual(['/Espace documentaire/Partagés avec moi/Sujet.pdf'])
  })

  it('keeps the bytes of a file found in the shared folder of the archive', async () => {
    const file = await env.admin.statByPath(`${plain.record.importFolder?.path}/Espace documentaire/Projet partagé/Sous-dossier/Notes.txt`)
    expect(await downloadText(env.admin, String(file?._id))).toBe('contenu de Notes.txt')
  })

  it('makes one pending share for the shared folder, none for its children but the one shared again', async () => {
    const shares = ((await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)) as unknown as PendingShare[]).filter(s => s.importId === 'wscal')
    expect(shares.length).toBe(plain.report.pendingShares)
    const workspace = shares.filter(s => s.provenance.app === 'workspace')
    expect(workspace.map(s => s.provenance.key).sort()).toEqual([`workspace/file/${WS_IDS.extra}`, `workspace/file/${WS_IDS.reportShared}`, `workspace/folder/${WS_IDS.project}`].sort())
    const folder = workspace.find(s => s.provenance.entId === WS_IDS.project)
    expect(folder?.cozy.type).toBe('directory')
    expect(folder?.cozy.path).toBe(`${plain.record.importFolder?.path}/Espace documentaire/Projet partagé`)
    expect(folder?.recipients.map(r => [r.kind, r.entId, r.role])).toEqual([['user', WSCAL_OTHER, 'contrib']])
    expect(workspace.find(s => s.provenance.entId === WS_IDS.extra)?.recipients.map(r => [r.kind, r.entId])).toEqual([['group', WSCAL_GROUP]])
  })

  it('leaves the deleted exercizer subject out unless the trash is ticked', () => {
    expect(plainFiles.filter(p => p.startsWith('/Exercices/'))).toEqual(['/Exercices/Maths/Fractions.cozy-note'])
    expect(trashFiles.filter(p => p.startsWith('/Exercices/')).sort()).toEqual(['/Exercices/Corbeille/Ancien sujet.cozy-note', '/Exercices/Maths/Fractions.cozy-note'])
    // The workspace trash follows the same option.
    expect(plainFiles.some(p => p.includes('Brouillon.txt'))).toBe(false)
    expect(trashFiles).toContain('/Espace documentaire/Corbeille/Brouillon.txt')
  })

  it('writes the .ics with seconds in CREATED/LAST-MODIFIED, a plain DESCRIPTION and the HTML in X-ALT-DESC', async () => {
    const ics = await env.admin.statByPath(`${plain.record.importFolder?.path}/Agenda/Agenda de classe.ics`)
    const text = await downloadText(env.admin, String(ics?._id))
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n')
    expect(lines).toContain(`UID:${CALENDAR_IDS.event}@ent.invalid`)
    expect(lines).toContain('CREATED:20260330T081542Z')
    expect(lines).toContain('LAST-MODIFIED:20260331T170409Z')
    expect(lines).toContain('DESCRIPTION:Salle\u00a012\\, bâtiment A\\nApportez vos cahiers & stylos\\nMerci')
    expect(lines.filter(l => l.startsWith('X-ALT-DESC;FMTTYPE=text/html:'))).toEqual(['X-ALT-DESC;FMTTYPE=text/html:<p>Salle\u00a012\\, bâtiment A</p><p>Apportez <strong>vos</strong> cahiers &amp\\; stylos<br />Merci</p>'])
    // The event document gets the plain text too.
    const events = await allDocs(env.url, env.cliToken, 'io.cozy.calendar.events')
    const event = events.find(e => (e.mesdonnees as { importId?: string } | undefined)?.importId === 'wscal')
    expect(event?.description).toBe('Salle\u00a012, bâtiment A\nApportez vos cahiers & stylos\nMerci')
  })
})
