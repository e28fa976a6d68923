/**
 * How the export page follows an export through cozy-client.
 *
 * Not through io.cozy.exports: the stack keeps export documents in its global database
 * (model/move/export.go CreateExport and doc.go MarksAsFinished write with
 * prefixer.GlobalPrefixer), so their realtime events go to the "global" topic, while an app's
 * websocket listens on its instance's (web/realtime/realtime.go Ws, pkg/realtime topicKey), and
 * the instance's /data has none of them. What the instance does hold is the job that
 * POST /move/exports pushes (web/move/move.go createExport, worker "export"): the queue lists it
 * while it is queued or running (model/job/broker.go GetQueuedJobs), then GET /jobs/:id says
 * done or errored. Realtime on io.cozy.jobs is refused to a permission limited to one worker
 * (realtime.go authorized), and a whole-type one would show every job's arguments (mails
 * included): the job is read again now and then instead (manifest permission `exportJobs`).
 */
import type CozyClient from 'cozy-client'
import { Q } from 'cozy-client'
import { JOBS_DOCTYPE } from './ent-import'

/** worker/moves/workers.go: the worker that builds an export. */
export const EXPORT_WORKER = 'export'

/** An export job as cozy-client normalizes it (docs/jobs.md "Jobs API"). */
export interface ExportJob {
  _id: string
  worker?: string
  state?: 'queued' | 'running' | 'done' | 'errored'
  error?: string
  queued_at?: string
  started_at?: string
}

/** No fetch policy: the page reads the job again while it has not ended. */
export const buildExportJobQuery = (id: string) => ({
  definition: () => Q(JOBS_DOCTYPE).getById(id),
  options: { as: `${JOBS_DOCTYPE}/${id}`, singleDocData: true }
})

/** The export jobs queued or running, newest first: the queue is a route, not a Mango query (JobCollection.queued). */
export async function fetchRunningExportJobs(client: CozyClient): Promise<ExportJob[]> {
  const jobs = client.collection(JOBS_DOCTYPE) as unknown as { queued(worker: string): Promise<{ data?: unknown }> }
  const body = await jobs.queued(EXPORT_WORKER)
  const items = Array.isArray(body?.data) ? (body.data as Array<{ id?: unknown; attributes?: Record<string, unknown> }>) : []
  return items
    .map(item => ({ ...(item.attributes ?? {}), _id: typeof item.id === 'string' ? item.id : '' }) as ExportJob)
    .filter(job => job._id !== '')
    .sort((a, b) => String(b.queued_at ?? '').localeCompare(String(a.queued_at ?? '')))
}
