import { jsonApiError } from '../http/errors'

/**
 * The stack's job rate limits (model/job/rate_limiting.go GetCounterTypeFromWorkerType,
 * pkg/limits/rate_limiting.go configs): a counter per instance and worker type, kept for a
 * fixed window from its first increment. Only the konnector worker is limited here (100 jobs
 * per hour, "job-konnector"); the other workers the project uses have no counter in the stand-in.
 */
const LIMITS: Record<string, { limit: number; periodMs: number }> = {
  konnector: { limit: 100, periodMs: 60 * 60 * 1000 }
}

export class JobRateLimiter {
  private readonly counters = new Map<string, { count: number; resetAt: number }>()

  /**
   * CheckRateLimitKey: every push counts, refused ones too; the first one past the limit is
   * "Rate limit reached", the next ones "Rate limit exceeded" — both 400 on /jobs/queue
   * (web/jobs/jobs.go wrapJobsError, jsonapi.BadRequest).
   */
  check(worker: string, now = Date.now()): void {
    const cfg = LIMITS[worker]
    if (!cfg) return
    let counter = this.counters.get(worker)
    if (!counter || now >= counter.resetAt) {
      counter = { count: 0, resetAt: now + cfg.periodMs }
      this.counters.set(worker, counter)
    }
    counter.count += 1
    if (counter.count === cfg.limit + 1) throw jsonApiError(400, 'Rate limit reached')
    if (counter.count > cfg.limit) throw jsonApiError(400, 'Rate limit exceeded')
  }
}
