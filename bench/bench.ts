/**
 * The common interface of every benchmark module. `bench/run.ts` imports each
 * `bench/*.bench.ts`, which exports `benchmark: Benchmark`, runs it, prints its metrics and
 * ratios, and saves them to `bench/out/results.json`. Keep each run self-contained: build
 * or reuse its inputs under `context.outDir`, measure a plain baseline in the same run, and
 * report the ratio to it, so that numbers compare across machines.
 */
export interface BenchMetric {
  name: string
  value: number
  unit: string
  /** The target from the issue, if any: the runner flags values outside it. */
  goal?: { max?: number; min?: number }
}

export interface BenchReport {
  metrics: BenchMetric[]
  /** Free text worth keeping beside the numbers (input sizes, versions). */
  notes?: string[]
}

export interface BenchContext {
  /** A git-ignored directory for generated inputs (reused across runs) and results. */
  outDir: string
  log(message: string): void
}

export interface Benchmark {
  name: string
  description: string
  run(context: BenchContext): Promise<BenchReport>
}
