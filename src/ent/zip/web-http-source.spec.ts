// The browser's Range reader (fetch) against a real server on 127.0.0.1, as the page reads a zip
// already in the Drive: the genuine sample must open through it with the browser's zip library,
// reading only ranges, and a server that ignores Range or refuses the token must be handled.
import { readFileSync } from 'fs'
import http from 'http'
import { AddressInfo } from 'net'
import { REAL_SAMPLE } from '../../../test/fixtures/real-sample'
import { describeArchive, EntArchive, EntArchiveError, bytesSource } from '../index'
import { webPlatform } from './web-platform'
import { webHttpSource } from './web-http-source'

interface Served {
  url: string
  stats: { requests: number; bytes: number; authorizations: string[] }
  close: () => Promise<void>
}

/** Serves `bytes`, honouring Range unless `ranges` is false; 401 without the right token. */
function serve(bytes: Buffer, options: { ranges: boolean; token?: string }): Promise<Served> {
  const stats = { requests: 0, bytes: 0, authorizations: [] as string[] }
  const server = http.createServer((req, res) => {
    stats.requests++
    stats.authorizations.push(String(req.headers.authorization ?? ''))
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401).end()
      return
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''))
    if (!options.ranges || !range) {
      stats.bytes += bytes.length
      res.writeHead(200, { 'Content-Length': bytes.length }).end(bytes)
      return
    }
    const first = Number(range[1])
    const last = Math.min(Number(range[2]), bytes.length - 1)
    stats.bytes += last - first + 1
    res.writeHead(206, { 'Content-Range': `bytes ${first}-${last}/${bytes.length}`, 'Content-Length': last - first + 1 })
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

const sample = readFileSync(REAL_SAMPLE)

describe('browser HTTP Range source (fetch)', () => {
  it('opens the genuine sample with zip.js as from memory, sending the token with every range', async () => {
    const served = await serve(sample, { ranges: true, token: 's3cret' })
    try {
      const local = await EntArchive.open(bytesSource(new Uint8Array(sample)), { platform: webPlatform })
      const expected = await describeArchive(local)
      await local.close()
      const remote = await EntArchive.open(webHttpSource(served.url, sample.length, 'Bearer s3cret', 'sample.zip'), { platform: webPlatform })
      expect(await describeArchive(remote)).toEqual(expected)
      const image = remote.file('Espace documentaire/Documents ajoutes dans les applis/small.jpeg')
      expect((await remote.readFile(image as NonNullable<typeof image>, 4096)).length).toBe(643)
      await remote.close()
      expect(served.stats.authorizations.every(a => a === 'Bearer s3cret')).toBe(true)
      // Only ranges traveled: never the whole file in one answer.
      expect(served.stats.requests).toBeGreaterThan(1)
    } finally {
      await served.close()
    }
  })

  it('keeps only the asked bytes when the server ignores Range, and streams in order', async () => {
    const served = await serve(sample, { ranges: false })
    try {
      const source = webHttpSource(served.url, sample.length, null, 'sample.zip')
      expect(Buffer.from(await source.read(100, 50))).toEqual(sample.subarray(100, 150))
      // Past the end: cut to the size given.
      expect((await source.read(sample.length - 10, 100)).length).toBe(10)
      const chunks: Uint8Array[] = []
      for await (const chunk of source.stream(10, 3000)) chunks.push(chunk)
      expect(Buffer.concat(chunks)).toEqual(sample.subarray(10, 3010))
    } finally {
      await served.close()
    }
  })

  it('turns an HTTP error status into an io error', async () => {
    const served = await serve(sample, { ranges: true, token: 'right' })
    try {
      const source = webHttpSource(served.url, sample.length, 'Bearer wrong', 'sample.zip')
      await expect(source.read(0, 10)).rejects.toEqual(new EntArchiveError('io', 'The archive could not be read from the Drive (HTTP 401).'))
    } finally {
      await served.close()
    }
  })
})
