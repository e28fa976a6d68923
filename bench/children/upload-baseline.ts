/**
 * Child process, the import benchmark's baseline: reads every entry of the zip with yauzl, in
 * order, and uploads its bytes as a file to the same stand-in, one after another, with plain
 * fetch (one POST per entry, no metadata, no folders, no checks).
 * argv: COZY_URL TOKEN ARCHIVE
 */
import { Readable } from 'stream'
import yauzl from 'yauzl'
import { peakRssMiB } from './peak-rss'

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))))
}

async function main(): Promise<void> {
  const [url, token, archive] = process.argv.slice(2)
  const base = url.endsWith('/') ? url : `${url}/`
  const headers = { Authorization: `Bearer ${token}` }
  const dirRes = await fetch(`${base}files/?Type=directory&Name=baseline-${Date.now()}`, { method: 'POST', headers })
  const dirId = ((await dirRes.json()) as { data: { id: string } }).data.id
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const zip = await open(archive)
  let bytes = 0
  let items = 0
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject)
    zip.on('end', () => resolve())
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry()
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err)
        const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>
        const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(entry.uncompressedSize) }, body, duplex: 'half' }
        fetch(`${base}files/${dirId}?Type=file&Name=${items}`, init)
          .then(async res => {
            if (!res.ok) throw new Error(`upload ${entry.fileName}: ${res.status} ${await res.text()}`)
            await res.arrayBuffer()
            bytes += entry.uncompressedSize
            items++
            zip.readEntry()
          })
          .catch(reject)
      })
    })
    zip.readEntry()
  })
  zip.close()
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const used = process.cpuUsage(cpu)
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: peakRssMiB(), bytes, items }))
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
