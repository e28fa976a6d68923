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
