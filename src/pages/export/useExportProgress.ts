import { useCallback, useEffect, useState } from 'react'
import {
  exportDocFromCouch,
  isAlreadyRunningError,
  toStackError,
  type ExportDoc,
  type ExportRequest,
  type StackApi
} from '../../stack-client'

/**
 * Where the user's export stands, as far as this page can know: the stack answers the
 * request with an empty 201 and then only speaks through realtime events on io.cozy.exports
 * and the mail (cozy-stack-api.md §1.2).
 */
export type ExportProgress =
  | { phase: 'idle' }
  | { phase: 'submitting' }
  | { phase: 'requested'; requestedAt: Date }
  | { phase: 'exporting'; doc: ExportDoc }
  | { phase: 'done'; doc: ExportDoc }
  | { phase: 'failed'; errorKey: string; detail?: string }

export type LiveFollow = 'connecting' | 'live' | 'unavailable'

export function progressFromDoc(doc: ExportDoc): ExportProgress {
  if (doc.state === 'done') return { phase: 'done', doc }
  if (doc.state === 'error') {
    const errorKey = isAlreadyRunningError(doc.error) ? 'stackErrors.exports.alreadyRunning' : 'stackErrors.exports.failed'
    return { phase: 'failed', errorKey, detail: doc.error }
  }
  return { phase: 'exporting', doc }
}

export function useExportProgress(api: StackApi) {
  const [progress, setProgress] = useState<ExportProgress>({ phase: 'idle' })
  const [live, setLive] = useState<LiveFollow>('connecting')

  useEffect(() => {
    // Subscribed before any request, so an export started elsewhere shows up too.
    const subscription = api.realtime.subscribe('io.cozy.exports', {
      onEvent: event => {
        if (event.event === 'DELETED') return
        const doc = exportDocFromCouch({ _id: event.id, ...event.doc })
        setProgress(progressFromDoc(doc))
      },
      onStatus: setLive
    })
    return () => subscription.close()
  }, [api])

  const start = useCallback(
    async (request: ExportRequest) => {
      setProgress({ phase: 'submitting' })
      try {
        await api.exports.request(request)
        const requestedAt = new Date()
        // A realtime event may already have said more than "requested".
        setProgress(current => (current.phase === 'submitting' ? { phase: 'requested', requestedAt } : current))
      } catch (err) {
        setProgress({ phase: 'failed', errorKey: toStackError(err).translationKey })
      }
    },
    [api]
  )

  return { progress, live, start }
}
