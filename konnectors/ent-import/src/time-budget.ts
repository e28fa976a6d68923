/**
 * When the konnector stops starting new work. The stack kills a konnector at COZY_TIME_LIMIT
 * (300 s by default); the import stops about 20 s before, so that the uploads in flight end
 * and the checkpoint is written. Short limits keep at least a third of the time for work.
 */
export const STOP_MARGIN_SECONDS = 20
export const DEFAULT_TIME_LIMIT_SECONDS = 300

/** Epoch ms after which the import starts nothing new. */
export function stopAt(timeLimitSeconds: number, processStartMs: number): number {
  const limit = Number.isFinite(timeLimitSeconds) && timeLimitSeconds > 0 ? timeLimitSeconds : DEFAULT_TIME_LIMIT_SECONDS
  const budget = Math.max(limit - STOP_MARGIN_SECONDS, limit / 3)
  return processStartMs + budget * 1000
}

/**
 * The largest archive worth copying before reading it: a copy is faster overall (BENCHMARKS.md)
 * but every job downloads it again, so it must take a small part of a job's time (a quarter,
 * at a cautious 50 MB/s); larger archives are read by Range requests.
 */
export function copyMaxBytes(budgetMs: number, copyCap = 512 * 1024 * 1024): number {
  return Math.max(0, Math.min(copyCap, Math.floor((budgetMs / 1000 / 4) * 50_000_000)))
}
