// An archive stored in a Cozy copied to disk while the import reads it, against a real server
// on 127.0.0.1 whose whole-file answer is slowed down or cut, as a Cozy's may be.
import { createHash } from 'crypto'
import { existsSync, readFileSync } from 'fs'
import http from 'http'
import { AddressInfo } from 'net'
import path from 'path'
import { writeEntArchive } from '../../../test/fixtures/ent-archive'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { describeArchive, EntArchive, openArchiveDownloading, openArchiveFile } from '../node'
import { downloadingSource } from './node-download-source'

interface Served {
  url: string
  /** Range requests other than the whole-file one. */
  ranges: () => number
  /** Lets the whole-file answer send `bytes` more (it waits for this when `paced`). */
  release: (bytes: number) => void
  close: () => Promise<void>
}

/** Serves `bytes` with Range; the request for the whole file is paced by release() and may be cut after `cutAt` bytes. */
function serve(bytes: Buffer, options: { paced: boolean; cutAt?: number }): Promise<Served> {
  let ranges = 0
  let allowance = options.paced ? 0 : Infinity
  let wake: (() => void) | null = null
  const server = http.createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''))
    if (!m) return void res.writeHead(400).end()
    const first = Number(m[1])
    const last = Math.min(Number(m[2]), bytes.length - 1)
    res.writeHead(206, { 'Content-Range': `bytes ${first}-${last}/${bytes.length}`, 'Content-Length': last - first + 1 })
    const whole = first === 0 && last === bytes.length - 1 && bytes.length > 1
    if (!whole) {
      if (last > 0) ranges++
      return void res.end(bytes.subarray(first, last + 1))
    }
    void (async () => {
      let sent = 0
      while (sent < bytes.length) {
        if (options.cutAt !== undefined && sent >= options.cutAt) return void res.destroy()
        while (allowance <= 0) await new Promise<void>(resolve => (wake = resolve))
        const part = Math.min(64 * 1024, bytes.length - sent, allowance, (options.cutAt ?? Infinity) - sent)
        allowance -= part
        if (!res.write(bytes.subarray(sent, sent + part))) await new Promise(resolve => res.once('drain', resolve))
        sent += part
      }
      res.end()
    })()
  })
  return new Promise(resolve => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/files/download/zip`,
        ranges: () => ranges,
        release: n => {
          allowance += n
          wake?.()
        },
        close: () =>
          new Promise<void>(done => {
            allowance = Infinity
            wake?.()
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

async function digests(archive: EntArchive): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const file of archive.files()) {
    const hash = createHash('sha1')
    for await (const chunk of archive.openFile(file)) hash.update(chunk)
    out.set(file.path, hash.digest('hex'))
  }
  return out
}

describe('an archive read while it is copied', () => {
  const tmp = temporaryDirectory()
  let archivePath = ''
  let bytes: Buffer
  let expected: { description: unknown; digests: Map<string, string> }
  beforeAll(async () => {
    archivePath = (await writeEntArchive(path.join(tmp.dir, 'source.zip'), { apps: ['workspace', 'blog'], workspaceFiles: 60, fileBytes: i => (i % 20 === 0 ? 3_000_000 : 150_000) })).path
    bytes = readFileSync(archivePath)
    const local = await openArchiveFile(archivePath)
    expected = { description: await describeArchive(local), digests: await digests(local) }
    await local.close()
  })
  afterAll(() => tmp.remove())

  it('reads what is ahead of the copy by Range requests, then only from the copy, which ends equal to the original', async () => {
    const served = await serve(bytes, { paced: true })
    const copy = path.join(tmp.dir, 'paced.zip')
    try {
      // Nothing copied yet: the directory at the end comes by Range requests.
      const archive = await openArchiveDownloading(served.url, copy)
      expect(served.ranges()).toBeGreaterThan(0)
      served.release(bytes.length)
      expect(await describeArchive(archive)).toEqual(expected.description)
      expect(await digests(archive)).toEqual(expected.digests)
      const before = served.ranges()
      expect(await digests(archive)).toEqual(expected.digests)
      expect(served.ranges()).toBe(before)
      await archive.close()
      expect(readFileSync(copy).equals(bytes)).toBe(true)
    } finally {
      await served.close()
    }
  })

  it('waits for the copy when a read is just ahead of it, streaming as it arrives', async () => {
    const served = await serve(bytes, { paced: true })
    const source = await downloadingSource(served.url, path.join(tmp.dir, 'waiting.zip'))
    try {
      const reading = (async () => {
        const hash = createHash('sha1')
        for await (const chunk of source.stream(1000, 2_000_000)) hash.update(chunk)
        return hash.digest('hex')
      })()
      const asked = served.ranges()
      for (let k = 0; k < 40; k++) {
        served.release(64 * 1024)
        await new Promise(resolve => setTimeout(resolve, 2))
      }
      served.release(bytes.length)
      expect(await reading).toBe(createHash('sha1').update(new Uint8Array(bytes.subarray(1000, 2_001_000))).digest('hex'))
      expect(served.ranges()).toBe(asked)
      expect(source.progress().failure).toBeNull()
    } finally {
      await source.close()
      await served.close()
    }
  })

  it('reads the rest by Range requests when the download is cut half-way', async () => {
    const served = await serve(bytes, { paced: false, cutAt: Math.floor(bytes.length / 2) })
    try {
      const archive = await openArchiveDownloading(served.url, path.join(tmp.dir, 'cut.zip'))
      expect(await describeArchive(archive)).toEqual(expected.description)
      expect(await digests(archive)).toEqual(expected.digests)
      await archive.close()
    } finally {
      await served.close()
    }
  })

  it('stops the download when closed before the end, and refuses a copy path that exists', async () => {
    const served = await serve(bytes, { paced: true })
    const copy = path.join(tmp.dir, 'closed.zip')
    try {
      const source = await downloadingSource(served.url, copy)
      served.release(100_000)
      await source.close()
      expect(existsSync(copy)).toBe(true)
      expect(readFileSync(copy).length).toBeLessThan(bytes.length)
      await expect(downloadingSource(served.url, copy)).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('Cannot create the copy') })
    } finally {
      await served.close()
    }
  })
})
