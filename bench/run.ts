/**
 * `npm run bench [-- NAME…]`: runs every `bench/*.bench.ts` (or those named), one after the
 * other, prints each metric with its goal and saves all results to bench/out/results.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'fs'
import path from 'path'
import { Benchmark, BenchReport } from './bench'

function log(message: string): void {
  process.stdout.write(`${message}\n`)
}

function verdict(value: number, goal?: { max?: number; min?: number }): string {
  if (!goal) return ''
  const ok = (goal.max === undefined || value <= goal.max) && (goal.min === undefined || value >= goal.min)
  const target = [goal.max !== undefined ? `≤ ${goal.max}` : '', goal.min !== undefined ? `≥ ${goal.min}` : ''].filter(Boolean).join(', ')
  return `${ok ? 'ok' : 'MISSED'} (goal ${target})`
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const outDir = path.join(__dirname, 'out')
  mkdirSync(outDir, { recursive: true })
  const modules = readdirSync(__dirname)
    .filter(f => f.endsWith('.bench.ts'))
    .sort()
  const results: Record<string, BenchReport & { description: string; date: string }> = {}
  for (const file of modules) {
    // require, not import(): the runner is loaded through tsx/cjs (see package.json's bench script).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { benchmark } = require(path.join(__dirname, file)) as { benchmark: Benchmark }
    if (only.length > 0 && !only.includes(benchmark.name)) continue
    log(`\n=== ${benchmark.name}: ${benchmark.description}`)
    let report: BenchReport
    try {
      report = await benchmark.run({ outDir, log: m => log(`  ${m}`) })
    } catch (err) {
      // One broken benchmark must not hide the others' results.
      log(`  FAILED: ${err instanceof Error ? err.message : String(err)}`)
      process.exitCode = 1
      continue
    }
    for (const metric of report.metrics) {
      log(`  ${metric.name.padEnd(44)} ${String(Math.round(metric.value * 100) / 100).padStart(10)} ${metric.unit.padEnd(5)} ${verdict(metric.value, metric.goal)}`)
    }
    for (const note of report.notes ?? []) log(`  note: ${note}`)
    results[benchmark.name] = { ...report, description: benchmark.description, date: new Date().toISOString() }
  }
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

main().catch(err => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
