import { useCallback, useEffect, useState } from 'react'
import { toStackError, type StackError } from '../StackError'
import { useStackApi } from './useStackApi'
import type { StackApi } from '../index'

export type StackQuery<T> =
  | { status: 'loading'; retry: () => void }
  | { status: 'error'; error: StackError; retry: () => void }
  | { status: 'ready'; data: T; retry: () => void }

/**
 * Loads something from the stack when the component mounts (and again on `retry`), giving
 * the three states every page shows: loading, error (with its translated key), ready.
 * `load` must be stable (a module-level function, or one built with useCallback).
 */
export function useStackQuery<T>(load: (api: StackApi) => Promise<T>): StackQuery<T> {
  const api = useStackApi()
  const [attempt, setAttempt] = useState(0)
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'error'; error: StackError } | { status: 'ready'; data: T }
  >({ status: 'loading' })
  const retry = useCallback(() => setAttempt(n => n + 1), [])

  useEffect(() => {
    let cancelled = false
    setState({ status: 'loading' })
    load(api).then(
      data => {
        if (!cancelled) setState({ status: 'ready', data })
      },
      (err: unknown) => {
        if (!cancelled) setState({ status: 'error', error: toStackError(err) })
      }
    )
    return () => {
      cancelled = true
    }
  }, [api, load, attempt])

  return { ...state, retry }
}
