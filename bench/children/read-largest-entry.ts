/** Child process: streams the largest entry of an ENT archive out through the reader (CRC checked). */
import { openArchiveFile } from '../../src/ent/node'
import { peakRssMiB } from './peak-rss'

async function main(): Promise<void> {
  const started = process.hrtime.bigint()
  const archive = await openArchiveFile(process.argv[2])
  const largest = archive.files().reduce((a, b) => (b.size > a.size ? b : a))
  let bytes = 0
  for await (const chunk of archive.openFile(largest)) bytes += chunk.length
  await archive.close()
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  process.stdout.write(JSON.stringify({ ms, maxRssMb: peakRssMiB(), bytes, entrySize: largest.size, path: largest.path, apps: archive.apps.length }))
}

void main()
