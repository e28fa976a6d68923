// The genuine export from entcore's tests (format notes §10), read fully. Every number below
// was counted independently with `unzip -l` and Python's zipfile/json on the sample itself.
import { readFileSync } from 'fs'
import { REAL_SAMPLE } from '../../test/fixtures/real-sample'
import { ContentGroup, DocumentNode, EntItem, RichText, StoredBinary, describeArchive, openArchiveBlob, openArchiveFile } from './node'

const USER = '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'

async function collect(archive: Awaited<ReturnType<typeof openArchiveFile>>, app: string): Promise<EntItem[]> {
  const location = archive.apps.find(a => a.app === app)
  if (!location) throw new Error(`no ${app}`)
  const items: EntItem[] = []
  for await (const item of archive.readApp(location, w => {
    throw new Error(`unexpected warning ${w.code}: ${w.message}`)
  })) items.push(item)
  return items
}

describe('the genuine ENT sample', () => {
  it('is described with its exact export, user and per-app counts', async () => {
    const archive = await openArchiveFile(REAL_SAMPLE)
    try {
      expect(await describeArchive(archive)).toEqual({
        exportId: `1775058630583_${USER}`,
        exportedAt: '2026-04-01T15:50:30.583Z',
        user: { id: USER, name: 'Bernard Junior' },
        apps: [
          // bytes: sum of the uncompressed sizes listed by `unzip -l` under each folder.
          { app: 'scrapbook', folder: 'Cahier multimedia', version: '4.4-SNAPSHOT', items: 6, resources: 3, documents: 3, bytes: 88691 + 143233 + 82596 + 1043 + 411, shares: 0 },
          { app: 'actualites', folder: 'Actualites', version: '3.1-SNAPSHOT', items: 4, resources: 2, documents: 2, bytes: 6700 + 20121 + 247 + 21415 + 13672, shares: 0 },
          { app: 'workspace', folder: 'Espace documentaire', version: '6.14-SNAPSHOT', items: 8, resources: 8, documents: 8, bytes: 643 + 6700 + 143233 + 3252 + 82596 + 20121 + 88691 + 3659 + 7088, shares: 0 },
          { app: 'blog', folder: 'Blog', version: '5.4-SNAPSHOT', items: 6, resources: 3, documents: 3, bytes: 3659 + 3252 + 643 + 58762 + 531 + 531, shares: 0 }
        ],
        warnings: []
      })
      expect(archive.files()).toHaveLength(26) // 35 entries minus 9 directories
    } finally {
      await archive.close()
    }
  })

  it('turns the blog into two blogs and one post with prefix-free titles and resolved images', async () => {
    const archive = await openArchiveFile(REAL_SAMPLE)
    const items = await collect(archive, 'blog')
    await archive.close()
    const groups = items.filter((i): i is ContentGroup => i.type === 'group')
    expect(groups.map(g => g.title).sort()).toEqual(['Blog 1', 'Blog 2'])
    const post = items.find((i): i is RichText => i.type === 'rich-text') as RichText
    expect(post.title).toBe('Billet 1')
    expect(post.groupId).toBe('63f7f15e-b87d-47f8-ba8d-97b34306c69b')
    expect(post.state).toBe('PUBLISHED')
    expect(post.html).toContain('<strong>France</strong>')
    expect((post.prosemirror as { type: string }).type).toBe('doc')
    expect(post.author).toEqual({ entId: USER, name: 'Bernard Junior' })
    expect(post.created?.toISOString()).toBe('2026-04-01T15:47:06.173Z')
    expect(post.attachments).toEqual([
      {
        documentId: 'e65ff0e2-7e3b-4818-8b91-cb6fbff9eccc',
        file: expect.objectContaining({ path: 'Blog/Documents/Capture d’écran du 2026-04-01 17-46-57_e65ff0e2-7e3b-4818-8b91-cb6fbff9eccc.jpeg', size: 3659 }),
        name: 'Capture d’écran du 2026-04-01 17-46-57.jpeg',
        contentType: 'image/jpeg'
      }
    ])
    const binaries = items.filter((i): i is StoredBinary => i.type === 'binary')
    expect(binaries).toHaveLength(3)
    expect(binaries.every(b => b.referenced)).toBe(true)
  })

  it('rebuilds the workspace: 8 app documents, their binaries, Paris dates', async () => {
    const archive = await openArchiveFile(REAL_SAMPLE)
    const nodes = (await collect(archive, 'workspace')) as DocumentNode[]
    expect(nodes).toHaveLength(8)
    expect(nodes.every(n => n.type === 'file' && n.category === 'app-documents' && n.mine && n.parentId === null)).toBe(true)
    const small = nodes.find(n => n.name === 'small.jpeg') as DocumentNode
    expect(small.file?.path).toBe('Espace documentaire/Documents ajoutes dans les applis/small.jpeg')
    expect(small.size).toBe(643)
    expect(small.contentType).toBe('image/jpeg')
    // "2026-04-01 17:44.24.044" is Paris summer time.
    expect(small.created?.toISOString()).toBe('2026-04-01T15:44:24.044Z')
    // The binary streams out whole and passes its CRC check.
    const bytes = await archive.readFile(small.file as NonNullable<DocumentNode['file']>, 1024 * 1024)
    expect(bytes.length).toBe(643)
    await archive.close()
  })

  it('reads the scrapbook pages and the news with their threads', async () => {
    const archive = await openArchiveFile(REAL_SAMPLE)
    const scrapbook = await collect(archive, 'scrapbook')
    const news = await collect(archive, 'actualites')
    await archive.close()
    const books = scrapbook.filter((i): i is ContentGroup => i.type === 'group')
    expect(books.map(b => [b.title, b.description]).sort()).toEqual([
      ['SCrapbook 2', null],
      ['Scrapbook 1', 'Sous titre']
    ])
    const page = scrapbook.find((i): i is RichText => i.type === 'rich-text') as RichText
    expect(page.groupId).toBe('72e92e8c-c3bc-4ab0-b0ff-11ae0ed4179c')
    expect(page.html).toContain('<div>Page 1</div>')
    expect(page.attachments.map(a => a.documentId)).toEqual(['cb5d3d49-a692-476c-ab07-3cdbf6acbb48'])

    const thread = news.find((i): i is ContentGroup => i.type === 'group') as ContentGroup
    expect([thread.entId, thread.title, thread.created?.toISOString()]).toEqual(['625', 'Actu 1', '2026-04-01T15:49:39.053Z'])
    const info = news.find((i): i is RichText => i.type === 'rich-text') as RichText
    expect([info.entId, info.title, info.groupId, info.state]).toEqual(['991', 'Actu', '625', 'PUBLISHED'])
    expect((info.raw as { revisions: unknown[] }).revisions).toHaveLength(2)
    expect(info.attachments.map(a => a.file?.path)).toEqual(['Actualites/Documents/Capture d’écran du 2026-04-01 17-50-03_492f7c29-5ada-41db-aa68-f42cb9778480.jpeg'])
  })

  it('gives the same description from a Blob with the browser decompressor', async () => {
    const fromFile = await openArchiveFile(REAL_SAMPLE)
    const expected = await describeArchive(fromFile)
    await fromFile.close()
    const bytes = readFileSync(REAL_SAMPLE)
    const blob = new Blob([new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>])
    const archive = await openArchiveBlob(blob)
    expect(await describeArchive(archive)).toEqual(expected)
    // Every entry inflates through DecompressionStream and passes its CRC.
    let total = 0
    for (const file of archive.files()) total += (await archive.readFile(file, 1024 * 1024)).length
    expect(total).toBe(801875)
  })
})
