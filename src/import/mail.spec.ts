// The .eml of each Messagerie case (test/fixtures/mail-cases.ts), read back with a MIME parser:
// names on every address, groups worded, removed recipients kept, Bcc kept, body images as
// related parts, threading headers, and the same bytes on every run.
import path from 'path'
import { addresses, allParts, header, parseEml, textOf, type EmlPart } from '../../test/fixtures/eml'
import { BYTES, CLAIRE, CLASS_GROUP, CLUB_GROUP, DOCUMENT, GHOST, MESSAGE, ME, PAUL, writeMailArchive } from '../../test/fixtures/mail-cases'
import { temporaryDirectory } from '../../test/fixtures/paths'
import { openArchiveFile, type EntArchive, type MailMessage } from '../ent/node'
import { sanitizeEntHtml } from './html'
import { emlStream, missingDocuments, recipientName } from './mail'
import { Planner, type Op } from './plan'

async function bytesOf(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream) {
    chunks.push(chunk)
    size += chunk.byteLength
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

const at = (id: string): string => `${id}@ent.invalid`

describe('recipientName', () => {
  it('words profile groups from their ENT name and leaves other names alone', () => {
    expect(recipientName('6A-Student')).toBe('Élèves de 6A')
    expect(recipientName('Collège Jean Moulin-Teacher')).toBe('Enseignants de Collège Jean Moulin')
    expect(recipientName('Jean-Pierre Martin')).toBe('Jean-Pierre Martin')
    expect(recipientName('Club théâtre')).toBe('Club théâtre')
  })
})

describe('cid: in sanitised HTML', () => {
  it('is allowed on images of a mail only, never on links or in notes', () => {
    expect(sanitizeEntHtml('<img src="cid:a@b"><a href="cid:c@d">x</a>', () => null, ['cid'])).toBe('<img src="cid:a@b" /><a>x</a>')
    expect(sanitizeEntHtml('<img src="cid:a@b"><p>y</p>')).toBe('<p>y</p>')
  })
})

describe('Messagerie messages as .eml', () => {
  const tmp = temporaryDirectory('ent-mail-')
  let archive: EntArchive
  const messages = new Map<string, MailMessage>()
  const emls = new Map<string, EmlPart>()

  beforeAll(async () => {
    const written = await writeMailArchive(path.join(tmp.dir, 'mail.zip'))
    archive = await openArchiveFile(written.path)
    const location = archive.apps.find(a => a.app === 'conversation')
    if (!location) throw new Error('no Messagerie')
    for await (const item of archive.readApp(location)) if (item.type === 'mail') messages.set(item.entId, item)
    for (const [id, message] of messages) emls.set(id, parseEml(await bytesOf(emlStream(message, archive))))
  })

  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  it('names every address, words the class group, keeps the unnamed id and the removed recipient', () => {
    const eml = emls.get(MESSAGE.question) as EmlPart
    expect(header(eml, 'Subject')).toBe('Sortie au musée')
    expect(addresses(eml, 'From')).toEqual([{ name: CLAIRE.name, address: at(CLAIRE.id) }])
    expect(addresses(eml, 'To')).toEqual([
      { name: ME.name, address: at(ME.id) },
      { name: 'Élèves de 6A', address: at(CLASS_GROUP.id) },
      { name: 'Destinataire inconnu', address: at(GHOST) },
      { name: 'Léa Bernard', address: 'deleted@ent.invalid' }
    ])
    expect(addresses(eml, 'Cc')).toEqual([{ name: PAUL.name, address: at(PAUL.id) }])
    // A recipient sees himself in Bcc, not the others.
    expect(addresses(eml, 'Bcc')).toEqual([{ name: ME.name, address: at(ME.id) }])
  })

  it('keeps the Bcc of a sent message, removed recipients included, and the group’s own name', () => {
    const eml = emls.get(MESSAGE.reply) as EmlPart
    expect(addresses(eml, 'Bcc')).toEqual([
      { name: PAUL.name, address: at(PAUL.id) },
      { name: 'Ancien élève', address: 'deleted@ent.invalid' }
    ])
    expect(addresses(eml, 'Cc')).toEqual([{ name: CLUB_GROUP.displayName, address: at(CLUB_GROUP.id) }])
  })

  it('makes body images related parts the HTML points to with cid:', () => {
    const eml = emls.get(MESSAGE.question) as EmlPart
    const related = allParts(eml).find(p => p.type === 'multipart/related') as EmlPart
    expect(related).toBeDefined()
    const html = textOf(eml, 'text/html') as string
    expect(html).toContain(`<img alt="affiche" src="cid:${at(DOCUMENT.poster)}" />`)
    expect(html).not.toContain('/workspace/document/')
    const image = related.parts.find(p => header(p, 'Content-Id') === `<${at(DOCUMENT.poster)}>`) as EmlPart
    expect(image.type).toBe('image/png')
    expect(header(image, 'Content-Disposition')).toMatch(/^inline/)
    expect(image.body.equals(Buffer.from(BYTES.poster))).toBe(true)
    // The attachment stays an attachment, outside the related part.
    const pdf = allParts(eml).find(p => p.params.name === 'autorisation.pdf') as EmlPart
    expect(related.parts).not.toContain(pdf)
    expect(pdf.body.equals(Buffer.from(BYTES.attachment))).toBe(true)
  })

  it('leaves a note for the missing image and names it for the report', () => {
    const html = textOf(emls.get(MESSAGE.question) as EmlPart, 'text/html') as string
    // In the missing image's place.
    expect(html).toContain(`<p><em>Image absente de l’archive ENT\u202f: ${DOCUMENT.missing}</em></p>`)
    expect(html).not.toContain('missing-')
    expect(allParts(emls.get(MESSAGE.question) as EmlPart).filter(p => header(p, 'Content-Id'))).toHaveLength(1)
    expect(missingDocuments(messages.get(MESSAGE.question) as MailMessage)).toEqual({ images: [expect.objectContaining({ documentId: DOCUMENT.missing, file: null })], links: [] })
    expect(missingDocuments(messages.get(MESSAGE.reply) as MailMessage)).toEqual({ images: [], links: [] })
  })

  it('attaches a document the body only links, and inlines an image given by absolute URL', () => {
    const eml = emls.get(MESSAGE.reply) as EmlPart
    const html = textOf(eml, 'text/html') as string
    expect(html).toContain(`<img src="cid:${at(DOCUMENT.photo)}" />`)
    expect(html).toContain('le programme')
    const programme = allParts(eml).find(p => p.params.name === 'programme.pdf') as EmlPart
    expect(header(programme, 'Content-Disposition')).toMatch(/^attachment/)
    expect(programme.body.equals(Buffer.from(BYTES.programme))).toBe(true)
  })

  it('threads replies with In-Reply-To and References', () => {
    const id = (m: string): string => `<${at(m)}>`
    expect(header(emls.get(MESSAGE.question) as EmlPart, 'In-Reply-To')).toBeUndefined()
    expect(header(emls.get(MESSAGE.question) as EmlPart, 'References')).toBeUndefined()
    expect(header(emls.get(MESSAGE.reply) as EmlPart, 'Message-ID')).toBe(id(MESSAGE.reply))
    expect(header(emls.get(MESSAGE.reply) as EmlPart, 'In-Reply-To')).toBe(id(MESSAGE.question))
    expect(header(emls.get(MESSAGE.reply) as EmlPart, 'References')).toBe(id(MESSAGE.question))
    expect(header(emls.get(MESSAGE.answer) as EmlPart, 'In-Reply-To')).toBe(id(MESSAGE.reply))
    expect(header(emls.get(MESSAGE.answer) as EmlPart, 'References')).toBe(`${id(MESSAGE.question)} ${id(MESSAGE.reply)}`)
  })

  it('credits the attachment and the documents a body uses to its mail, keeps the unused one loose', async () => {
    const location = archive.apps.find(a => a.app === 'conversation')
    if (!location) throw new Error('no Messagerie')
    const planner = new Planner({ archive, includeTrash: false })
    planner.startApp(location)
    const ops: Op[] = []
    for await (const item of archive.readApp(location)) ops.push(...planner.plan(item))
    ops.push(...planner.finishApp())
    const summary = ops.map(op => [op.kind, op.key.split('/').slice(1).join('/'), op.items ?? 0])
    expect(summary).toEqual([
      ['file', `mail/${MESSAGE.question}`, 3],
      ['fail', `mail/${MESSAGE.question}/image/${DOCUMENT.missing}`, 0],
      ['file', `mail/${MESSAGE.reply}`, 3],
      ['file', `mail/${MESSAGE.answer}`, 1],
      ['file', `mail/${MESSAGE.orphan}`, 1],
      ['file', `binary/${location.folder}/Documents/notes_${DOCUMENT.unused}.txt`, 1]
    ])
    const failed = ops.find(op => op.kind === 'fail')
    expect(failed?.kind === 'fail' && failed.reason).toMatch(/image shown in the message is missing/)
  })

  it('writes a removed sender by name and the same bytes on every run', async () => {
    expect(addresses(emls.get(MESSAGE.orphan) as EmlPart, 'From')).toEqual([{ name: 'Ancien professeur', address: 'deleted@ent.invalid' }])
    const message = messages.get(MESSAGE.question) as MailMessage
    const first = await bytesOf(emlStream(message, archive))
    expect(await bytesOf(emlStream(message, archive))).toEqual(first)
  })
})
