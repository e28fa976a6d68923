import { existsSync, writeFileSync } from 'fs'
import { fileSource, nodePlatform } from '../../../ent/node'
import { REAL_SAMPLE } from '../../../../test/fixtures/real-sample'
import { temporaryDirectory } from '../../../../test/fixtures/paths'
import { writeEntArchive } from '../../../../test/fixtures/ent-archive'
import { writeZipFile } from '../../../../test/fixtures/zip-writer'
import { describeArchive, openArchiveFile } from '../../../ent/node'
import { countPreviewItems, defaultSelection, previewArchive, previewArchiveInStages, previewErrorCode, TRASH_ITEM } from './archive-preview'

async function preview(path: string) {
  return previewArchive(await fileSource(path), 'archive.zip', { platform: nodePlatform })
}

describe('previewArchive', () => {
  it('counts, after the name, the items the import will account for (the trash apart)', async () => {
    const tmp = temporaryDirectory()
    try {
      const path = `${tmp.dir}/generated.zip`
      await writeEntArchive(path, { apps: ['workspace', 'blog', 'calendar', 'conversation'], workspaceFiles: 30 })
      const archive = await openArchiveFile(path)
      const description = await describeArchive(archive)
      await archive.close()
      const staged = await previewArchiveInStages(await fileSource(path), 'generated.zip', { platform: nodePlatform })
      expect(staged.preview.items.every(i => i.items === null)).toBe(true)
      await staged.userName
      const counts = await staged.itemCounts
      for (const app of description.apps) {
        const shown = (counts.get(app.app) ?? 0) + (app.app === 'workspace' ? counts.get(TRASH_ITEM) ?? 0 : 0)
        expect([app.app, shown]).toEqual([app.app, app.items])
      }
      expect(counts.get(TRASH_ITEM)).toBeGreaterThan(0)
      // the same through an archive opened once
      const again = await openArchiveFile(path)
      expect(await countPreviewItems(again)).toEqual(counts)
      await again.close()
    } finally {
      tmp.remove()
    }
  })

  it('describes the genuine sample from its directory, Manifest and a small record', async () => {
    expect(existsSync(REAL_SAMPLE)).toBe(true)
    const result = await preview(REAL_SAMPLE)
    expect(result.exportId).toBe('1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76')
    expect(result.exportedAt?.toISOString()).toBe('2026-04-01T15:50:30.583Z')
    expect(result.userName).toBe('Bernard Junior')
    const byId = Object.fromEntries(result.items.map(i => [i.id, i]))
    expect(Object.keys(byId).sort()).toEqual(['actualites', 'blog', 'scrapbook', 'workspace'])
    // Counts straight from `unzip -l` of the sample.
    expect(byId.workspace).toMatchObject({ documents: 8, records: 1, bytes: 643 + 6700 + 143233 + 3252 + 82596 + 20121 + 88691 + 3659 + 7088 })
    expect(byId.blog).toMatchObject({ documents: 3, records: 3, bytes: 3659 + 3252 + 643 + 58762 + 531 + 531 })
    expect(byId.scrapbook).toMatchObject({ documents: 3, records: 2 })
    expect(byId.actualites).toMatchObject({ documents: 2, records: 3 })
    expect(result.totalBytes).toBe(801875 - 385)
    expect(result.archiveBytes).toBe(721213)
    // The sample is small, so its own metadata weighs: still, the binaries are never read.
    expect(result.bytesRead).toBeGreaterThan(0)
    expect(result.bytesRead).toBeLessThan(60_000)
  })

  it('puts the workspace trash apart, unticked, and reads a small part of a larger archive', async () => {
    const tmp = temporaryDirectory()
    try {
      const path = `${tmp.dir}/generated.zip`
      const summary = await writeEntArchive(path, { apps: ['workspace', 'blog', 'calendar', 'homeworks'], workspaceFiles: 40, fileBytes: 50_000, userName: 'Camille Élève' })
      const result = await preview(path)
      expect(result.userName).toBe('Camille Élève')
      const trash = result.items.find(i => i.id === TRASH_ITEM)
      const workspace = result.items.find(i => i.id === 'workspace')
      expect(trash).toMatchObject({ app: 'trash', defaultSelected: false, documents: 4 })
      const expectedWorkspace = summary.apps.find(a => a.app === 'workspace')
      expect((workspace?.documents ?? 0) + (trash?.documents ?? 0)).toBe(expectedWorkspace?.documents)
      expect(defaultSelection(result).has(TRASH_ITEM)).toBe(false)
      expect(defaultSelection(result).has('workspace')).toBe(true)
      expect(result.items.map(i => i.id)).toEqual(expect.arrayContaining(['blog', 'calendar', 'homeworks']))
      expect(result.bytesRead / result.archiveBytes).toBeLessThan(0.05)
    } finally {
      tmp.remove()
    }
  })

  it('says which problem a file that is no ENT export has', async () => {
    const tmp = temporaryDirectory()
    try {
      const path = `${tmp.dir}/holiday.zip`
      await writeZipFile(path, async zip => {
        await zip.file('photos/beach.jpg', 'not really a photo')
      })
      const err = await preview(path).catch((e: unknown) => e)
      expect(previewErrorCode(err)).toBe('not-an-ent-export')
      const text = `${tmp.dir}/notes.txt`
      writeFileSync(text, 'hello, this is not a zip at all'.repeat(10))
      expect(previewErrorCode(await preview(text).catch((e: unknown) => e))).toBe('not-a-zip')
    } finally {
      tmp.remove()
    }
  })
})
