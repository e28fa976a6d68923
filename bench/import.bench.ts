/**
 * The ENT import (issue 5): generated archives of about 100 MB and 1 GB imported into the
 * stand-in by the engine the konnector and the command line share, against a baseline in the
 * same run that reads every entry of the same zip (yauzl) and uploads the same bytes to the
 * same stand-in one after another. Each side runs in its own child process (its peak RSS is
 * its own); each measurement gets a fresh stand-in. For the 100 MB archive the engine also
 * reads the archive from the Cozy, by HTTP Range requests and from a temporary copy (the
 * konnector's two ways), to choose between them.
 *
 * Issue 15 point 3 adds a fair baseline: the same reading and uploading with as many uploads
 * in flight as the import (IN_FLIGHT, passed to both), against which the three ways of reading
 * the archive (local file, Cozy by Range requests, Cozy through a temporary copy) are measured.
 *
 * Goals: import time / serial baseline ≤ 1.3, each import mode / parallel baseline ≤ 1.2;
 * import peak RSS ≤ 200 MB; 1 GB RSS ≤ 1.3 × 100 MB RSS.
 * `BENCH_IMPORT_SIZES=100mb` runs only the small archive. `BENCH_IMPORT_RUNS=N` measures every
 * side N times, interleaved (baselines, local, Range, copy, then again), and reports each
 * side's median time and highest peak RSS: on a shared machine one run of each is noise.
 */
import { createReadStream, existsSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { StackClient } from '../src/import/stack/client'
import type { Benchmark, BenchMetric } from './bench'
import { cpuMsOf, runChild } from './child-process'
import { startStackProcess } from './stack-process'


interface ChildResult {
  ms: number
  cpuMs: number
  maxRssMb: number
  bytes: number
  items: number
  state?: string
  failed?: number
  /** CPU the stand-in spent during the measurement (it shares the machine's cores). */
  stackCpuMs?: number
}

/** Uploads in flight, for the import (the engine's default) and the parallel baseline alike. */
const IN_FLIGHT = 4

const SIZES = [
  { label: '100mb', workspaceFiles: 200, fileBytes: 500_000 },
  { label: '1gb', workspaceFiles: 2_000, fileBytes: 500_000 }
]

function child(script: string, args: string[]): Promise<ChildResult> {
  return runChild<ChildResult>(script, args)
}

/** One fresh stand-in instance for one measurement; the archive optionally stored in it. */
async function withStack(uploadArchive: string | null, fn: (url: string, token: string, fileId: string | null) => Promise<ChildResult>): Promise<ChildResult> {
  const stack = await startStackProcess([])
  try {
    const alice = stack.instances[0]
    let fileId: string | null = null
    if (uploadArchive) {
      const admin = new StackClient(alice.url, alice.cliToken)
      const file = await admin.uploadFile('io.cozy.files.root-dir', path.basename(uploadArchive), createReadStream(uploadArchive), { size: statSync(uploadArchive).size, contentType: 'application/zip' })
      fileId = file._id
    }
    const stackCpu = cpuMsOf(stack.pid)
    const result = await fn(alice.url, alice.cliToken, fileId)
    return { ...result, stackCpuMs: cpuMsOf(stack.pid) - stackCpu }
  } finally {
    await stack.stop()
  }
}

type Side = 'baseline' | 'parallel' | 'local' | 'range' | 'copy'

/** One measurement of every side, one after the other, each on a fresh stand-in. */
async function round(label: string, archive: string, log: (m: string) => void): Promise<Partial<Record<Side, ChildResult>>> {
  const out: Partial<Record<Side, ChildResult>> = {}
  out.baseline = await withStack(null, (url, token) => child('bench/children/upload-baseline.ts', [url, token, archive]))
  out.parallel = await withStack(null, (url, token) => child('bench/children/upload-baseline.ts', [url, token, archive, String(IN_FLIGHT)]))
  log(`${label}: baseline ${(out.baseline.ms / 1000).toFixed(1)} s, parallel baseline ${(out.parallel.ms / 1000).toFixed(1)} s, ${out.baseline.items} entries; import (local archive) …`)
  out.local = await withStack(null, (url, token) => child('bench/children/import-engine.ts', [url, token, 'file', archive, '', String(IN_FLIGHT)]))
  const accesses = label === '100mb' ? (['range', 'copy'] as const) : []
  for (const access of accesses) {
    log(`${label}: import from the Cozy (${access}) …`)
    out[access] = await withStack(archive, (url, token, fileId) => child('bench/children/import-engine.ts', [url, token, 'cozy', String(fileId), access, String(IN_FLIGHT)]))
  }
  for (const side of ['local', ...accesses] as const) {
    const r = out[side] as ChildResult
    if (r.state !== 'done' || r.failed) throw new Error(`the ${label} import (${side}) ended ${r.state} with ${r.failed} failures`)
  }
  log(`${label}: import ${((out.local.ms) / 1000).toFixed(1)} s${accesses.map(a => `, ${a} ${((out[a] as ChildResult).ms / 1000).toFixed(1)} s`).join('')}`)
  return out
}

/** Each side's median time (and CPU), highest peak RSS, over the rounds. */
function summarise(rounds: Array<Partial<Record<Side, ChildResult>>>): Partial<Record<Side, ChildResult>> {
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b)
    const mid = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }
  const out: Partial<Record<Side, ChildResult>> = {}
  for (const side of ['baseline', 'parallel', 'local', 'range', 'copy'] as const) {
    const all = rounds.map(r => r[side]).filter((r): r is ChildResult => r !== undefined)
    if (all.length === 0) continue
    out[side] = { ...all[0], ms: median(all.map(r => r.ms)), cpuMs: median(all.map(r => r.cpuMs)), stackCpuMs: median(all.map(r => r.stackCpuMs ?? NaN)), maxRssMb: Math.max(...all.map(r => r.maxRssMb)) }
  }
  return out
}

function sizeMetrics(label: string, m: Partial<Record<Side, ChildResult>>): BenchMetric[] {
  const { baseline, parallel, local } = m as Record<'baseline' | 'parallel' | 'local', ChildResult>
  const metrics: BenchMetric[] = [
    { name: `${label}: baseline (read each entry, upload in turn)`, value: baseline.ms / 1000, unit: 's' },
    { name: `${label}: parallel baseline (${IN_FLIGHT} uploads in flight)`, value: parallel.ms / 1000, unit: 's' },
    { name: `${label}: import from a local archive`, value: local.ms / 1000, unit: 's' },
    { name: `${label}: ratio import / baseline`, value: local.ms / baseline.ms, unit: 'x', goal: { max: 1.3 } },
    { name: `${label}: ratio import (local) / parallel baseline`, value: local.ms / parallel.ms, unit: 'x', goal: { max: 1.2 } },
    { name: `${label}: import peak RSS`, value: local.maxRssMb, unit: 'MiB', goal: { max: 200 } },
    { name: `${label}: baseline peak RSS`, value: baseline.maxRssMb, unit: 'MiB' },
    { name: `${label}: parallel baseline peak RSS`, value: parallel.maxRssMb, unit: 'MiB' },
    { name: `${label}: import CPU (user + system)`, value: local.cpuMs / 1000, unit: 's' },
    { name: `${label}: stand-in CPU during the import (local archive)`, value: (local.stackCpuMs ?? NaN) / 1000, unit: 's' },
    { name: `${label}: stand-in CPU during the parallel baseline`, value: (parallel.stackCpuMs ?? NaN) / 1000, unit: 's' }
  ]
  for (const access of ['range', 'copy'] as const) {
    const remote = m[access]
    if (!remote) continue
    metrics.push(
      { name: `${label}: import from the Cozy, ${access}`, value: remote.ms / 1000, unit: 's' },
      { name: `${label}: ratio (Cozy, ${access}) / baseline`, value: remote.ms / baseline.ms, unit: 'x' },
      { name: `${label}: ratio (Cozy, ${access}) / parallel baseline`, value: remote.ms / parallel.ms, unit: 'x', goal: { max: 1.2 } },
      { name: `${label}: peak RSS (Cozy, ${access})`, value: remote.maxRssMb, unit: 'MiB', goal: { max: 200 } },
      { name: `${label}: CPU (Cozy, ${access})`, value: remote.cpuMs / 1000, unit: 's' },
      { name: `${label}: stand-in CPU (Cozy, ${access})`, value: (remote.stackCpuMs ?? NaN) / 1000, unit: 's' }
    )
  }
  return metrics
}

export const benchmark: Benchmark = {
  name: 'import',
  description: 'ENT import of generated ~100 MB and ~1 GB archives into the stand-in, vs. reading every entry and uploading the same bytes, one after another and with as many uploads in flight as the import',
  async run({ outDir, log }) {
    const only = (process.env.BENCH_IMPORT_SIZES ?? '').split(',').filter(Boolean)
    const runs = Math.max(1, Number(process.env.BENCH_IMPORT_RUNS ?? 1))
    const metrics: BenchMetric[] = []
    const notes: string[] = [`load average at start: ${os.loadavg().map(l => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs; ${runs} run(s) of each side, medians`]
    const rss: Record<string, number> = {}
    for (const size of SIZES.filter(s => only.length === 0 || only.includes(s.label))) {
      const archive = path.join(outDir, `ent-import-${size.label}.zip`)
      if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
        log(`generating ${archive} …`)
        await writeEntArchive(archive, { workspaceFiles: size.workspaceFiles, workspaceFolders: 20, fileBytes: size.fileBytes, resourcesPerApp: 3 })
      }
      const bytes = statSync(archive).size
      const rounds: Array<Partial<Record<Side, ChildResult>>> = []
      for (let k = 0; k < runs; k++) rounds.push(await round(size.label, archive, log))
      const summary = summarise(rounds)
      const local = summary.local as ChildResult
      rss[size.label] = local.maxRssMb
      metrics.push(...sizeMetrics(size.label, summary))
      notes.push(`${size.label}: ${bytes} bytes, ${(summary.baseline as ChildResult).items} zip entries; the import wrote ${local.items} items (${local.bytes} bytes: files, notes, .eml, .ics…)`)
      notes.push(`${size.label}: times per run (s): ${(['baseline', 'parallel', 'local', 'range', 'copy'] as const).filter(side => summary[side]).map(side => `${side} ${rounds.map(r => ((r[side] as ChildResult).ms / 1000).toFixed(1)).join('/')}`).join(', ')}`)
    }
    notes.push(`load average at end: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`)
    if (rss['100mb'] && rss['1gb']) metrics.push({ name: 'peak RSS 1 GB / 100 MB', value: rss['1gb'] / rss['100mb'], unit: 'x', goal: { max: 1.3 } })
    return { metrics, notes }
  }
}
