/**
 * The preview tells of the ENT shares the import will keep: the same resources the planner
 * gives a share (each becomes a pending share), with the same recipients, per app.
 */
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive } from '../../../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../../../test/fixtures/paths'
import { openArchiveFile, type EntArchive } from '../../../ent/node'
import { importOrder } from '../../../import/engine'
import { Planner } from '../../../import/plan'
import { readPreviewContents } from './archive-preview'
import { summarizeShares } from './shares'
import { TRASH_ITEM } from './items'

/** Per app: how many planned operations carry a share, and to whom (`kind:entId`). */
async function plannedShares(archive: EntArchive, includeTrash: boolean): Promise<Map<string, { items: number; recipients: Set<string> }>> {
  const planner = new Planner({ archive, includeTrash })
  const byApp = new Map<string, { items: number; recipients: Set<string> }>()
  for (const location of importOrder(archive.apps)) {
    planner.startApp(location)
    const ops = []
    for await (const item of archive.readApp(location)) ops.push(...planner.plan(item))
    ops.push(...planner.finishApp())
    for (const op of ops) {
      if (!op.share) continue
      const entry = byApp.get(location.app) ?? { items: 0, recipients: new Set<string>() }
      entry.items++
      for (const grant of op.share.grants) entry.recipients.add(`${grant.kind}:${grant.entId}`)
      byApp.set(location.app, entry)
    }
  }
  return byApp
}

describe('the ENT shares in the preview', () => {
  const tmp = temporaryDirectory('ent-preview-shares-')
  let archive: EntArchive
  afterAll(async () => {
    await archive?.close()
    tmp.remove()
  })

  it('counts the resources the import keeps as pending shares, app by app, with their recipients', async () => {
    const file = path.join(tmp.dir, 'all.zip')
    await writeEntArchive(file, { apps: [...ALL_FIXTURE_APPS], workspaceFiles: 30, userName: 'Léa Moreau' })
    archive = await openArchiveFile(file)
    const { shares } = await readPreviewContents(archive)
    const planned = await plannedShares(archive, false)
    expect(planned.size).toBeGreaterThan(3)
    const shown = new Map([...shares].filter(([id]) => id !== TRASH_ITEM).map(([id, entry]) => [id, { items: entry.items, recipients: new Set(entry.recipients.keys()) }]))
    expect(shown).toEqual(planned)

    // Ticked apps only, recipients counted once across apps.
    const every = new Set(shares.keys())
    const all = summarizeShares(shares, every)
    const recipients = new Set([...shares.values()].flatMap(entry => [...entry.recipients.keys()]))
    expect(all.items).toBe([...shares.values()].reduce((sum, entry) => sum + entry.items, 0))
    expect(all.users + all.groups).toBe(recipients.size)
    expect(all.groups).toBe([...recipients].filter(key => key.startsWith('group:')).length)
    const blogOnly = summarizeShares(shares, new Set(['blog']))
    expect(blogOnly.items).toBe(planned.get('blog')?.items)
    expect(summarizeShares(shares, new Set()).items).toBe(0)
  })
})
