/**
 * Child process, the import benchmark's baselines: reads every entry of the zip with yauzl, in
 * order, and uploads its bytes as a file to the same stand-in with plain fetch (one POST per
 * entry, no metadata, no folders, no checks). With CONCURRENCY 1 (the default) one upload
 * after another; with N, up to N uploads in flight, each reading its own entry as it goes, as
 * the import keeps `concurrency` (4) uploads in flight.
 * argv: COZY_URL TOKEN ARCHIVE [CONCURRENCY]
 */
import { Readable } from 'stream'
import yauzl from 'yauzl'
import { peakRssMiB } from './peak-rss'

function open(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))))
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => done(entry)
    const onEnd = (): void => done(null)
    const done = (entry: yauzl.Entry | null): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', reject)
      resolve(entry)
    }
    zip.on('entry', onEntry).on('end', onEnd).on('error', reject)
    zip.readEntry()
  })
}

async function upload(zip: yauzl.ZipFile, entry: yauzl.Entry, url: string, headers: Record<string, string>): Promise<void> {
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))))
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers: { ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(entry.uncompressedSize) }, body, duplex: 'half' }
  const res = await fetch(url, init)
  if (!res.ok) throw new Error(`upload ${entry.fileName}: ${res.status} ${await res.text()}`)
  await res.arrayBuffer()
}

async function main(): Promise<void> {
  const [url, token, archive, concurrencyArg] = process.argv.slice(2)
  const concurrency = Math.max(1, Number(concurrencyArg ?? 1))
  const base = url.endsWith('/') ? url : `${url}/`
  const headers = { Authorization: `Bearer ${token}` }
  const dirRes = await fetch(`${base}files/?Type=directory&Name=baseline-${Date.now()}`, { method: 'POST', headers })
  const dirId = ((await dirRes.json()) as { data: { id: string } }).data.id
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const zip = await open(archive)
  let bytes = 0
  let items = 0
  const inFlight = new Set<Promise<void>>()
  let failure: unknown = null
  for (let entry = await nextEntry(zip); entry && failure === null; entry = await nextEntry(zip)) {
    if (entry.fileName.endsWith('/')) continue
    const size = entry.uncompressedSize
    const p: Promise<void> = upload(zip, entry, `${base}files/${dirId}?Type=file&Name=${items++}`, headers)
      .then(() => void (bytes += size))
      .catch(err => void (failure ??= err))
      .finally(() => inFlight.delete(p))
    inFlight.add(p)
    while (inFlight.size >= concurrency) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  if (failure !== null) throw failure
  zip.close()
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const used = process.cpuUsage(cpu)
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: peakRssMiB(), bytes, items, concurrency }))
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
