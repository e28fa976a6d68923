/**
 * Child process of the scale benchmark: one import of a local archive with the engine the
 * konnector and the command line share, sampling its heap as it goes (the peak RSS alone does
 * not say whether the heap or buffers grew). Prints time, peak RSS, peak heap and the ledger's
 * totals (every item accounted: imported, skipped, not selected, failed).
 * argv: COZY_URL TOKEN ARCHIVE
 */
// First, as the command line and the konnector do: the heap bounded before the other modules load.
import '../../src/import/bound-heap'
import { runImport } from '../../src/import/engine'
import { StackClient } from '../../src/import/stack/client'
import { peakRssMiB } from './peak-rss'

async function main(): Promise<void> {
  const [url, token, archive] = process.argv.slice(2)
  let heapMb = 0
  const sampler = setInterval(() => (heapMb = Math.max(heapMb, process.memoryUsage().heapUsed / 1048576)), 200)
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const outcome = await runImport({ client: new StackClient(url, token), archive: { kind: 'file', path: archive }, importId: `bench-${Date.now()}` })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  clearInterval(sampler)
  const used = process.cpuUsage(cpu)
  const sum = (key: 'items' | 'imported' | 'failed' | 'notSelected' | 'skipped' | 'bytes'): number => outcome.report.apps.reduce((n, a) => n + a[key], 0)
  process.stdout.write(
    JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: peakRssMiB(), heapMb, state: outcome.state, items: sum('items'), imported: sum('imported'), failed: sum('failed'), notSelected: sum('notSelected'), skipped: sum('skipped'), bytes: sum('bytes'), errorCount: outcome.record.errorCount, importFolder: outcome.record.importFolder?.path ?? null })
  )
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
