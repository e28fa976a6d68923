import type { StackFetcher } from './fetcher'
import { withStackErrors, type ErrorRule } from './StackError'
import { singleResource, stringAttr } from './jsonapi'

/**
 * A job as `POST /jobs/queue/:worker` returns it (docs/jobs.md). Reading a job again is a
 * cozy-client query (src/queries: buildJobQuery, JobCollection.get).
 */
export interface JobDoc {
  id: string
  worker: string
  state: 'queued' | 'running' | 'done' | 'errored'
  error?: string
  queuedAt?: string
  startedAt?: string
  finishedAt?: string
}

/**
 * The error of a job whose konnector is not installed (app.ErrNotFound): the stack accepts the
 * job, then its worker errors it with this message (worker/exec/konnector.go PrepareWorkDir).
 */
export const KONNECTOR_NOT_INSTALLED = 'Application is not installed'

const QUEUE_RULES: ErrorRule[] = [
  // 100 konnector jobs an hour, then 400 (model/job/mem_broker.go PushJob, pkg/limits, web/jobs/jobs.go wrapJobsError).
  { status: 400, detail: /Rate limit (reached|exceeded)/, key: 'entImport.errors.rateLimited' }
]

function toJob(body: unknown): JobDoc {
  const resource = singleResource(body)
  const attrs = resource.attributes
  const state = attrs.state
  return {
    id: resource.id,
    worker: stringAttr(attrs, 'worker') ?? '',
    state: state === 'running' || state === 'done' || state === 'errored' ? state : 'queued',
    error: stringAttr(attrs, 'error'),
    queuedAt: stringAttr(attrs, 'queued_at'),
    startedAt: stringAttr(attrs, 'started_at'),
    finishedAt: stringAttr(attrs, 'finished_at')
  }
}

export function jobsApi(stack: StackFetcher) {
  return {
    /**
     * `POST /jobs/queue/konnector` (docs/jobs.md): the whole message reaches the konnector as
     * COZY_FIELDS. Needs POST on io.cozy.jobs for the konnector worker. Manual, so that a
     * previous error never stops it.
     */
    async queueKonnector(message: { konnector: string } & Record<string, unknown>): Promise<JobDoc> {
      const body = await withStackErrors(
        () => stack.fetchJSON('POST', '/jobs/queue/konnector', { data: { type: 'io.cozy.jobs', attributes: { arguments: message, manual: true } } }),
        QUEUE_RULES
      )
      return toJob(body)
    }
  }
}

export type JobsApi = ReturnType<typeof jobsApi>
