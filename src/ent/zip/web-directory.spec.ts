// The browser's own listing of plain directories (web-directory.ts) against yauzl's (Node):
// the same entries, field by field, and through each, the same bytes read by zip.js over the
// entry's one-record zip; layouts that are not plain go to zip.js's listing, as before.
import { readFileSync } from 'fs'
import path from 'path'
import { writeEntArchive } from '../../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { writeZipFile, ZipStreamWriter, type ZipWriterOptions } from '../../../test/fixtures/zip-writer'
import { bytesSource, describeArchive, openArchive } from '../index'
import { nodePlatform } from './node-platform'
import { ListedEntry, ZipPlatform } from './platform'
import { ArchiveSource, streamByReads } from './source'
import { directoryBounds, recordStarts } from './web-directory'
import { webPlatform } from './web-platform'

jest.setTimeout(60_000)

const TOP = '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
const MANIFEST = JSON.stringify({ 'org.entcore.blog': { version: '5.4', folder: 'Blog' } })
const tmp = temporaryDirectory()
afterAll(() => tmp.remove())
let counter = 0

async function written(fill: (zip: ZipStreamWriter) => Promise<void>, options?: ZipWriterOptions): Promise<Uint8Array> {
  const target = path.join(tmp.dir, `${counter++}.zip`)
  await writeZipFile(target, fill, options)
  return new Uint8Array(readFileSync(target))
}

/** `bytes` preceded by `gap` zero bytes that are never stored: an archive past 4 GiB in a few KB. */
function sparseSource(gap: number, bytes: Uint8Array): ArchiveSource {
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const end = Math.min(gap + bytes.length, offset + length)
    const out = new Uint8Array(Math.max(0, end - offset))
    for (let at = Math.max(offset, gap); at < end; at++) out[at - offset] = bytes[at - gap]
    return out
  }
  return { size: gap + bytes.length, description: 'sparse', read, stream: (offset, length) => streamByReads({ read }, offset, length), close: async () => undefined }
}

async function listing(source: ArchiveSource, platform: ZipPlatform): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = []
  for await (const entry of (await platform.open(source)).entries()) out.push(comparable(entry))
  return out
}

const comparable = (entry: ListedEntry): Record<string, unknown> => ({ ...entry, rawName: Buffer.from(entry.rawName).toString('hex'), modified: entry.modified.toISOString() })

/** Whether the web platform lists `source` itself (true) or leaves it to zip.js. */
async function listedPlainly(source: ArchiveSource): Promise<boolean> {
  const tailStart = Math.max(0, source.size - 65_558)
  const bounds = directoryBounds(await source.read(tailStart, source.size - tailStart), tailStart)
  return !!bounds && recordStarts(await source.read(bounds.offset, bounds.length), bounds.count) !== null
}

/** Both platforms: the same listing, the same description, the same bytes for every file. */
async function expectAgreement(source: ArchiveSource): Promise<void> {
  expect(await listing(source, webPlatform)).toEqual(await listing(source, nodePlatform))
  const web = await openArchive(source, { platform: webPlatform })
  const node = await openArchive(source, { platform: nodePlatform })
  expect(await describeArchive(web)).toEqual(await describeArchive(node))
  for (const file of node.files()) {
    const bytes = await web.readFile(file, 1024 * 1024)
    expect([file.path, Buffer.from(bytes).toString('hex')]).toEqual([file.path, Buffer.from(await node.readFile(file, 1024 * 1024)).toString('hex')])
  }
}

async function blogArchive(options: ZipWriterOptions = {}, extra: (zip: ZipStreamWriter) => Promise<void> = async () => undefined): Promise<Uint8Array> {
  return written(async zip => {
    await zip.file(`${TOP}/Manifest.json`, MANIFEST)
    await zip.file(`${TOP}/Blog/`, '')
    await zip.file(`${TOP}/Blog/blog_Été’`, JSON.stringify({ _id: 'b1', title: 'blog_Été’', shared: [] }), { modified: new Date('2026-04-01T15:50:31Z') })
    await zip.file(`${TOP}/Blog/post_Rentrée`, JSON.stringify({ _id: 'p1', title: 'post', blogId: 'b1', content: '<p>x</p>'.repeat(2000) }))
    await extra(zip)
  }, options)
}

describe('the browser lists plain directories itself, as yauzl does', () => {
  it('a generated ENT export, every app', async () => {
    const target = path.join(tmp.dir, 'ent.zip')
    await writeEntArchive(target, { workspaceFiles: 30, resourcesPerApp: 2 })
    const source = bytesSource(new Uint8Array(readFileSync(target)))
    expect(await listedPlainly(source)).toBe(true)
    await expectAgreement(source)
  })

  it('ZIP64 extra fields on every record, names without the UTF-8 flag', async () => {
    const source = bytesSource(await blogArchive({ forceZip64Extras: true, utf8Flag: 'never' }))
    expect(await listedPlainly(source)).toBe(true)
    await expectAgreement(source)
  })

  it('65,535 entries and more (ZIP64 end records)', async () => {
    const source = bytesSource(
      await blogArchive({ method: 'stored' }, async zip => {
        for (let i = 0; i < 65_600; i++) await zip.file(`${TOP}/Blog/Documents/d${i}`, String(i))
      })
    )
    expect(await listedPlainly(source)).toBe(true)
    const listed = await listing(source, webPlatform)
    expect(listed).toHaveLength(65_604)
    expect(listed).toEqual(await listing(source, nodePlatform))
  })

  it('entries past 4 GiB: read through ZIP64 one-record zips', async () => {
    const gap = 4.5 * 2 ** 30
    const source = sparseSource(gap, await blogArchive({ startOffset: gap }))
    expect(await listedPlainly(source)).toBe(true)
    await expectAgreement(source)
  })

  it('leaves other layouts to zip.js: data before the zip, an end record away from the directory', async () => {
    const zip = await blogArchive()
    const prepended = new Uint8Array(1000 + zip.length)
    prepended.set(zip, 1000)
    expect(await listedPlainly(bytesSource(prepended))).toBe(false)
    // zip.js finds the entries 1,000 bytes further (yauzl does not: no agreement to check).
    const archive = await openArchive(bytesSource(prepended), { platform: webPlatform })
    expect((await describeArchive(archive)).apps).toEqual([expect.objectContaining({ app: 'blog', resources: 2 })])
    const twice = new Uint8Array(zip.length + 22)
    twice.set(zip)
    twice.set(zip.subarray(zip.length - 22), zip.length)
    expect(await listedPlainly(bytesSource(twice))).toBe(false)
  })
})
