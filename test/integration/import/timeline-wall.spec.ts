/**
 * A timeline and a collaborative wall, generated as their exporters write them, imported into
 * the stand-in with the konnector's permissions; the stored notes are read back: event dates
 * at the precision the ENT stated, the note's own date, texts, link URLs, the wall's
 * description, and pictures inside the notes pointing at the imported files.
 */
import path from 'path'
import { documentBytes, EVENTS, TIMELINE, WALL, WALL_NOTES, writeNotes1Archive } from '../../fixtures/notes1-cases'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import type { CozyFile } from '../../../src/import/stack/client'
import { downloadText, snapshotTree, startImportStack, type ImportStack, type TreeEntry } from './helpers'
import { markdownDangers, markdownText } from '../../fixtures/markdown-safety'

jest.setTimeout(60_000)

interface PmNode {
  type: string
  attrs?: Record<string, unknown>
  content?: PmNode[]
}

function mediaUrls(node: PmNode | undefined): string[] {
  if (!node) return []
  const own = node.type === 'media' && typeof node.attrs?.url === 'string' ? [node.attrs.url] : []
  return [...own, ...(node.content ?? []).flatMap(mediaUrls)]
}

describe('importing a timeline and a collaborative wall', () => {
  const tmp = temporaryDirectory('ent-import-notes1-')
  let env: ImportStack
  let outcome: ImportOutcome
  let root: string
  let tree: TreeEntry[]

  beforeAll(async () => {
    const archive = await writeNotes1Archive(path.join(tmp.dir, 'timeline-wall.zip'))
    env = await startImportStack({}, undefined, false)
    outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive.path }, importId: 'timeline-wall' })
    root = String(outcome.report.importFolder?.path)
    tree = await snapshotTree(env.admin, root)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  /** The stored note an ENT record became, found by its provenance key, with its Markdown. */
  async function noteOf(key: string): Promise<{ path: string; file: CozyFile; markdown: string }> {
    const entry = tree.find(e => e.key === key)
    if (!entry) throw new Error(`nothing imported for ${key}`)
    const file = await env.admin.statByPath(`${root}${entry.path}`)
    if (!file) throw new Error(`${entry.path} is gone`)
    expect(file.mime).toBe('text/vnd.cozy.note+markdown')
    return { path: entry.path, file, markdown: await downloadText(env.admin, file._id) }
  }

  /** Every picture of the note's stored document, resolved from the note's folder to the imported file's bytes. */
  async function picturesOf(note: { path: string; file: CozyFile }): Promise<string[]> {
    const urls = mediaUrls((note.file.metadata as { content?: PmNode } | undefined)?.content)
    const out: string[] = []
    for (const url of urls) {
      expect(url).not.toMatch(/^[a-z]+:|^\//i)
      const target = path.posix.join(root, path.posix.dirname(note.path), ...url.split('/').map(decodeURIComponent))
      const file = await env.admin.statByPath(target)
      if (!file) throw new Error(`${url} in ${note.path} points to nothing (${target})`)
      const res = await fetch(env.admin.downloadUrl(file._id), { headers: env.admin.authHeaders() })
      out.push(Buffer.from(await res.arrayBuffer()).toString('utf8'))
    }
    return out
  }

  it('imports both applications with no failure', () => {
    expect(outcome.state).toBe('done')
    expect(outcome.report.errors).toEqual([])
    expect(outcome.report.apps.map(a => a.app).sort()).toEqual(['collaborativewall', 'timelinegenerator'])
  })

  it('dates each event note with the event, shown as precisely as the ENT stated it', async () => {
    for (const event of EVENTS) {
      const note = await noteOf(`timelinegenerator/note/${event._id}`)
      expect(note.path.startsWith(`/Frise chronologique/${TIMELINE.title}/`)).toBe(true)
      expect(note.markdown).toContain(`*Bernard Junior, ${event.shown}*`)
      expect(new Date(String(note.file.created_at)).toISOString()).toBe(event.startDate)
      expect(note.markdown).toContain(event.text.replace(/<\/?p>/g, ''))
    }
    // A year-only event shows neither the month nor the day its stored date happens to carry.
    const year = await noteOf(`timelinegenerator/note/${EVENTS[0]._id}`)
    expect(year.markdown).not.toMatch(/mars|21/)
  })

  it('shows the event picture inside its note, pointing at the imported copy, and keeps the video link', async () => {
    const withImage = EVENTS.find(e => e.img)
    const note = await noteOf(`timelinegenerator/note/${withImage?._id}`)
    expect(await picturesOf(note)).toEqual([Buffer.from(documentBytes(String(withImage?.img?.id))).toString('utf8')])
    const withVideo = EVENTS.find(e => e.video)
    expect((await noteOf(`timelinegenerator/note/${withVideo?._id}`)).markdown).toContain(`(${withVideo?.video})`)
  })

  it('keeps the timeline text and picture in a note inside the timeline folder', async () => {
    const note = await noteOf(`timelinegenerator/note/${TIMELINE._id}`)
    expect(note.path).toBe(`/Frise chronologique/${TIMELINE.title}/${TIMELINE.title}.cozy-note`)
    expect(note.markdown).toContain('Les grandes dates, **de 1789 à nos jours**.')
    expect(await picturesOf(note)).toEqual([Buffer.from(documentBytes(TIMELINE.iconId)).toString('utf8')])
  })

  it('keeps the URL of link notes and shows wall pictures inside their notes', async () => {
    const external = await noteOf(`collaborativewall/note/${WALL_NOTES[1]._id}`)
    expect(external.path.startsWith(`/Mur collaboratif/${WALL.title}/`)).toBe(true)
    expect(external.markdown).toContain('[Site de la kermesse](https://ecole.example/kermesse?annee=2026&page=2)')
    expect(JSON.stringify(external.file.metadata)).toContain('https://ecole.example/kermesse?annee=2026&page=2')
    expect((await noteOf(`collaborativewall/note/${WALL_NOTES[4]._id}`)).markdown).toContain('(https://ecole.example/photos)')
    expect((await noteOf(`collaborativewall/note/${WALL_NOTES[5]._id}`)).markdown).toContain('[Blog de la classe](/blog/id/9c3e2074-7d20-4e3c-8f20-3b4c5d6e7f01)')
    const picture = await noteOf(`collaborativewall/note/${WALL_NOTES[2]._id}`)
    expect(await picturesOf(picture)).toEqual([Buffer.from(documentBytes(String(WALL_NOTES[2].document?.id))).toString('utf8')])
    // The attachment is a link to its imported copy, beside the note.
    const attachment = await noteOf(`collaborativewall/note/${WALL_NOTES[3]._id}`)
    expect(attachment.markdown).toContain('[programme.pdf](programme.pdf)')
    expect(tree.map(e => e.path)).toContain(`/Mur collaboratif/${WALL.title}/programme.pdf`)
  })

  it('keeps the wall description, in a note inside the wall folder and in the folder metadata', async () => {
    const note = await noteOf(`collaborativewall/note/${WALL._id}`)
    expect(note.path).toBe(`/Mur collaboratif/${WALL.title}/${WALL.title}.cozy-note`)
    expect(note.markdown).toContain('Nos idées pour la kermesse.')
    // Plain text in the ENT: shown as typed, never as markup (its `<` escaped for CommonMark).
    expect(markdownText(note.markdown)).toContain('Votez avant vendredi <3')
    expect(markdownDangers(note.markdown)).toEqual([])
    expect(JSON.stringify(note.file.metadata)).toContain('Votez avant vendredi <3')
    const folder = await env.admin.statByPath(`${root}/Mur collaboratif/${WALL.title}`)
    expect((folder?.metadata?.mesdonnees as { description?: string }).description).toBe(WALL.description)
  })
})
