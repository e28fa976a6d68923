/**
 * Child process of the import benchmark: one import with the engine the konnector and the
 * command line share, as its own process so its peak RSS is the import's.
 * argv: COZY_URL TOKEN (file PATH | cozy FILE_ID range|copy) [CONCURRENCY]
 */
// First, as the command line and the konnector do: the heap bounded before the other modules load.
import '../../src/import/bound-heap'
import { runImport, type ArchiveInput } from '../../src/import/engine'
import { StackClient } from '../../src/import/stack/client'
import { peakRssMiB } from './peak-rss'

async function main(): Promise<void> {
  const [url, token, kind, target, access, concurrency] = process.argv.slice(2)
  const archive: ArchiveInput = kind === 'file' ? { kind: 'file', path: target } : { kind: 'cozy', fileId: target, access: access === 'copy' ? 'copy' : 'range' }
  // Made before the clock starts: it loads cozy-client (about 0.3 s of module loading), which is
  // start-up, as the engine's own modules are, and not part of the import being measured.
  const client = new StackClient(url, token)
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const outcome = await runImport({ client, archive, concurrency: concurrency ? Number(concurrency) : undefined, importId: `bench-${Date.now()}` })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const used = process.cpuUsage(cpu)
  const bytes = outcome.report.apps.reduce((n, a) => n + a.bytes, 0)
  const items = outcome.report.apps.reduce((n, a) => n + a.imported, 0)
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: peakRssMiB(), bytes, items, state: outcome.state, failed: outcome.report.errors.length }))
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
