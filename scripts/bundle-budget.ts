/**
 * `npm run bundle-budget`, after `npm run build`: fails when the webapp's initial JavaScript
 * (the scripts index.html loads before any page renders) weighs more than its budget gzipped,
 * or when a production bundle of the webapp, its services or the konnector was not minified.
 *
 * It reads build/stats/<name>.json, written by BudgetStatsPlugin in webpack.config.js, and the
 * files of the build themselves, so a stale stats file cannot pass for the build on disk.
 */
import { existsSync, readFileSync, statSync } from 'fs'
import path from 'path'
import { gzipSync } from 'zlib'

/** Kilobytes of 1000 bytes (not 1024): the stricter reading of "400 KB". */
export const KB = 1000
/** Gzipped bytes of the initial JavaScript (issue 15: "≤ 400 KB gzipped"). */
export const INITIAL_JS_BUDGET = 400 * KB

interface StatsAsset {
  name: string
  size: number
  chunkNames: string[]
  minimized: boolean
}

export interface BudgetStats {
  name: string
  mode: string
  outputPath: string
  entrypoints: Record<string, string[]>
  assets: StatsAsset[]
}

export interface BudgetResult {
  ok: boolean
  lines: string[]
  /** Gzipped bytes of the initial JavaScript of the webapp. */
  initialGzip: number
}

export interface BudgetOptions {
  statsDir: string
  budget?: number
  /** The webpack config whose entry is the webapp (index.html) and those whose bundles must be minified. */
  app?: string
  minifiedConfigs?: string[]
}

function readStats(statsDir: string, name: string): BudgetStats {
  const file = path.join(statsDir, `${name}.json`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BudgetStats
  } catch (error) {
    throw new Error(`${file} cannot be read (${(error as Error).message}): run \`npm run build\` first.`)
  }
}

/** Gzip at zlib's default level, the one web servers use by default. */
export function gzipSize(file: string): number {
  return gzipSync(new Uint8Array(readFileSync(file))).length
}

export function formatKB(bytes: number): string {
  return `${(bytes / KB).toFixed(1)} KB`
}

const isScript = (name: string): boolean => name.endsWith('.js')

/** Why the stats do not describe the files on disk, if they do not (a build interrupted, or another one since). */
function staleness(stats: BudgetStats, names: string[]): string[] {
  const sizes = new Map(stats.assets.map(asset => [asset.name, asset.size]))
  return names.flatMap(name => {
    const file = path.join(stats.outputPath, name)
    let onDisk: number
    try {
      onDisk = statSync(file).size
    } catch {
      return [`${file} is in build/stats/${stats.name}.json but not on disk: build again.`]
    }
    const expected = sizes.get(name)
    return expected === undefined || expected === onDisk
      ? []
      : [`${file} has ${onDisk} bytes, build/stats/${stats.name}.json says ${expected}: build again.`]
  })
}

/** The scripts index.html loads, which must be the entry point's: else the sum below measures the wrong files. */
function indexScripts(outputPath: string): string[] {
  const html = readFileSync(path.join(outputPath, 'index.html'), 'utf8')
  return [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map(match => match[1].replace(/^\.?\//, ''))
}

function checkInitial(stats: BudgetStats, budget: number, lines: string[]): { ok: boolean; total: number } {
  const entry = stats.entrypoints[stats.name]
  if (!entry) throw new Error(`build/stats/${stats.name}.json has no entry point "${stats.name}".`)
  const scripts = entry.filter(isScript)
  const problems = staleness(stats, scripts)
  const loaded = indexScripts(stats.outputPath)
  const uncounted = loaded.filter(src => !scripts.includes(src))
  const missing = scripts.filter(name => !loaded.includes(name))
  if (uncounted.length) problems.push(`index.html loads ${uncounted.join(', ')}, which the entry point does not list.`)
  if (missing.length) problems.push(`index.html does not load ${missing.join(', ')}, which the entry point lists.`)
  let total = 0
  lines.push(`Initial JavaScript of ${stats.name} (loaded by index.html), gzipped:`)
  for (const name of scripts) {
    const file = path.join(stats.outputPath, name)
    const size = existsSync(file) ? gzipSize(file) : 0
    total += size
    lines.push(`  ${name}  ${formatKB(size)}`)
  }
  const within = total <= budget
  lines.push(`  total  ${formatKB(total)} (budget ${formatKB(budget)}, 1 KB = ${KB} bytes): ${within ? 'ok' : 'OVER BUDGET'}`)
  if (!within) {
    lines.push(
      `  The initial JavaScript is ${formatKB(total - budget)} over budget: load what only one page needs from that page` +
        ' (src/app/routes.ts loads pages lazily), or leave the library out.'
    )
  }
  lines.push(...problems.map(problem => `  ${problem}`))
  return { ok: within && problems.length === 0, total }
}

function checkMinified(stats: BudgetStats, lines: string[]): boolean {
  const scripts = stats.assets.filter(asset => isScript(asset.name))
  const notMinified = scripts.filter(asset => !asset.minimized)
  const problems = staleness(stats, scripts.map(asset => asset.name))
  if (stats.mode !== 'production') problems.push(`built in ${stats.mode} mode, not production.`)
  if (notMinified.length) {
    problems.push(`not minified: ${notMinified.map(asset => asset.name).join(', ')} (set optimization.minimize in webpack.config.js).`)
  }
  lines.push(`Scripts of ${stats.name} minified (${scripts.length}): ${problems.length ? 'NO' : 'ok'}`)
  lines.push(...problems.map(problem => `  ${problem}`))
  return problems.length === 0 && scripts.length > 0
}

export function checkBudget({ statsDir, budget = INITIAL_JS_BUDGET, app = 'app', minifiedConfigs = ['app', 'services', 'konnector'] }: BudgetOptions): BudgetResult {
  const lines: string[] = []
  const initial = checkInitial(readStats(statsDir, app), budget, lines)
  const minified = minifiedConfigs.map(name => checkMinified(readStats(statsDir, name), lines))
  return { ok: initial.ok && minified.every(Boolean), lines, initialGzip: initial.total }
}

function main(): void {
  const statsDir = path.join(__dirname, '../build/stats')
  let result: BudgetResult
  try {
    result = checkBudget({ statsDir })
  } catch (error) {
    process.stderr.write(`bundle budget: ${(error as Error).message}\n`)
    process.exit(1)
  }
  process.stdout.write(`${result.lines.join('\n')}\n`)
  if (!result.ok) {
    process.stderr.write('bundle budget: FAILED (see above).\n')
    process.exit(1)
  }
}

if (require.main === module) main()
