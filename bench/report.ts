/**
 * `npx tsx bench/report.ts [results.json…]`: the Markdown tables of BENCHMARKS.md's "as it
 * stands" section, from the results `npm run bench` wrote (default bench/out/results.json).
 * Later files win for a module measured twice. Figures are printed as measured, in the unit the
 * benchmark gave (peak RSS in MiB, from VmHWM).
 */
import { readFileSync } from 'fs'
import path from 'path'
import type { BenchMetric, BenchReport } from './bench'

type Results = Record<string, BenchReport & { description: string; date: string }>

function figure(value: number): string {
  if (!Number.isFinite(value)) return '–'
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100
  return rounded.toLocaleString('en-GB')
}

function goalOf(metric: BenchMetric): string {
  const goal = metric.goal
  if (!goal) return ''
  const parts = [goal.max !== undefined ? `≤ ${goal.max}` : '', goal.min !== undefined ? `≥ ${goal.min}` : ''].filter(Boolean)
  const met = (goal.max === undefined || metric.value <= goal.max) && (goal.min === undefined || metric.value >= goal.min)
  return `${parts.join(', ')}${metric.unit ? ` ${metric.unit}` : ''}: ${met ? 'met' : '**missed**'}`
}

function section(name: string, result: Results[string]): string {
  const rows = result.metrics.map(m => `| ${m.name} | ${figure(m.value)}${m.unit ? ` ${m.unit}` : ''} | ${goalOf(m)} |`)
  const notes = (result.notes ?? []).map(n => `- ${n}`)
  return [`### ${name}`, '', `${result.description}. Measured ${result.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`, '', '| metric | value | goal |', '|---|---|---|', ...rows, '', ...notes, ''].join('\n')
}

function main(): void {
  const files = process.argv.slice(2)
  const merged: Results = {}
  for (const file of files.length > 0 ? files : [path.join(__dirname, 'out/results.json')]) Object.assign(merged, JSON.parse(readFileSync(file, 'utf8')) as Results)
  process.stdout.write(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)).map(([name, result]) => section(name, result)).join('\n'))
}

main()
