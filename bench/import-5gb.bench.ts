/**
 * Issue 15 point 2: a ~5 GB ZIP64 ENT archive (every app; one workspace file of 4.4 GB, above
 * 4 GiB, and 599 of 1 MB, most of them stored past the 4 GiB offset) imported end to end from
 * the local archive into a fresh stand-in by the engine the konnector and the command line
 * share, against the 100 MB archive of the import benchmark imported the same way in the same
 * run. Checked after the import, in the stand-in: every item accounted for (imported, skipped,
 * not selected; none failed), and the big file's size and MD5 equal to those yauzl streams out
 * of the zip (whose CRC-32 it checks against the directory).
 *
 * Goals: peak RSS (VmHWM) of the import process ≤ 200 MiB and ≤ 1.3 × the 100 MB import's.
 * The stand-in's data folder (≈ 5 GB) is removed after each import.
 */
import { existsSync, renameSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { StackClient, type CozyFile } from '../src/import/stack/client'
import type { Benchmark, BenchMetric } from './bench'
import { startStackProcess } from './stack-process'
import { peakRssOf, runChild as child } from './child-process'

const BIG = 4_400_000_000

interface ImportResult {
  ms: number
  cpuMs: number
  maxRssMb: number
  heapMb: number
  state: string
  items: number
  imported: number
  failed: number
  notSelected: number
  skipped: number
  bytes: number
  errorCount: number
  importFolder: string | null
}

interface Digest {
  path: string
  size: number
  bytes: number
  md5: string
  crcOk: boolean
}

interface Measured {
  result: ImportResult
  stackRssMb: number
  /** Files in the import folder of the stand-in, and the largest of them. */
  files: number
  largest: CozyFile | null
}



/** Every file under a folder of the stand-in (walks the tree: a few hundred requests). */
async function filesUnder(client: StackClient, folderPath: string): Promise<CozyFile[]> {
  const root = await client.statByPath(folderPath)
  if (!root) throw new Error(`${folderPath} is not in the stand-in`)
  const out: CozyFile[] = []
  const pending = [root._id]
  while (pending.length > 0) {
    for (const item of await client.listDir(pending.pop() as string)) {
      if (item.type === 'directory') pending.push(item._id)
      else out.push(item)
    }
  }
  return out
}

async function importOnce(archive: string): Promise<Measured> {
  const stack = await startStackProcess([])
  try {
    const alice = stack.instances[0]
    const result = await child<ImportResult>('bench/children/import-scale.ts', [alice.url, alice.cliToken, archive])
    const stackRssMb = peakRssOf(stack.pid)
    if (!result.importFolder) throw new Error(`the import of ${archive} ended ${result.state} without an import folder`)
    const files = await filesUnder(new StackClient(alice.url, alice.cliToken), result.importFolder)
    const largest = files.reduce<CozyFile | null>((a, b) => (!a || Number(b.size) > Number(a.size) ? b : a), null)
    return { result, stackRssMb, files: files.length, largest }
  } finally {
    await stack.stop()
  }
}

async function ensureArchives(outDir: string, log: (m: string) => void): Promise<{ big: string; small: string }> {
  const big = path.join(outDir, 'ent-import-5gb.zip')
  const small = path.join(outDir, 'ent-import-100mb.zip')
  if (!existsSync(big) || process.env.BENCH_REGENERATE) {
    log(`generating ${big} (≈ 15 s) …`)
    // Written aside then renamed, so that an interrupted run never leaves half an archive to reuse.
    await writeEntArchive(`${big}.tmp`, { workspaceFiles: 600, workspaceFolders: 20, resourcesPerApp: 3, fileBytes: i => (i === 0 ? BIG : 1_000_000) })
    renameSync(`${big}.tmp`, big)
  }
  // The same input as the import benchmark's 100 MB case.
  if (!existsSync(small)) await writeEntArchive(small, { workspaceFiles: 200, workspaceFolders: 20, fileBytes: 500_000, resourcesPerApp: 3 })
  return { big, small }
}

/** Throws unless every item is accounted for and nothing failed. */
function checkComplete(label: string, m: Measured): void {
  const r = m.result
  const accounted = r.imported + r.skipped + r.notSelected + r.failed
  if (r.state !== 'done' || r.failed > 0 || r.errorCount > 0 || accounted !== r.items) {
    throw new Error(`${label}: import ${r.state}, ${r.items} items, ${r.imported} imported, ${r.skipped} skipped, ${r.notSelected} not selected, ${r.failed} failed (${r.errorCount} errors)`)
  }
}

export const benchmark: Benchmark = {
  name: 'import-5gb',
  description: 'ENT import of a ~5 GB ZIP64 archive (every app, one 4.4 GB file) from the local archive, vs. the 100 MB archive in the same run',
  async run({ outDir, log }) {
    const notes = [`load average at start: ${os.loadavg().map(l => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`]
    const { big, small } = await ensureArchives(outDir, log)
    log('reference digest of the largest entry (yauzl) …')
    const digest = await child<Digest>('bench/children/entry-digest.ts', [big])
    if (!digest.crcOk || digest.bytes !== BIG) throw new Error(`the largest entry of ${big} reads ${digest.bytes} bytes, CRC ${digest.crcOk ? 'ok' : 'wrong'}`)
    log('100 MB import …')
    const hundred = await importOnce(small)
    checkComplete('100 MB', hundred)
    log(`100 MB: ${(hundred.result.ms / 1000).toFixed(1)} s; 5 GB import …`)
    const five = await importOnce(big)
    checkComplete('5 GB', five)
    const bigOk = five.largest !== null && Number(five.largest.size) === BIG && five.largest.md5sum === digest.md5
    notes.push(`load average at end: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`)
    notes.push(`5 GB: ${statSync(big).size} bytes; ${five.result.items} items (${five.result.imported} imported, ${five.result.skipped} skipped, ${five.result.notSelected} not selected, ${five.result.failed} failed), ${five.files} files in the stand-in; largest ${five.largest?.name} ${five.largest?.size} bytes md5 ${five.largest?.md5sum} (zip: ${digest.path}, md5 ${digest.md5})`)
    notes.push(`100 MB: ${statSync(small).size} bytes; ${hundred.result.items} items, ${hundred.files} files in the stand-in`)
    const mbps = (m: Measured, archive: string): number => statSync(archive).size / 1e6 / (m.result.ms / 1000)
    const metrics: BenchMetric[] = [
      { name: '100mb: import wall', value: hundred.result.ms / 1000, unit: 's' },
      { name: '100mb: throughput (archive bytes)', value: mbps(hundred, small), unit: 'MB/s' },
      { name: '100mb: import peak RSS', value: hundred.result.maxRssMb, unit: 'MiB', goal: { max: 200 } },
      { name: '5gb: import wall', value: five.result.ms / 1000, unit: 's' },
      { name: '5gb: import CPU (user + system)', value: five.result.cpuMs / 1000, unit: 's' },
      { name: '5gb: throughput (archive bytes)', value: mbps(five, big), unit: 'MB/s' },
      { name: '5gb: import peak RSS', value: five.result.maxRssMb, unit: 'MiB', goal: { max: 200 } },
      { name: '5gb: import peak heap (sampled)', value: five.result.heapMb, unit: 'MiB' },
      { name: '5gb: stand-in peak RSS (not counted)', value: five.stackRssMb, unit: 'MiB' },
      { name: 'peak RSS 5 GB / 100 MB', value: five.result.maxRssMb / hundred.result.maxRssMb, unit: 'x', goal: { max: 1.3 } },
      { name: 'throughput 5 GB / 100 MB', value: mbps(five, big) / mbps(hundred, small), unit: 'x' },
      { name: '5gb: every item accounted, 4.4 GB file size + MD5 right (1 = yes)', value: bigOk ? 1 : 0, unit: '', goal: { min: 1 } }
    ]
    return { metrics, notes }
  }
}
