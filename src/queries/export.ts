/**
 * How the export page follows an export through cozy-client.
 *
 * Live: the export document's realtime events. The stack keeps io.cozy.exports in its global
 * database (model/move/export.go CreateExport, doc.go MarksAsFinished), so no query reads them,
 * but CreateExport publishes their CREATED and UPDATED events with the instance
 * (`realtime.GetHub().Publish(i, …)`): the app's websocket gets them, with whole-type GET on
 * io.cozy.exports (web/realtime/realtime.go authorized). They reach cozy-client's realtime
 * plugin (useExportEvents).
 * The job: POST /move/exports pushes a job for the worker "export" (web/move/move.go). Its queue
 * lists it while it is queued or running (model/job/broker.go GetQueuedJobs), which shows an
 * export started elsewhere when the page opens and the state an event missed while the socket
 * was away; GET /jobs/:id says how it ended. Realtime on io.cozy.jobs is refused to a permission
 * limited to one worker (realtime.go authorized), and a whole-type one would show every job's
 * arguments (mails included), so the job is read again now and then (manifest `exportJobs`).
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

/** No fetch policy: the page reads the job again, now and then, while it has not ended. */
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

/** The export documents' doctype (model/move/doc.go; consts.Exports). */
export const EXPORTS_DOCTYPE = 'io.cozy.exports'
