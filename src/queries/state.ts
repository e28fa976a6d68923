/**
 * A cozy-client query as the three states every page shows (loading, error with its
 * translated key, ready), so the pages keep their QueryStates components.
 */
import { useCallback, useMemo, useRef } from 'react'
import { useQuery } from 'cozy-client'
import { toStackError, type StackError } from '../stack-client/StackError'

export interface QuerySpec {
  definition: () => unknown
  options: { as: string; fetchPolicy?: unknown; singleDocData?: boolean; enabled?: boolean }
}

export type DocQuery<T> =
  | { status: 'loading'; retry: () => void }
  | { status: 'error'; error: StackError; retry: () => void }
  | { status: 'ready'; data: T; retry: () => void }

export function useDocQuery<Doc, T>(spec: QuerySpec, select: (data: Doc) => T, enabled = true): DocQuery<T> {
  const result = useQuery(spec.definition as Parameters<typeof useQuery>[0], { ...spec.options, enabled } as Parameters<typeof useQuery>[1]) as unknown as {
    fetchStatus: string
    data: unknown
    lastError?: unknown
    fetch?: () => void
  }
  const fetchRef = useRef(result.fetch)
  fetchRef.current = result.fetch
  // A failed read is in the query's state already (shown by the page): the promise has nothing more to say.
  const retry = useCallback((): void => void Promise.resolve(fetchRef.current?.()).catch(() => undefined), [])
  // useQuery may hand new arrays on every render: the selection changes only when the state or a document's revision does.
  const revisions = `${result.fetchStatus}:${revisionsOf(result.data)}`
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const selected = useMemo(() => (result.data === null || result.data === undefined ? null : select(result.data as Doc)), [revisions])
  if (result.fetchStatus === 'failed') return { status: 'error', error: toStackError(result.lastError), retry }
  if (result.fetchStatus !== 'loaded' || result.data === null || result.data === undefined) return { status: 'loading', retry }
  return { status: 'ready', data: selected as T, retry }
}

function revisionsOf(data: unknown): string {
  const docs = Array.isArray(data) ? data : data ? [data] : []
  return (docs as Array<{ _id?: string; _rev?: string }>).map(doc => `${doc._id ?? ''}@${doc._rev ?? ''}`).join(',')
}
