import path from 'path'
import { WALL, WALL_FOLDER, WALL_NOTES, writeNotes1Archive } from '../../../test/fixtures/notes1-cases'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { markdownDangers, markdownText } from '../../../test/fixtures/markdown-safety'
import { htmlToMarkdown } from '../../import/html'
import { ArchiveWarning, ContentGroup, EntArchive, EntItem, openArchiveFile, RichText } from '../node'
import { wallMediaHtml } from './collaborativewall'

const tmp = temporaryDirectory()
let archive: EntArchive
const items: EntItem[] = []
const warnings: ArchiveWarning[] = []

beforeAll(async () => {
  const written = await writeNotes1Archive(path.join(tmp.dir, 'wall.zip'))
  archive = await openArchiveFile(written.path)
  const location = archive.apps.find(a => a.app === 'collaborativewall')
  if (!location) throw new Error('no wall app')
  for await (const item of archive.readApp(location, w => warnings.push(w))) items.push(item)
})

afterAll(async () => {
  await archive?.close()
  tmp.remove()
})

const note = (id: string): RichText => {
  const found = items.find((i): i is RichText => i.type === 'rich-text' && i.entId === id && i.collection === 'collaborativewall.notes')
  if (!found) throw new Error(`no note ${id}`)
  return found
}

describe('collaborative wall reader', () => {
  it('finds the wall and one note per wall note, in it', () => {
    expect(warnings).toEqual([])
    const wall = items.find((i): i is ContentGroup => i.type === 'group')
    expect([wall?.entId, wall?.title, wall?.description]).toEqual([WALL._id, WALL.title, WALL.description])
    const notes = items.filter((i): i is RichText => i.type === 'rich-text' && i.collection === 'collaborativewall.notes')
    expect(notes.map(n => [n.entId, n.groupId, n.position])).toEqual(WALL_NOTES.map(n => [n._id, WALL._id, n.y]))
    // A note without text is named after what it shows.
    expect(notes.map(n => n.title)).toEqual(['Apporter des gâteaux', 'Le site de l’école', 'L’affiche', 'programme.pdf', 'Photos', 'Notre blog'])
  })

  it('keeps the URL of link notes, external or ENT-internal, and of old bare-URL media', () => {
    expect(note(WALL_NOTES[1]._id).html).toBe('<p>Le site de l’école</p>\n<p><a href="https://ecole.example/kermesse?annee=2026&amp;page=2">Site de la kermesse</a></p>')
    expect(note(WALL_NOTES[4]._id).html).toContain('<a href="https://ecole.example/photos">https://ecole.example/photos</a>')
    expect(note(WALL_NOTES[5]._id).html).toContain('<a href="/blog/id/9c3e2074-7d20-4e3c-8f20-3b4c5d6e7f01">Blog de la classe</a>')
    expect(note(WALL_NOTES[0]._id).html).toBe('<p>Apporter des gâteaux</p>')
  })

  it('shows the picture inside its note and links the attachment, both resolved to their Documents/ copies', () => {
    const image = WALL_NOTES[2].document
    const picture = note(WALL_NOTES[2]._id)
    expect(picture.html).toContain(`<img src="/workspace/document/${image?.id}" alt="affiche.png">`)
    expect(picture.attachments.map(a => [a.documentId, a.file?.path])).toEqual([[image?.id, `${WALL_FOLDER}/Documents/affiche_${image?.id}.png`]])
    const pdf = WALL_NOTES[3].document
    const attachment = note(WALL_NOTES[3]._id)
    expect(attachment.html).toBe(`<p><a href="/workspace/document/${pdf?.id}">programme.pdf</a></p>`)
    expect(attachment.attachments.map(a => a.file?.path)).toEqual([`${WALL_FOLDER}/Documents/programme_${pdf?.id}.pdf`])
    expect(items.filter(i => i.type === 'binary').map(i => i.type === 'binary' && i.referenced)).toEqual([true, true])
  })

  it('keeps the wall description, escaped as the ENT shows it, in a note of its own inside the wall', () => {
    const own = items.find((i): i is RichText => i.type === 'rich-text' && i.collection === 'collaborativewall')
    expect([own?.entId, own?.title, own?.groupId, own?.shares]).toEqual([WALL._id, WALL.title, WALL._id, []])
    expect(own?.html).toBe('<p>Nos idées pour la kermesse.</p>\n<p>Votez avant vendredi &lt;3</p>')
  })

  it('drops the javascript: link and the data: picture of a hostile media', () => {
    const markdown = htmlToMarkdown(
      [
        wallMediaHtml({ type: 'hyperlink', url: 'javascript:alert(1)', name: '<b onmouseover="alert(2)">x</b>' }),
        wallMediaHtml({ type: 'image', url: 'data:image/svg+xml;base64,PHN2Zz4=', name: '"><script>alert(3)</script>' })
      ].join('\n')
    )
    for (const bad of [/javascript:/i, /<script/i, /data:/i, /\]\(/]) expect(markdown).not.toMatch(bad)
    // The name stays text: html.ts turns the escaped entities back into characters, escaped
    // for Markdown, so that a CommonMark reader shows them as typed and reads no markup.
    expect(markdownText(markdown)).toContain('<b onmouseover="alert(2)">x</b>')
    expect(markdownDangers(markdown)).toEqual([])
  })
})
