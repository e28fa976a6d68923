/** Child process: opens and describes an archive, then prints the time and the peak RSS. */
// First, as the command line and the konnector do: the heap bounded before the other modules load.
import '../../src/import/bound-heap'
import { describeArchive, openArchiveFile } from '../../src/ent/node'
import { peakRssMiB } from './peak-rss'

async function main(): Promise<void> {
  const started = process.hrtime.bigint()
  const archive = await openArchiveFile(process.argv[2])
  const description = await describeArchive(archive)
  await archive.close()
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const resources = description.apps.reduce((n, a) => n + a.resources, 0)
  const cpu = process.cpuUsage()
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: peakRssMiB(), resources, warnings: description.warnings.length }))
}

void main()
