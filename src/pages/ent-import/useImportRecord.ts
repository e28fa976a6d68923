import { useEffect, useState } from 'react'
import type { StackApi } from '../../stack-client'
import { toStackError, type StackError } from '../../stack-client'
import { IMPORTS_DOCTYPE, type ImportRecord } from '../../import/records'
import { toImportRecord } from '../../stack-client/ent-imports'

export type FollowedRecord = ImportRecord & { _id: string }

/** How often the record is read again, whether or not realtime works (a missed event costs this much). */
export const POLL_MS = 3000

export function isFinished(record: Pick<ImportRecord, 'state'>): boolean {
  return record.state === 'done' || record.state === 'failed'
}

/**
 * Follows one import record across the konnector's successive jobs: realtime events on
 * io.cozy.mesdonnees.imports as they come, and a read every few seconds until the import ends
 * (realtime may be unavailable, and a job may die without a last write: then the job's own
 * state says why).
 */
export function useImportRecord(api: StackApi, importId: string | null): { record: FollowedRecord | null; error: StackError | null; jobError: string | null } {
  const [record, setRecord] = useState<FollowedRecord | null>(null)
  const [error, setError] = useState<StackError | null>(null)
  const [jobError, setJobError] = useState<string | null>(null)

  useEffect(() => {
    if (!importId) return undefined
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const accept = (next: FollowedRecord) => {
      if (stopped) return
      // Realtime and polling may deliver out of order: keep the latest write.
      setRecord(current => (current && current.updatedAt > next.updatedAt ? current : next))
    }
    const subscription = api.realtime.subscribe(IMPORTS_DOCTYPE, {
      onEvent: event => {
        if (event.id !== importId || event.event === 'DELETED') return
        accept(toImportRecord({ ...event.doc, _id: event.id }))
      }
    })
    const poll = async () => {
      try {
        const next = await api.entImports.get(importId)
        accept(next)
        setError(null)
        // A job that died before the engine could write says so in its own state.
        if (next.jobId && !isFinished(next)) {
          const job = await api.jobs.get(next.jobId).catch(() => null)
          if (!stopped) setJobError(job && job.state === 'errored' ? job.error ?? 'errored' : null)
        }
        if (isFinished(next)) return
      } catch (err) {
        if (!stopped) setError(toStackError(err))
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS)
    }
    void poll()
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
      subscription.close()
    }
  }, [api, importId])

  return { record, error, jobError }
}
