/**
 * Issue 15, point 1: memory bounded by a constant, not by counts. `inspect` and `import` of an
 * archive of 70,000 entries (small workspace files, each with its binary) and of one whose
 * workspace index holds 1,000,000 records (binaries mostly missing, so the cost is in the
 * records), each against the same archive at 1,000 items, the per-item time compared.
 * Generators: bench/scale-archives.ts (streamed to bench/out/, reused across runs).
 *
 * Every measurement runs in a fresh child process (its peak RSS is its own); each import gets
 * a fresh stand-in in its own process, whose peak RSS (VmHWM) is reported beside, not counted.
 * Goals: peak RSS ≤ 200 MB (MiB) for every inspect and import; time per item of the large
 * archive ≤ 1.2 × that of the 1,000-item one.
 * `BENCH_SCALE_CASES=files,index` and `BENCH_SCALE_STEPS=inspect,import` pick a subset.
 */
import { existsSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import type { Benchmark, BenchMetric } from './bench'
import { writeBigIndexArchive, writeManyFilesArchive } from './scale-archives'
import { startStackProcess } from './stack-process'
import { peakRssOf, runChild as child } from './child-process'


interface Case {
  family: 'files' | 'index'
  label: string
  count: number
  write(file: string, count: number): Promise<unknown>
}

const CASES: Case[] = [
  { family: 'files', label: 'files-1k', count: 1_000, write: writeManyFilesArchive },
  { family: 'files', label: 'files-70k', count: 70_000, write: writeManyFilesArchive },
  { family: 'index', label: 'index-1k', count: 1_000, write: writeBigIndexArchive },
  { family: 'index', label: 'index-1m', count: 1_000_000, write: writeBigIndexArchive }
]

interface InspectResult {
  ms: number
  cpuMs: number
  maxRssMb: number
  resources: number
}

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
  errorCount: number
}



async function importOnce(archive: string): Promise<{ result: ImportResult; stackRssMb: number }> {
  const stack = await startStackProcess([])
  try {
    const alice = stack.instances[0]
    const result = await child<ImportResult>('bench/children/import-scale.ts', [alice.url, alice.cliToken, archive])
    return { result, stackRssMb: peakRssOf(stack.pid) }
  } finally {
    await stack.stop()
  }
}

function list(variable: string): string[] {
  return (process.env[variable] ?? '').split(',').filter(Boolean)
}

export const benchmark: Benchmark = {
  name: 'scale',
  description: 'inspect and import of 70,000 entries and of a 1,000,000-record workspace index, against the same archives at 1,000 items',
  async run({ outDir, log }) {
    const families = list('BENCH_SCALE_CASES')
    const steps = list('BENCH_SCALE_STEPS')
    const metrics: BenchMetric[] = []
    const notes: string[] = [`load average at start: ${os.loadavg().map(l => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`]
    const perItem: Record<string, { inspect?: number; import?: number }> = {}
    for (const c of CASES.filter(x => families.length === 0 || families.includes(x.family))) {
      const archive = path.join(outDir, `scale-${c.label}.zip`)
      if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
        log(`generating ${archive} …`)
        await c.write(archive, c.count)
      }
      perItem[c.label] = {}
      if (steps.length === 0 || steps.includes('inspect')) {
        const runs: InspectResult[] = []
        for (let i = 0; i < 3; i++) runs.push(await child<InspectResult>('bench/children/inspect-in-process.ts', [archive]))
        const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a))
        perItem[c.label].inspect = best.ms / best.resources
        log(`${c.label}: inspect ${best.ms.toFixed(0)} ms, ${best.maxRssMb.toFixed(1)} MiB`)
        metrics.push(
          { name: `${c.label}: inspect, best of 3`, value: best.ms, unit: 'ms' },
          { name: `${c.label}: inspect peak RSS (max of 3)`, value: Math.max(...runs.map(r => r.maxRssMb)), unit: 'MiB', goal: { max: 200 } },
          { name: `${c.label}: inspect µs per resource`, value: (best.ms / best.resources) * 1000, unit: 'µs' }
        )
      }
      if (steps.length === 0 || steps.includes('import')) {
        log(`${c.label}: import …`)
        const { result, stackRssMb } = await importOnce(archive)
        if (result.state !== 'done') throw new Error(`the ${c.label} import ended ${result.state}`)
        perItem[c.label].import = result.ms / result.items
        log(`${c.label}: import ${(result.ms / 1000).toFixed(1)} s, ${result.items} items, ${result.maxRssMb.toFixed(1)} MiB`)
        metrics.push(
          { name: `${c.label}: import`, value: result.ms / 1000, unit: 's' },
          { name: `${c.label}: import peak RSS`, value: result.maxRssMb, unit: 'MiB', goal: { max: 200 } },
          { name: `${c.label}: import peak heap (sampled)`, value: result.heapMb, unit: 'MiB' },
          { name: `${c.label}: import ms per item`, value: result.ms / result.items, unit: 'ms' },
          { name: `${c.label}: stand-in peak RSS (not counted)`, value: stackRssMb, unit: 'MiB' }
        )
        notes.push(`${c.label}: ${statSync(archive).size} bytes; ${result.items} items (${result.imported} imported, ${result.notSelected} not selected, ${result.failed} failed; ${result.errorCount} errors counted); CPU ${(result.cpuMs / 1000).toFixed(1)} s`)
      }
    }
    for (const [large, small] of [['files-70k', 'files-1k'], ['index-1m', 'index-1k']]) {
      for (const step of ['inspect', 'import'] as const) {
        const a = perItem[large]?.[step]
        const b = perItem[small]?.[step]
        if (a !== undefined && b !== undefined) metrics.push({ name: `${large} / ${small}: ${step} time per item`, value: a / b, unit: 'x', goal: { max: 1.2 } })
      }
    }
    notes.push(`load average at end: ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`)
    return { metrics, notes }
  }
}
