/**
 * ZIP64 end to end: a generated ENT archive of about 4.5 GB whose largest workspace file is
 * above 4 GiB (ZIP64 sizes, offsets and end records, as Java writes them). Opens it, streams
 * that entry out through the reader (inflate + CRC) and compares with reading as many bytes
 * straight from the file. Peak memory must stay flat whatever the entry size.
 */
import { existsSync, statSync } from 'fs'
import path from 'path'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { Benchmark } from './bench'
import { runChild } from './child-process'

const BIG = 4_400_000_000

function child([script, ...args]: string[]): Promise<Record<string, number | string>> {
  return runChild(script, args)
}

export const benchmark: Benchmark = {
  name: 'zip64-4gib-entry',
  description: 'stream a 4.4 GB workspace file out of a ~4.5 GB ZIP64 ENT archive',
  async run({ outDir, log }) {
    const archive = path.join(outDir, 'ent-zip64-4gib.zip')
    if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
      log(`generating ${archive} …`)
      const started = Date.now()
      const summary = await writeEntArchive(archive, { apps: ['workspace', 'blog'], workspaceFiles: 20, fileBytes: i => (i === 0 ? BIG : 1_000_000) })
      log(`generated ${summary.entries} entries, ${summary.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
    const reader = await child(['bench/children/read-largest-entry.ts', archive])
    const baseline = await child(['bench/children/read-file-range.ts', archive, String(reader.bytes)])
    if (reader.bytes !== BIG) throw new Error(`read ${reader.bytes} bytes instead of ${BIG}`)
    const readerMs = Number(reader.ms)
    const baselineMs = Number(baseline.ms)
    return {
      metrics: [
        { name: 'reader: open + stream the 4.4 GB entry', value: readerMs, unit: 'ms' },
        { name: 'reader: throughput', value: BIG / 1e6 / (readerMs / 1000), unit: 'MB/s' },
        { name: 'reader: peak RSS', value: Number(reader.maxRssMb), unit: 'MiB', goal: { max: 150 } },
        { name: 'baseline: read as many bytes from the file', value: baselineMs, unit: 'ms' },
        { name: 'baseline: peak RSS', value: Number(baseline.maxRssMb), unit: 'MiB' },
        { name: 'ratio reader / baseline', value: readerMs / baselineMs, unit: 'x' }
      ],
      notes: [`archive ${statSync(archive).size} bytes; entry ${reader.path}`]
    }
  }
}
