/**
 * A Messagerie archive in the exporter's layout (test/fixtures/mail-cases.ts) imported into the
 * stand-in with the konnector's permissions; the stored .eml files are read back and parsed:
 * names on every address, groups, removed recipients, Bcc, body images as cid parts, threading
 * headers; the images travel in the mails (not loose), the missing one is a failed item.
 */
import path from 'path'
import { addresses, allParts, header, parseEml, textOf, type EmlPart } from '../../fixtures/eml'
import { BYTES, CLAIRE, CLASS_GROUP, DOCUMENT, GHOST, MESSAGE, ME, PAUL, writeMailArchive } from '../../fixtures/mail-cases'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import { downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const ROOT = '/Mes données ENT/2026-04-01'
const at = (id: string): string => `${id}@ent.invalid`

describe('importing a Messagerie archive', () => {
  const tmp = temporaryDirectory('ent-import-mail-')
  let env: ImportStack
  let outcome: ImportOutcome
  let files: string[]
  const emls = new Map<string, EmlPart>()

  beforeAll(async () => {
    const archive = await writeMailArchive(path.join(tmp.dir, 'mail.zip'))
    env = await startImportStack({}, undefined, false)
    outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive.path }, importId: 'mail-cases' })
    files = (await snapshotTree(env.admin, ROOT)).filter(e => e.type === 'file').map(e => e.path)
    for (const file of files.filter(f => f.endsWith('.eml'))) {
      const stat = await env.admin.statByPath(`${ROOT}${file}`)
      const eml = parseEml(await downloadText(env.admin, String(stat?._id)))
      emls.set(String(header(eml, 'X-ENT-Id')), eml)
    }
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('writes one .eml per message in its box, keeps the unused document loose and no image twice', () => {
    expect(outcome.state).toBe('done')
    expect(files).toEqual([
      '/Messagerie/Boîte de réception/2026-04-01 Sortie au musée.eml',
      '/Messagerie/Boîte de réception/2026-04-03 RE: RE: Sortie au musée.eml',
      '/Messagerie/Boîte de réception/2026-04-04 Réunion.eml',
      '/Messagerie/Documents/notes.txt',
      '/Messagerie/Envoyés/2026-04-02 RE: Sortie au musée.eml'
    ])
    expect([...emls.keys()].sort()).toEqual(Object.values(MESSAGE).sort())
  })

  it('reports the missing image as a failed item of the mail, with its reason', () => {
    expect(outcome.report.errors).toEqual([
      { app: 'conversation', item: expect.stringContaining(`Sortie au musée.eml: ${DOCUMENT.missing}`), reason: expect.stringMatching(/image .* missing from the archive/) }
    ])
    // Four mails and five stored binaries: the attachment and the three documents the bodies use
    // end with their mails, the unused document loose; the missing image is no archive item.
    expect(outcome.report.apps).toEqual([expect.objectContaining({ app: 'conversation', items: 9, imported: 9, failed: 0 })])
  })

  it('names every To/Cc/Bcc address, groups and removed recipients included', () => {
    const question = emls.get(MESSAGE.question) as EmlPart
    expect(addresses(question, 'From')).toEqual([{ name: CLAIRE.name, address: at(CLAIRE.id) }])
    expect(addresses(question, 'To')).toEqual([
      { name: ME.name, address: at(ME.id) },
      { name: 'Élèves de 6A', address: at(CLASS_GROUP.id) },
      { name: 'Destinataire inconnu', address: at(GHOST) },
      { name: 'Léa Bernard', address: 'deleted@ent.invalid' }
    ])
    expect(addresses(question, 'Cc')).toEqual([{ name: PAUL.name, address: at(PAUL.id) }])
    const reply = emls.get(MESSAGE.reply) as EmlPart
    expect(addresses(reply, 'Cc')).toEqual([{ name: 'Club théâtre', address: expect.stringMatching(/@ent\.invalid$/) }])
    expect(addresses(emls.get(MESSAGE.orphan) as EmlPart, 'From')).toEqual([{ name: 'Ancien professeur', address: 'deleted@ent.invalid' }])
  })

  it('keeps the Bcc of the sent message', () => {
    expect(addresses(emls.get(MESSAGE.reply) as EmlPart, 'Bcc')).toEqual([
      { name: PAUL.name, address: at(PAUL.id) },
      { name: 'Ancien élève', address: 'deleted@ent.invalid' }
    ])
  })

  it('carries the body images as cid parts with their bytes, and a note for the missing one', () => {
    const question = emls.get(MESSAGE.question) as EmlPart
    const html = textOf(question, 'text/html') as string
    expect(html).toContain(`src="cid:${at(DOCUMENT.poster)}"`)
    expect(html).toContain(`Image absente de l’archive ENT\u202f: ${DOCUMENT.missing}`)
    const poster = allParts(question).find(p => header(p, 'Content-Id') === `<${at(DOCUMENT.poster)}>`) as EmlPart
    expect(poster.body.equals(Buffer.from(BYTES.poster))).toBe(true)
    const reply = emls.get(MESSAGE.reply) as EmlPart
    const photo = allParts(reply).find(p => header(p, 'Content-Id') === `<${at(DOCUMENT.photo)}>`) as EmlPart
    expect(photo.body.equals(Buffer.from(BYTES.photo))).toBe(true)
    expect(allParts(reply).find(p => p.params.name === 'programme.pdf')?.body.equals(Buffer.from(BYTES.programme))).toBe(true)
  })

  it('threads the replies', () => {
    const id = (m: string): string => `<${at(m)}>`
    const reply = emls.get(MESSAGE.reply) as EmlPart
    const answer = emls.get(MESSAGE.answer) as EmlPart
    expect([header(reply, 'In-Reply-To'), header(reply, 'References')]).toEqual([id(MESSAGE.question), id(MESSAGE.question)])
    expect([header(answer, 'In-Reply-To'), header(answer, 'References')]).toEqual([id(MESSAGE.reply), `${id(MESSAGE.question)} ${id(MESSAGE.reply)}`])
  })
})
