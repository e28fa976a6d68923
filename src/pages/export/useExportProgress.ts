import { useCallback, useEffect, useRef, useState } from 'react'
import { useClient } from 'cozy-client'
import { exportDocFromCouch, isAlreadyRunningError, toStackError, type ExportDoc, type ExportRequest, type StackApi } from '../../stack-client'
import { buildExportJobQuery, EXPORTS_DOCTYPE, fetchRunningExportJobs, type ExportJob } from '../../queries/export'
import { useDocQuery } from '../../queries/state'

/**
 * Where the user's export stands, as far as this page can know: the stack answers the
 * request with an empty 201 and then tells through the export document's realtime events, the
 * export job it queued and the mail (src/queries/export.ts).
 */
export type ExportProgress =
  | { phase: 'idle' }
  | { phase: 'submitting' }
  | { phase: 'requested'; requestedAt: Date }
  | { phase: 'exporting'; since?: string }
  | { phase: 'done'; expiresAt?: string }
  | { phase: 'failed'; errorKey: string; detail?: string }

export type LiveFollow = 'connecting' | 'live' | 'unavailable'

/**
 * How often a running export job is read again. Realtime says first; this catches an end whose
 * event came while the socket was reconnecting (cozy-realtime does not replay missed events).
 */
export const EXPORT_JOB_CHECK_MS = 30 * 1000

/** model/move/archiver.go archiveMaxAge: the app sends no max_age, so the stack keeps 7 days. */
const ARCHIVE_MAX_AGE_MS = 7 * 24 * 3600 * 1000

/**
 * The link's end of validity: the worker dates the export when it starts (doc.go
 * prepareExportDoc, created_at = now), which is the job's started_at to the second.
 */
function expiryOf(job: ExportJob): string | undefined {
  const started = Date.parse(job.started_at ?? '')
  // Go's zero time (0001-01-01) stands for "not started".
  return Number.isFinite(started) && started > 0 ? new Date(started + ARCHIVE_MAX_AGE_MS).toISOString() : undefined
}

export function progressFromJob(job: ExportJob): ExportProgress {
  if (job.state === 'done') return { phase: 'done', expiresAt: expiryOf(job) }
  if (job.state === 'errored') {
    const errorKey = isAlreadyRunningError(job.error) ? 'stackErrors.exports.alreadyRunning' : 'stackErrors.exports.failed'
    return { phase: 'failed', errorKey, detail: job.error }
  }
  return { phase: 'exporting', since: job.queued_at }
}

export function progressFromDoc(doc: ExportDoc): ExportProgress {
  if (doc.state === 'done') return { phase: 'done', expiresAt: doc.expiresAt }
  if (doc.state === 'error') {
    const errorKey = isAlreadyRunningError(doc.error) ? 'stackErrors.exports.alreadyRunning' : 'stackErrors.exports.failed'
    return { phase: 'failed', errorKey, detail: doc.error }
  }
  return { phase: 'exporting', since: doc.createdAt }
}

interface RealtimePlugin {
  subscribe(event: string, doctype: string, handler: (doc: unknown) => void): void
  unsubscribe(event: string, doctype: string, handler: (doc: unknown) => void): void
}

/** The last export event cozy-client's realtime plugin delivered (created, then updated when it ends). */
function useExportEvents(): [ExportProgress | null, (value: null) => void] {
  const client = useClient()
  const [fromEvent, setFromEvent] = useState<ExportProgress | null>(null)
  useEffect(() => {
    const realtime = (client as unknown as { plugins?: { realtime?: RealtimePlugin } } | null)?.plugins?.realtime
    if (!realtime) return undefined
    const handler = (doc: unknown) => setFromEvent(progressFromDoc(exportDocFromCouch(doc)))
    realtime.subscribe('created', EXPORTS_DOCTYPE, handler)
    realtime.subscribe('updated', EXPORTS_DOCTYPE, handler)
    return () => {
      realtime.unsubscribe('created', EXPORTS_DOCTYPE, handler)
      realtime.unsubscribe('updated', EXPORTS_DOCTYPE, handler)
    }
  }, [client])
  return [fromEvent, setFromEvent]
}

const isEnd = (p: ExportProgress | null): boolean => p?.phase === 'done' || p?.phase === 'failed'

/** Finds the export job in the stack's queue; says whether the page can follow at all. */
function useRunningExportJob() {
  const client = useClient()
  const [jobId, setJobId] = useState<string | null>(null)
  const [live, setLive] = useState<LiveFollow>('connecting')
  // The queue may answer after the page has closed.
  const mounted = useRef(true)
  useEffect(() => () => void (mounted.current = false), [])
  const findJob = useCallback(async (): Promise<boolean> => {
    try {
      if (!client) throw new Error('no cozy-client')
      const [running] = await fetchRunningExportJobs(client)
      if (!mounted.current) return false
      setLive('live')
      if (running) setJobId(running._id)
      return running !== undefined
    } catch {
      if (mounted.current) setLive('unavailable')
      return false
    }
  }, [client])
  return { jobId, setJobId, live, setLive, findJob, mounted }
}

export function useExportProgress(api: StackApi, checkMs = EXPORT_JOB_CHECK_MS) {
  const [request, setRequest] = useState<ExportProgress>({ phase: 'idle' })
  const { jobId, setJobId, live, setLive, findJob, mounted } = useRunningExportJob()
  const [fromEvent, setFromEvent] = useExportEvents()
  const job = useDocQuery(buildExportJobQuery(jobId ?? 'none'), (doc: ExportJob) => doc, jobId !== null)
  const fromJob = jobId !== null && job.status === 'ready' ? progressFromJob(job.data) : null
  // An end wins, whoever said it; otherwise the event, newer than the last job read.
  const known = isEnd(fromEvent) ? fromEvent : isEnd(fromJob) ? fromJob : fromEvent ?? fromJob
  const finished = isEnd(known)

  // Looked for before any request, so an export started elsewhere shows up too.
  useEffect(() => void findJob(), [findJob])

  const refetchJob = job.retry
  useEffect(() => {
    if (jobId === null || finished) return undefined
    const timer = setInterval(refetchJob, checkMs)
    return () => clearInterval(timer)
  }, [jobId, finished, refetchJob, checkMs])

  const start = useCallback(
    async (options: ExportRequest) => {
      setRequest({ phase: 'submitting' })
      setJobId(null)
      setFromEvent(null)
      try {
        await api.exports.request(options)
        if (!mounted.current) return
        setRequest({ phase: 'requested', requestedAt: new Date() })
        // The stack queues the job before it answers: an empty queue means it has already ended
        // (its events may still have said how).
        if (!(await findJob()) && mounted.current) setLive('unavailable')
      } catch (err) {
        if (mounted.current) setRequest({ phase: 'failed', errorKey: toStackError(err).translationKey })
      }
    },
    [api, findJob, setJobId, setLive, mounted, setFromEvent]
  )

  const progress = request.phase !== 'submitting' && known ? known : request
  const followed: LiveFollow = fromEvent ? 'live' : jobId !== null && job.status === 'error' ? 'unavailable' : live
  return { progress, live: followed, start }
}
