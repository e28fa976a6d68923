// The Messagerie reader on an archive laid out as the conversation exporter writes it
// (test/fixtures/mail-cases.ts): names from `displayNames`, groups, removed recipients,
// Bcc as the ENT shows it, threads, and the body's workspace documents.
import path from 'path'
import { CLAIRE, CLASS_GROUP, CLUB_GROUP, DOCUMENT, GHOST, MESSAGE, ME, NINA, PAUL, writeMailArchive } from '../../../test/fixtures/mail-cases'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { describeArchive, openArchiveFile, type EntArchive, type EntItem, type MailMessage, type StoredBinary } from '../node'
import { decodeDisplayName } from './conversation'

describe('decodeDisplayName', () => {
  it('reads users and groups from the four fields, blanks written as one space', () => {
    expect(decodeDisplayName(`${ME.id}$${ME.name}$ $ `)).toEqual({ id: ME.id, name: ME.name, group: false })
    expect(decodeDisplayName('474-1429810567870$ $6A-Student$ ')).toEqual({ id: '474-1429810567870', name: '6A-Student', group: true })
    expect(decodeDisplayName('g1$ $club-theatre$Club théâtre')).toEqual({ id: 'g1', name: 'Club théâtre', group: true })
    // A display name that is an i18n key is worded from the group's name instead.
    expect(decodeDisplayName('g2$ $6B-Teacher$group.Teacher')).toEqual({ id: 'g2', name: '6B-Teacher', group: true })
  })

  it('skips entries it cannot read', () => {
    for (const bad of ['', 'x', '$Nom$ $ ', 'a$b$c$d$e', 'u1$ $ $ ', 42, null]) expect(decodeDisplayName(bad)).toBeNull()
  })
})

describe('the Messagerie reader', () => {
  const tmp = temporaryDirectory('ent-conversation-')
  let archive: EntArchive
  let items: EntItem[]
  const message = (id: string): MailMessage => items.find((i): i is MailMessage => i.type === 'mail' && i.entId === id) as MailMessage

  beforeAll(async () => {
    const written = await writeMailArchive(path.join(tmp.dir, 'mail.zip'))
    archive = await openArchiveFile(written.path)
    const location = archive.apps.find(a => a.app === 'conversation')
    if (!location) throw new Error('no Messagerie')
    items = []
    for await (const item of archive.readApp(location)) items.push(item)
  })

  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  it('names every recipient by id from displayNames, keeps ids with no entry, and never pairs toName by index', () => {
    const question = message(MESSAGE.question)
    expect(question.from).toEqual({ entId: CLAIRE.id, name: CLAIRE.name })
    expect(question.to).toEqual([
      { entId: ME.id, name: ME.name },
      { entId: CLASS_GROUP.id, name: CLASS_GROUP.name },
      { entId: GHOST, name: null }
    ])
    expect(question.cc).toEqual([{ entId: PAUL.id, name: PAUL.name }])
    // toName holds the recipient removed since, not the name of `to[0]`.
    expect(question.removed).toEqual({ from: null, to: ['Léa Bernard'], cc: [], bcc: [] })
  })

  it('shows the Bcc list whole to its sender and only himself to a recipient', () => {
    expect(message(MESSAGE.question).bcc).toEqual([{ entId: ME.id, name: ME.name }])
    expect(message(MESSAGE.question).bcc.map(p => p.entId)).not.toContain(NINA.id)
    const reply = message(MESSAGE.reply)
    expect(reply.bcc).toEqual([{ entId: PAUL.id, name: PAUL.name }])
    expect(reply.removed.bcc).toEqual(['Ancien élève'])
    expect(reply.cc).toEqual([{ entId: CLUB_GROUP.id, name: CLUB_GROUP.displayName }])
  })

  it('keeps the name of a removed sender and the thread links', () => {
    const orphan = message(MESSAGE.orphan)
    expect([orphan.from, orphan.removed.from]).toEqual([null, 'Ancien professeur'])
    expect([message(MESSAGE.reply).parentId, message(MESSAGE.reply).threadId]).toEqual([MESSAGE.question, MESSAGE.question])
    expect([message(MESSAGE.answer).parentId, message(MESSAGE.answer).threadId]).toEqual([MESSAGE.reply, MESSAGE.question])
  })

  it('resolves the documents each body uses to Documents/, the missing one with no file', () => {
    const docs = (id: string): Array<[string, string | null]> => message(id).documents.map(d => [d.documentId, d.file?.path.split('/').pop() ?? null])
    expect(docs(MESSAGE.question)).toEqual([
      [DOCUMENT.poster, `affiche_${DOCUMENT.poster}.png`],
      [DOCUMENT.missing, null]
    ])
    expect(docs(MESSAGE.reply)).toEqual([
      [DOCUMENT.photo, `photo_${DOCUMENT.photo}.jpg`],
      [DOCUMENT.programme, `programme_${DOCUMENT.programme}.pdf`]
    ])
    expect(message(MESSAGE.question).documents[0].name).toBe('affiche.png')
  })

  it('marks the Documents/ copies the mails use, so they are not imported loose as well', () => {
    const binaries = items.filter((i): i is StoredBinary => i.type === 'binary')
    const flag = Object.fromEntries(binaries.map(b => [b.file.path.split('/').slice(1).join('/'), b.referenced]))
    expect(flag).toEqual({
      [`Attachments/autorisation_e0000000-0000-4000-8000-0000000000f1.pdf`]: true,
      [`Documents/affiche_${DOCUMENT.poster}.png`]: true,
      [`Documents/photo_${DOCUMENT.photo}.jpg`]: true,
      [`Documents/programme_${DOCUMENT.programme}.pdf`]: true,
      [`Documents/notes_${DOCUMENT.unused}.txt`]: false
    })
  })

  it('warns about the missing image and counts what it reads', async () => {
    const description = await describeArchive(archive)
    const app = description.apps.find(a => a.app === 'conversation')
    expect([app?.resources, app?.documents]).toEqual([4, 5])
    expect(description.warnings.some(w => w.code === 'missing-binary' && w.message.includes(DOCUMENT.missing))).toBe(true)
  })
})
