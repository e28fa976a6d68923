import { useEffect } from 'react'
import type { StackError } from '../../stack-client'
import type { ImportRecord } from '../../import/records'
import { toImportRecord } from '../../stack-client/ent-imports'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { buildImportRecordQuery, buildImportRecordsQuery, buildJobQuery } from '../../queries'
import { useDocQuery, type DocQuery } from '../../queries/state'

export type FollowedRecord = ImportRecord & { _id: string }

/**
 * How often the konnector's job is read again while its import has not ended. The record
 * itself comes through realtime, but the stack refuses realtime on io.cozy.jobs to an app
 * whose permission has a `worker` selector (web/realtime/realtime.go authorized: whole type
 * or id only), and a job that dies before the engine's first write changes nothing else.
 */
export const JOB_CHECK_MS = 10 * 1000

export function isFinished(record: Pick<ImportRecord, 'state'>): boolean {
  return record.state === 'done' || record.state === 'failed'
}

const toRecords = (docs: CouchDoc[]): FollowedRecord[] => docs.map(toImportRecord).sort((a, b) => b.createdAt.localeCompare(a.createdAt))

/** Every import, newest first; kept live by RealTimeQueries on the imports doctype (EntImportPage). */
export function useImportRecords(): DocQuery<FollowedRecord[]> {
  return useDocQuery(buildImportRecordsQuery(), toRecords)
}

export function useImportRecordById(id: string): DocQuery<FollowedRecord> {
  return useDocQuery(buildImportRecordQuery(id), toImportRecord)
}

interface JobState {
  state?: string
  error?: string
}

/**
 * Follows one import record across the konnector's successive jobs: the engine's writes come
 * through realtime into cozy-client's store; the job named on an unfinished record is read
 * again now and then, since a job that died before the engine could write says why only in
 * its own state.
 */
export function useImportRecord(importId: string): { record: FollowedRecord | null; error: StackError | null; jobError: string | null } {
  const query = useImportRecordById(importId)
  const record = query.status === 'ready' ? query.data : null
  const jobId = record && !isFinished(record) ? record.jobId : null
  const job = useDocQuery(buildJobQuery(jobId ?? 'none'), (doc: JobState) => doc, jobId !== null)
  const refetchJob = job.retry
  useEffect(() => {
    if (!jobId) return undefined
    const timer = setInterval(refetchJob, JOB_CHECK_MS)
    return () => clearInterval(timer)
  }, [jobId, refetchJob])
  const jobError = jobId && job.status === 'ready' && job.data.state === 'errored' ? job.data.error ?? 'errored' : null
  return { record, error: query.status === 'error' ? query.error : null, jobError }
}
