/**
 * The job's time runs out in the middle of a long post: the import pauses before that post
 * (nothing of it written, nothing failed), and the next run converts it from the start, so
 * every post ends imported once.
 */
import path from 'path'
import { writeEntArchive } from '../../fixtures/ent-archive'
import { flatPost } from '../../fixtures/html-cases'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport } from '../../../src/import/engine'
import { snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(120_000)

const BLOG_ID = '0b1e4a52-7777-4777-8777-000000000001'
const post = (id: string, title: string, content: string): string =>
  JSON.stringify({ _id: `0b1e4a52-7777-4777-8777-${id}`, title, content, state: 'PUBLISHED', author: { userId: 'u1', username: 'Eve' }, blog: { $ref: 'blogs', $id: BLOG_ID } })

describe('the time budget inside one long post', () => {
  const tmp = temporaryDirectory('ent-import-time-budget-')
  let env: ImportStack
  let archive: string

  beforeAll(async () => {
    archive = path.join(tmp.dir, 'budget.zip')
    await writeEntArchive(archive, {
      apps: ['blog'],
      extra: async (zip, top) => {
        await zip.file(`${top}/Blog/blog_Budget`, JSON.stringify({ _id: BLOG_ID, title: 'blog_Budget', author: { userId: 'u1', username: 'Eve' }, shared: [] }))
        await zip.file(`${top}/Blog/post_Long`, post('000000000002', 'Long', flatPost(200_000)))
        await zip.file(`${top}/Blog/post_Court`, post('000000000003', 'Court', '<p>Un billet court.</p>'))
      }
    })
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('pauses with nothing failed, then imports every post once', async () => {
    const first = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'budget', deadline: Date.now() - 1 })
    expect(first.state).toBe('paused')
    expect(first.report.apps.reduce((n, a) => n + a.failed, 0)).toBe(0)
    const second = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'budget' })
    expect(second.state).toBe('done')
    expect(second.report.apps.reduce((n, a) => n + a.failed, 0)).toBe(0)
    const root = String(second.report.importFolder?.path)
    const notes = (await snapshotTree(env.admin, root)).filter(e => e.type === 'file' && e.path.includes('/Blog/')).map(e => e.path.split('/').pop())
    expect(notes.filter(n => n?.startsWith('Long'))).toEqual(['Long.cozy-note'])
    expect(notes.filter(n => n?.startsWith('Court'))).toEqual(['Court.cozy-note'])
  })
})
