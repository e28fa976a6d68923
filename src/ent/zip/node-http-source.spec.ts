// Reading archives over HTTP Range requests from a real server on 127.0.0.1, as the konnector
// and `mes-donnees inspect URL` read a zip stored in a Cozy (GET /files/download/:id).
import { createHash } from 'crypto'
import { readFileSync } from 'fs'
import http from 'http'
import { AddressInfo } from 'net'
import path from 'path'
import { writeEntArchive } from '../../../test/fixtures/ent-archive'
import { REAL_SAMPLE } from '../../../test/fixtures/real-sample'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { describeArchive, EntArchiveError, openArchiveFile, openArchiveUrl } from '../node'

interface Served {
  url: string
  stats: { requests: number; bytes: number }
  close: () => Promise<void>
}

/** Serves `bytes` at /files/download/zip, honouring Range unless `ranges` is false. */
function serve(bytes: Buffer, options: { ranges: boolean; token?: string }): Promise<Served> {
  const stats = { requests: 0, bytes: 0 }
  const server = http.createServer((req, res) => {
    stats.requests++
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401).end()
      return
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''))
    if (!options.ranges || !range) {
      res.writeHead(200, { 'Content-Length': bytes.length })
      stats.bytes += bytes.length
      res.end(bytes)
      return
    }
    const first = Number(range[1])
    const last = Math.min(Number(range[2]), bytes.length - 1)
    if (first >= bytes.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end()
      return
    }
    res.writeHead(206, { 'Content-Range': `bytes ${first}-${last}/${bytes.length}`, 'Content-Length': last - first + 1 })
    stats.bytes += last - first + 1
    res.end(bytes.subarray(first, last + 1))
  })
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/files/download/zip`,
        stats,
        close: () =>
          new Promise<void>(done => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

describe('HTTP Range archive source', () => {
  const tmp = temporaryDirectory()
  afterAll(() => tmp.remove())

  it('describes the genuine sample exactly as from disk, sending the token', async () => {
    const served = await serve(readFileSync(REAL_SAMPLE), { ranges: true, token: 's3cret' })
    try {
      const local = await openArchiveFile(REAL_SAMPLE)
      const expected = await describeArchive(local)
      await local.close()
      const remote = await openArchiveUrl(served.url, { headers: { Authorization: 'Bearer s3cret' } })
      expect(await describeArchive(remote)).toEqual(expected)
      const image = remote.file('Espace documentaire/Documents ajoutes dans les applis/small.jpeg')
      expect((await remote.readFile(image as NonNullable<typeof image>, 4096)).length).toBe(643)
      await remote.close()
    } finally {
      await served.close()
    }
  })

  it('describes a large archive while transferring only its directory and its JSON', async () => {
    const { path: archivePath, bytes } = await writeEntArchive(path.join(tmp.dir, 'large.zip'), { apps: ['workspace', 'blog'], workspaceFiles: 300, fileBytes: 100_000 })
    const served = await serve(readFileSync(archivePath), { ranges: true })
    try {
      const archive = await openArchiveUrl(served.url)
      const description = await describeArchive(archive)
      expect(description.apps.map(a => [a.app, a.resources])).toEqual([
        ['workspace', 300 + 3 + 6], // files, the 3 default folders, the blog's 6 app documents
        ['blog', 6]
      ])
      // The directory, the workspace index (read by the workspace and for attachment names) and the JSON records.
      expect(served.stats.bytes).toBeLessThan(bytes / 25)
      expect(served.stats.requests).toBeLessThan(30)
    } finally {
      await served.close()
    }
  })

  it('reads entries four at a time in one request each, with the bytes read from disk', async () => {
    // Mixed sizes (small resources, 100 kB and 2 MB files), shuffled as the generator lays them out.
    const { path: archivePath } = await writeEntArchive(path.join(tmp.dir, 'concurrent.zip'), { apps: ['workspace', 'blog'], workspaceFiles: 40, fileBytes: i => (i % 10 === 0 ? 2_000_000 : 100_000) })
    const served = await serve(readFileSync(archivePath), { ranges: true })
    try {
      const local = await openArchiveFile(archivePath)
      const remote = await openArchiveUrl(served.url)
      const files = remote.files()
      const opened = served.stats.requests
      const digests = new Map<string, string>()
      const next = files.slice()
      const worker = async (): Promise<void> => {
        for (let file = next.shift(); file; file = next.shift()) {
          const hash = createHash('sha1')
          for await (const chunk of remote.openFile(file)) hash.update(chunk)
          digests.set(file.path, hash.digest('hex'))
        }
      }
      await Promise.all([worker(), worker(), worker(), worker()])
      for (const file of local.files()) {
        const hash = createHash('sha1')
        for await (const chunk of local.openFile(file)) hash.update(chunk)
        expect(digests.get(file.path)).toBe(hash.digest('hex'))
      }
      // One request per entry up to 1 MiB (header and data together); two for larger ones (header, then the data streamed).
      const large = files.filter(f => f.size > 1024 * 1024).length
      expect(large).toBeGreaterThan(0)
      expect(served.stats.requests - opened).toBeLessThanOrEqual(files.length + large)
      await Promise.all([local.close(), remote.close()])
    } finally {
      await served.close()
    }
  })

  it('refuses a server without Range support instead of downloading everything', async () => {
    const served = await serve(readFileSync(REAL_SAMPLE), { ranges: false })
    try {
      await expect(openArchiveUrl(served.url)).rejects.toThrow(new EntArchiveError('io', `http://127.0.0.1:${new URL(served.url).port}/files/download/zip does not support HTTP Range requests; refusing to download the whole archive.`))
    } finally {
      await served.close()
    }
  })

  it('reports an HTTP error status in one line', async () => {
    const served = await serve(readFileSync(REAL_SAMPLE), { ranges: true, token: 'right' })
    try {
      await expect(openArchiveUrl(served.url, { headers: { Authorization: 'Bearer wrong' } })).rejects.toMatchObject({ code: 'io', message: expect.stringMatching(/HTTP 401$/) })
    } finally {
      await served.close()
    }
  })
})
