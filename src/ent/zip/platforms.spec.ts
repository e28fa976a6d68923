// The two zip libraries behind the reader, on the same archives: yauzl (Node) and
// @zip.js/zip.js (browser) must list the same entries, give the same bytes, and turn the same
// damage into the same EntArchiveError codes, so that a preview in the browser and an import
// in the konnector agree.
import JSZip from 'jszip'
import path from 'path'
import { readFileSync } from 'fs'
import { writeZipFile, ZipStreamWriter } from '../../../test/fixtures/zip-writer'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { EntArchiveError, bytesSource, describeArchive, openArchive } from '../index'
import { nodePlatform } from './node-platform'
import { webPlatform } from './web-platform'
import { ZipPlatform } from './platform'

const TOP = '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
const MANIFEST = JSON.stringify({ 'org.entcore.blog': { version: '5.4', folder: 'Blog' } })
const POST = JSON.stringify({ _id: 'p1', title: 'post_Rentrée', content: '<p>Écrit à l’école.</p>'.repeat(400), blogId: 'b1' })
const PLATFORMS: Array<[string, ZipPlatform]> = [
  ['yauzl', nodePlatform],
  ['@zip.js/zip.js', webPlatform]
]

const tmp = temporaryDirectory()
afterAll(() => tmp.remove())
let counter = 0

async function written(fill: (zip: ZipStreamWriter) => Promise<void>, options?: Parameters<typeof writeZipFile>[2]): Promise<Uint8Array> {
  const target = path.join(tmp.dir, `${counter++}.zip`)
  await writeZipFile(target, fill, options)
  return new Uint8Array(readFileSync(target))
}

async function openError(bytes: Uint8Array, platform: ZipPlatform): Promise<EntArchiveError> {
  try {
    await openArchive(bytesSource(bytes), { platform })
  } catch (err) {
    if (err instanceof EntArchiveError) return err
    throw err
  }
  throw new Error('expected an EntArchiveError')
}

describe.each(PLATFORMS)('zips read by %s', (_library, platform) => {
  it('inflates real deflate data (a repacked archive, level 9) and checks it', async () => {
    const zip = new JSZip()
    zip.file(`${TOP}/Manifest.json`, MANIFEST)
    zip.file(`${TOP}/Blog/blog_Un`, JSON.stringify({ _id: 'b1', title: 'blog_Un', shared: [] }))
    zip.file(`${TOP}/Blog/post_Rentrée`, POST)
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } })
    const archive = await openArchive(bytesSource(bytes), { platform })
    const post = archive.file('Blog/post_Rentrée')
    expect(new TextDecoder().decode(await archive.readFile(post as NonNullable<typeof post>, 1024 * 1024))).toBe(POST)
    expect((await describeArchive(archive)).apps).toEqual([expect.objectContaining({ app: 'blog', resources: 2 })])
  })

  it('refuses an entry whose bytes fail their CRC, naming it', async () => {
    const bytes = await written(
      async zip => {
        await zip.file(`${TOP}/Manifest.json`, MANIFEST)
        await zip.file(`${TOP}/Blog/post_Rentrée`, POST)
      },
      { method: 'stored' }
    )
    // Damage one byte inside the post's text (stored: the text is in the archive as is).
    const at = Buffer.from(bytes).indexOf('Écrit à l’école') + 1
    bytes[at] ^= 0x01
    const archive = await openArchive(bytesSource(bytes), { platform })
    const post = archive.file('Blog/post_Rentrée')
    await expect(archive.readFile(post as NonNullable<typeof post>, 1024 * 1024)).rejects.toMatchObject({
      code: 'corrupt',
      message: 'Entry "1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76/Blog/post_Rentrée" fails its CRC check: the archive is damaged.'
    })
  })

  it('gives the same error codes for files that are not readable zips', async () => {
    expect(await openError(new TextEncoder().encode('bonjour, ceci n’est pas un zip\n'.repeat(100)), platform)).toMatchObject({ code: 'not-a-zip', message: 'This file is not a zip archive.' })
    expect(await openError(new Uint8Array(0), platform)).toMatchObject({ code: 'empty' })
    const whole = await written(async zip => {
      await zip.file(`${TOP}/Manifest.json`, MANIFEST)
      await zip.file(`${TOP}/Blog/post_Rentrée`, POST)
    })
    expect(await openError(whole.subarray(0, whole.length - 40), platform)).toMatchObject({ code: 'truncated' })
  })

  it('lists hostile names for the project to leave out, and decodes names the ENT way', async () => {
    const cp437 = new Uint8Array([...new TextEncoder().encode(`${TOP}/Blog/blog_`), 0x80, 0x82])
    const bytes = await written(
      async zip => {
        await zip.file(`${TOP}/Manifest.json`, MANIFEST)
        await zip.file(`${TOP}/Blog/../../evil`, 'x')
        await zip.file(`${TOP}/Blog/blog_Été’`, JSON.stringify({ _id: 'b1', title: 'blog_Été’', shared: [] }))
        await zip.file('ignored', JSON.stringify({ _id: 'b2', title: 'blog_Çé', shared: [] }), { rawName: cp437 })
      },
      { utf8Flag: 'never' }
    )
    const archive = await openArchive(bytesSource(bytes), { platform })
    expect(archive.warnings.map(w => w.code)).toEqual(['unsafe-entry-name'])
    expect(archive.files().map(f => f.path).sort()).toEqual(['Blog/blog_Çé', 'Blog/blog_Été’', 'Manifest.json'])
  })
})
