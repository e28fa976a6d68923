/** Child process, the baseline: reads the same number of bytes straight from the file. */
import { createReadStream } from 'fs'
import { peakRssMiB } from './peak-rss'

async function main(): Promise<void> {
  const started = process.hrtime.bigint()
  const length = Number(process.argv[3])
  let bytes = 0
  for await (const chunk of createReadStream(process.argv[2], { start: 0, end: length - 1, highWaterMark: 1024 * 1024 })) bytes += (chunk as Buffer).length
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  process.stdout.write(JSON.stringify({ ms, maxRssMb: peakRssMiB(), bytes }))
}

void main()
