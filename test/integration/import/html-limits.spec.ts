/**
 * Posts whose HTML is past the caps of src/import/html-shape.ts (100,000 nested divs, 1.2 MB
 * of nesting, a paragraph too costly to convert) in a generated archive: each of their notes
 * is failed with its reason, every sibling post, page and news item is imported, and the
 * import's memory stays bounded.
 */
import path from 'path'
import { writeEntArchive } from '../../fixtures/ent-archive'
import { boldWordsParagraph, flatPost, nestedHtml, nestedPost } from '../../fixtures/html-cases'
import { markdownDangers } from '../../fixtures/markdown-safety'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport, type ImportOutcome } from '../../../src/import/engine'
import { downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(180_000)

const BLOG_ID = '0b1e4a52-6666-4666-8666-000000000001'
const post = (id: string, title: string, content: string): string =>
  JSON.stringify({ _id: `0b1e4a52-6666-4666-8666-${id}`, title, content, state: 'PUBLISHED', author: { userId: 'u1', username: 'Eve' }, blog: { $ref: 'blogs', $id: BLOG_ID } })

describe('posts too deep or too costly to convert', () => {
  const tmp = temporaryDirectory('ent-import-html-limits-')
  let env: ImportStack
  let outcome: ImportOutcome
  let peakRss = 0
  let startRss = 0

  beforeAll(async () => {
    const archive = path.join(tmp.dir, 'limits.zip')
    await writeEntArchive(archive, {
      apps: ['blog', 'wiki'],
      extra: async (zip, top) => {
        await zip.file(`${top}/Blog/blog_Limites`, JSON.stringify({ _id: BLOG_ID, title: 'blog_Limites', author: { userId: 'u1', username: 'Eve' }, shared: [] }))
        await zip.file(`${top}/Blog/post_Avant`, post('000000000002', 'Avant', '<p>Le billet d’avant.</p>'))
        await zip.file(`${top}/Blog/post_Cent mille`, post('000000000003', 'Cent mille', nestedHtml(100_000)))
        await zip.file(`${top}/Blog/post_Imbriqué`, post('000000000004', 'Imbriqué', nestedPost(1_200_000)))
        await zip.file(`${top}/Blog/post_Gras`, post('000000000005', 'Gras', boldWordsParagraph(8_000)))
        await zip.file(`${top}/Blog/post_Long`, post('000000000006', 'Long', flatPost(300_000)))
        await zip.file(`${top}/Blog/post_Après`, post('000000000007', 'Après', '<p>Le billet d’après.</p>'))
        await zip.file(
          `${top}/Cours et Wiki/Wiki profond`,
          JSON.stringify({
            _id: '0b1e4a52-6666-4666-8666-000000000010',
            title: 'Wiki profond',
            owner: { userId: 'u1', displayName: 'Eve' },
            pages: [
              { _id: '0b1e4a52-6666-4666-8666-000000000011', title: 'Page profonde', content: nestedHtml(100_000, 'fond', 'blockquote'), author: 'u1', authorName: 'Eve', position: 0 },
              { _id: '0b1e4a52-6666-4666-8666-000000000012', title: 'Page sœur', content: '<p>Une page ordinaire.</p>', author: 'u1', authorName: 'Eve', position: 1 }
            ]
          })
        )
      }
    })
    env = await startImportStack({}, undefined, false)
    startRss = process.memoryUsage().rss
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
    try {
      outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'html-limits' })
    } finally {
      clearInterval(sampler)
    }
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('fails each of those notes with its reason, and only them', () => {
    expect(outcome.state).toBe('done')
    const errors = outcome.report.errors.map(e => [e.app, e.item.split('/').pop(), e.reason])
    expect(errors).toEqual(
      expect.arrayContaining([
        ['blog', 'Cent mille', expect.stringMatching(/^Ce texte n’a pas été converti\u202f: son HTML imbrique des éléments sur plus de 256 niveaux\.$/)],
        ['blog', 'Imbriqué', expect.stringContaining('plus de 256 niveaux')],
        ['blog', 'Gras', expect.stringContaining('trop de travail')],
        ['wiki', 'Page profonde', expect.stringContaining('plus de 256 niveaux')]
      ])
    )
    expect(errors).toHaveLength(4)
    expect(outcome.report.apps.find(a => a.app === 'blog')?.failed).toBe(3)
    expect(outcome.report.apps.find(a => a.app === 'wiki')?.failed).toBe(1)
  })

  it('imports their siblings, a 300 kB post whole', async () => {
    const root = String(outcome.report.importFolder?.path)
    const notes = (await snapshotTree(env.admin, root)).filter(e => e.type === 'file' && e.path.endsWith('.cozy-note')).map(e => e.path)
    for (const name of ['Cent mille', 'Imbriqué', 'Gras', 'Page profonde']) expect(notes.filter(p => p.endsWith(`/${name}.cozy-note`))).toEqual([])
    const read = async (notePath: string): Promise<string> => downloadText(env.admin, String((await env.admin.statByPath(`${root}/${notePath}`))?._id))
    expect(await read('Blog/Limites/Avant.cozy-note')).toContain('Le billet d’avant.')
    expect(await read('Blog/Limites/Après.cozy-note')).toContain('Le billet d’après.')
    expect(await read('Cours et Wiki/Wiki profond/Page sœur.cozy-note')).toContain('Une page ordinaire.')
    const long = await read('Blog/Limites/Long.cozy-note')
    const paragraphs = flatPost(300_000).split('<p>').length - 1
    expect(long).toContain(`Bonjour ${paragraphs - 1} à **tous**`)
    expect(markdownDangers(long)).toEqual([])
  })

  it('keeps its memory bounded', () => {
    // The posts hold 2.5 MB of HTML; a DOM of 100,000 nested elements would take hundreds of MB.
    expect(peakRss - startRss).toBeLessThan(250 * 1024 * 1024)
  })
})
