// Hostile and broken inputs: each gives one clear EntArchiveError, or a warning while the
// rest of the archive is still read. No entry name ever escapes the archive's namespace.
import { readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { writeEntArchive } from '../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../test/fixtures/paths'
import { writeZipFile, ZipStreamWriter } from '../../test/fixtures/zip-writer'
import { EntArchive, EntArchiveError, EntItem, RawRecord, describeArchive, openArchiveFile } from './node'

const tmp = temporaryDirectory()
afterAll(() => tmp.remove())
let counter = 0
const file = (name: string): string => path.join(tmp.dir, `${counter++}-${name}`)
const TOP = '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
const MANIFEST = JSON.stringify({ 'org.entcore.blog': { version: '5.4', folder: 'Blog' } })
const BLOG = (title: string): string => JSON.stringify({ _id: `id-${title}`, title: `blog_${title}`, shared: [] })

async function minimalExport(extra: (zip: ZipStreamWriter) => Promise<void>): Promise<string> {
  const target = file('export.zip')
  await writeZipFile(target, async zip => {
    await zip.file(`${TOP}/Manifest.json`, MANIFEST)
    await zip.file(`${TOP}/Blog/blog_Un`, BLOG('Un'))
    await extra(zip)
  })
  return target
}

async function openError(target: string): Promise<EntArchiveError> {
  try {
    const archive = await openArchiveFile(target)
    await archive.close()
  } catch (err) {
    if (err instanceof EntArchiveError) return err
    throw err
  }
  throw new Error('expected an EntArchiveError')
}

async function readAll(archive: EntArchive): Promise<EntItem[]> {
  const items: EntItem[] = []
  for (const location of archive.apps) for await (const item of archive.readApp(location)) items.push(item)
  return items
}

describe('unreadable files', () => {
  it('says "not a zip" for a text file', async () => {
    const target = file('notes.zip')
    writeFileSync(target, 'bonjour, ceci n’est pas un zip\n'.repeat(100))
    expect(await openError(target)).toMatchObject({ code: 'not-a-zip', message: 'This file is not a zip archive.' })
  })

  it('says "empty" for a zero-byte file', async () => {
    const target = file('empty.zip')
    writeFileSync(target, '')
    expect(await openError(target)).toMatchObject({ code: 'empty' })
  })

  it('says "truncated" when the end of the archive is missing', async () => {
    const { path: full } = await writeEntArchive(file('full.zip'), { apps: ['blog', 'workspace'] })
    const bytes = new Uint8Array(readFileSync(full))
    const target = file('cut.zip')
    writeFileSync(target, bytes.subarray(0, bytes.length - 300)) // cut inside the central directory
    expect(await openError(target)).toMatchObject({ code: 'truncated' })
  })

  it('says "truncated" when the central directory is cut short but the end record survives', async () => {
    const { path: full } = await writeEntArchive(file('full.zip'), { apps: ['blog'] })
    const bytes = new Uint8Array(readFileSync(full))
    const target = file('hole.zip')
    // Drop 200 bytes just before the end record: the directory now runs past it.
    const holed = new Uint8Array(bytes.length - 200)
    holed.set(bytes.subarray(0, bytes.length - 222))
    holed.set(bytes.subarray(bytes.length - 22), bytes.length - 222)
    writeFileSync(target, holed)
    expect(await openError(target)).toMatchObject({ code: 'truncated' })
  })

  it('says "encrypted" for password-protected entries', async () => {
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/blog_Secret`, BLOG('Secret'), { extraFlags: 0x1 }))
    const error = await openError(target)
    expect(error.code).toBe('encrypted')
    expect(error.message).toBe('The archive is encrypted (1 password-protected entry); ENT exports never are.')
  })

  it('says "not an ENT export" for an ordinary zip', async () => {
    const target = file('photos.zip')
    await writeZipFile(target, async zip => {
      await zip.file('vacances/plage.jpg', 'not really a jpeg')
      await zip.file('lisez-moi.txt', 'hello')
    })
    expect(await openError(target)).toMatchObject({ code: 'not-an-ent-export' })
  })
})

describe('hostile entries are left out and reported, the rest is read', () => {
  it('ignores names with "..", absolute paths, backslashes and NUL', async () => {
    const target = await minimalExport(async zip => {
      await zip.file(`${TOP}/../../etc/cron.d/evil`, 'x')
      await zip.file(`${TOP}/Blog/../../../evil`, 'x')
      await zip.file('/etc/passwd', 'x')
      await zip.file('C:/Windows/evil.bat', 'x')
      await zip.file(`${TOP}\\Blog\\blog_Evil`, BLOG('Evil'))
      await zip.file(`${TOP}/Blog/blog_Nul\0.txt`, BLOG('Nul'))
    })
    const archive = await openArchiveFile(target)
    const description = await describeArchive(archive)
    expect(description.warnings.map(w => w.code)).toEqual(Array(6).fill('unsafe-entry-name'))
    expect(description.warnings[5].message).toBe(`Entry "${TOP}/Blog/blog_Nul\\u0000.txt" ignored: NUL character in name.`)
    expect(description.apps).toEqual([{ app: 'blog', folder: 'Blog', version: '5.4', items: 1, resources: 1, documents: 0, bytes: BLOG('Un').length, shares: 0 }])
    for (const f of archive.files()) expect(f.path.split('/').every(s => s !== '..' && s !== '.' && s !== '' && !s.includes('\\') && !s.includes('\0'))).toBe(true)
    await archive.close()
  })

  it('reads the first of duplicate names and reports the others', async () => {
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/blog_Un`, BLOG('Imposteur')))
    const archive = await openArchiveFile(target)
    expect(archive.warnings).toEqual([expect.objectContaining({ code: 'duplicate-entry' })])
    const items = await readAll(archive)
    expect(items.map(i => ('title' in i ? i.title : ''))).toEqual(['Un'])
    await archive.close()
  })

  it('ignores entries declaring sizes far beyond the archive (a zip bomb)', async () => {
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/blog_Bombe`, BLOG('Bombe'), { declaredSize: 50 * 1024 ** 3 }))
    const archive = await openArchiveFile(target)
    expect(archive.warnings).toEqual([expect.objectContaining({ code: 'entry-out-of-bounds' })])
    expect(archive.warnings[0].message).toMatch(/declares 53687091200 bytes from \d+ compressed bytes, more than deflate can produce/)
    expect(archive.file('Blog/blog_Bombe')).toBeUndefined()
    await archive.close()
  })

  it('refuses, before reading anything, entries that share the same data (an amplification bomb)', async () => {
    const aliases = Array.from({ length: 39 }, (_, i) => `${TOP}/Blog/blog_Copie${i}`)
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/blog_Gros`, 'x'.repeat(100_000), { aliases }))
    const err = await openError(target)
    expect(err.code).toBe('corrupt')
    expect(err.message).toMatch(/entries overlap: an entry at offset \d+ starts inside the data of the one at offset \d+/)
  })

  it('never yields more than an entry declares, even when the directory lies within deflate ratios', async () => {
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/blog_Menteur`, BLOG('Menteur'), { declaredSize: 10 }))
    const archive = await openArchiveFile(target)
    const liar = archive.file('Blog/blog_Menteur')
    expect(liar?.size).toBe(10)
    await expect(archive.readFile(liar as NonNullable<typeof liar>, 1024)).rejects.toThrow('holds more data than the 10 bytes it declares')
    // Read through the app, the lie becomes a warning and a raw record; the other blog is read.
    const warnings: string[] = []
    const items: EntItem[] = []
    for await (const item of archive.readApp(archive.apps[0], w => warnings.push(w.code))) items.push(item)
    expect(warnings).toEqual(['unreadable-entry'])
    expect(items.map(i => i.type).sort()).toEqual(['group', 'raw'])
    await archive.close()
  })

  it('keeps a 200 MB JSON record as a raw file without parsing it', async () => {
    const target = await minimalExport(zip =>
      zip.file(
        `${TOP}/Blog/blog_Enorme`,
        (function* () {
          const encoder = new TextEncoder()
          yield encoder.encode('{"_id":"big","title":"blog_Enorme","description":"')
          const block = new Uint8Array(1024 * 1024).fill(0x61)
          for (let i = 0; i < 200; i++) yield block
          yield encoder.encode('"}')
        })()
      )
    )
    const archive = await openArchiveFile(target)
    const warnings: Array<{ code: string; message: string }> = []
    const items: EntItem[] = []
    for await (const item of archive.readApp(archive.apps[0], w => warnings.push(w))) items.push(item)
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'record-too-large', message: expect.stringContaining('"Blog/blog_Enorme" is 209715252 bytes, above the 33554432-byte limit for one JSON record') })
    ])
    const raw = items.find((i): i is RawRecord => i.type === 'raw') as RawRecord
    expect([raw.reason, raw.file?.size, raw.data]).toEqual(['record-too-large', 209715252, null])
    expect(items.filter(i => i.type === 'group')).toHaveLength(1)
    await archive.close()
  })

  it('keeps malformed JSON as a raw record and reads the rest', async () => {
    const target = await minimalExport(zip => zip.file(`${TOP}/Blog/post_Cassé`, '{"_id": "p1", "title": "post_Cassé", '))
    const archive = await openArchiveFile(target)
    const description = await describeArchive(archive)
    expect(description.warnings).toEqual([expect.objectContaining({ code: 'malformed-json', message: expect.stringContaining('"Blog/post_Cassé" is not valid JSON') })])
    expect(description.apps[0].resources).toBe(2) // the blog and the raw record
    await archive.close()
  })

  it('skips index records and SQL rows above the record cap, with a warning each', async () => {
    const { path: target } = await writeEntArchive(file('caps.zip'), { apps: ['workspace', 'actualites'], workspaceFiles: 6 })
    const archive = await openArchiveFile(target, { limits: { maxRecordBytes: 400 } })
    const description = await describeArchive(archive)
    const codes = new Set(description.warnings.map(w => w.code))
    expect(codes.has('record-too-large')).toBe(true)
    // Small SQL rows still come through.
    expect(description.apps.find(a => a.app === 'actualites')?.resources).toBeGreaterThan(0)
    await archive.close()
  })

  it('reports a Manifest that is not an object and recognises apps by content', async () => {
    const target = file('manifest-array.zip')
    await writeZipFile(target, async zip => {
      await zip.file(`${TOP}/Manifest.json`, '[1, 2, 3]')
      await zip.file(`${TOP}/Blog/blog_Un`, BLOG('Un'))
    })
    const archive = await openArchiveFile(target)
    expect(archive.warnings.map(w => w.code)).toEqual(['manifest-malformed', 'app-sniffed'])
    expect(archive.apps.map(a => [a.app, a.folder, a.detectedBy])).toEqual([['blog', 'Blog', 'content']])
    await archive.close()
  })
})

describe('entry names and zip structures', () => {
  it('decodes UTF-8 names without the UTF-8 flag, and CP437 only when the bytes are not UTF-8', async () => {
    const target = file('names.zip')
    await writeZipFile(
      target,
      async zip => {
        await zip.file(`${TOP}/Manifest.json`, MANIFEST)
        await zip.file(`${TOP}/Blog/blog_Été’`, BLOG('Été’'))
        // "Ç" and "é" in CP437 are 0x80 and 0x82, invalid as UTF-8.
        const prefix = new TextEncoder().encode(`${TOP}/Blog/blog_`)
        const cp437 = new Uint8Array(prefix.length + 2)
        cp437.set(prefix)
        cp437.set([0x80, 0x82], prefix.length)
        await zip.file('ignored', BLOG('Çé'), { rawName: cp437 })
      },
      { utf8Flag: 'never' }
    )
    const archive = await openArchiveFile(target)
    expect(archive.files().map(f => f.path).sort()).toEqual(['Blog/blog_Çé', 'Blog/blog_Été’', 'Manifest.json'])
    await archive.close()
  })

  it('reads ZIP64 archives with more than 65,535 entries', async () => {
    const target = file('many.zip')
    const { entries } = await writeZipFile(target, async zip => {
      await zip.file(`${TOP}/Manifest.json`, JSON.stringify({ 'fr.wseduc.rack': { version: '3', folder: 'Casier' } }))
      for (let i = 0; i < 70_000; i++) await zip.file(`${TOP}/Casier/f${i}`, 'x')
    })
    expect(entries).toBe(70_001)
    const archive = await openArchiveFile(target)
    expect(await describeArchive(archive)).toMatchObject({ apps: [{ app: 'rack', resources: 70_000, documents: 70_000, bytes: 70_000 }], warnings: [] })
    await archive.close()
  }, 30_000)

  it('reads ZIP64 extra fields for sizes and offsets', async () => {
    const target = file('zip64-extras.zip')
    await writeZipFile(
      target,
      async zip => {
        await zip.file(`${TOP}/Manifest.json`, MANIFEST)
        await zip.file(`${TOP}/Blog/blog_Un`, BLOG('Un'))
      },
      { forceZip64Extras: true }
    )
    const archive = await openArchiveFile(target)
    const blog = archive.file('Blog/blog_Un')
    expect(blog?.size).toBe(BLOG('Un').length)
    expect(new TextDecoder().decode(await archive.readFile(blog as NonNullable<typeof blog>, 1024))).toBe(BLOG('Un'))
    await archive.close()
  })
})
