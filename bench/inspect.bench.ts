/**
 * `mes-donnees inspect` on a generated 1 GB ENT archive of about 20,000 entries (issue 3:
 * under 2 s and under 150 MB). Measured three ways, each in a fresh process: the reader's
 * own work (open + describeArchive), the whole command line as a user runs it (including
 * tsx start-up), and a baseline that only lists the central directory with yauzl.
 */
import { execFile } from 'child_process'
import { existsSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { Benchmark } from './bench'
import { TSX_NODE_ARGS } from './child-process'

const ROOT = path.resolve(__dirname, '..')
const WORKSPACE_FILES = 19_600
const FILE_BYTES = 54_000

function runNode(args: string[]): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.join(' ')} failed: ${stderr || error.message}`))
      else resolve({ stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 })
    })
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

export const benchmark: Benchmark = {
  name: 'inspect-1gb',
  description: 'inspect on a generated 1 GB archive with ~20,000 entries (all apps, shuffled, Java layout)',
  async run({ outDir, log }) {
    const archive = path.join(outDir, 'ent-1gb-20k.zip')
    if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
      log(`generating ${archive} …`)
      const started = Date.now()
      const summary = await writeEntArchive(archive, { workspaceFiles: WORKSPACE_FILES, workspaceFolders: 200, fileBytes: FILE_BYTES, resourcesPerApp: 2 })
      log(`generated ${summary.entries} entries, ${summary.bytes} bytes in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    }
    const size = statSync(archive).size
    const runs = 5
    const load = os.loadavg()[0]
    const reader: Array<{ ms: number; cpuMs: number; maxRssMb: number; resources: number }> = []
    const cli: number[] = []
    const cliCpu: number[] = []
    const cliRss: number[] = []
    const baseline: Array<{ ms: number; cpuMs: number; maxRssMb: number; entries: number }> = []
    for (let i = 0; i < runs; i++) {
      baseline.push(JSON.parse((await runNode([...TSX_NODE_ARGS, 'bench/children/yauzl-list.ts', archive])).stdout))
      reader.push(JSON.parse((await runNode([...TSX_NODE_ARGS, 'bench/children/inspect-in-process.ts', archive])).stdout))
      // The command line as users run it; /usr/bin/time reports its peak RSS.
      const timed = await new Promise<{ ms: number; cpuMs: number; rssKb: number }>((resolve, reject) => {
        const started = process.hrtime.bigint()
        execFile('/usr/bin/time', ['-f', '%U %S %M', process.execPath, 'bin/mes-donnees.js', 'inspect', archive, '--json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
          if (error) reject(error)
          else {
            const [user, system, rssKb] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
            resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, cpuMs: (user + system) * 1000, rssKb })
          }
        })
      })
      cli.push(timed.ms)
      cliCpu.push(timed.cpuMs)
      cliRss.push(timed.rssKb / 1024)
    }
    const readerMs = median(reader.map(r => r.ms))
    const baselineMs = median(baseline.map(b => b.ms))
    return {
      metrics: [
        { name: 'reader: open + describeArchive (median)', value: readerMs, unit: 'ms', goal: { max: 2000 } },
        { name: 'reader: open + describeArchive (best)', value: Math.min(...reader.map(r => r.ms)), unit: 'ms', goal: { max: 2000 } },
        { name: 'reader: CPU time, user + system (median)', value: median(reader.map(r => r.cpuMs)), unit: 'ms' },
        { name: 'reader: peak RSS (process)', value: Math.max(...reader.map(r => r.maxRssMb)), unit: 'MiB', goal: { max: 150 } },
        { name: 'mes-donnees inspect --json (wall, with start-up)', value: median(cli), unit: 'ms' },
        { name: 'mes-donnees inspect --json (CPU, with start-up)', value: median(cliCpu), unit: 'ms' },
        { name: 'mes-donnees inspect --json (peak RSS)', value: Math.max(...cliRss), unit: 'MiB', goal: { max: 150 } },
        { name: 'baseline: yauzl lists the central directory', value: baselineMs, unit: 'ms' },
        { name: 'baseline: CPU time (median)', value: median(baseline.map(b => b.cpuMs)), unit: 'ms' },
        { name: 'baseline: peak RSS', value: Math.max(...baseline.map(b => b.maxRssMb)), unit: 'MiB' },
        { name: 'ratio reader / baseline', value: readerMs / baselineMs, unit: 'x' }
      ],
      notes: [
        `archive ${size} bytes, ${baseline[0].entries} entries, ${reader[0].resources} resources; ${runs} runs, each in a fresh Node process`,
        `load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs (other work on the machine inflates wall times)`
      ]
    }
  }
}
