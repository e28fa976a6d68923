/**
 * The three states every page shows (loading, error with its translated key, ready), read
 * from cozy-client's `useQuery` results so that pages keep one way of rendering them.
 */
import type CozyClient from 'cozy-client'
import { useQuery } from 'cozy-client'
import { toStackError, type StackError } from '../stack-client/StackError'
import type { QuerySpec } from './settings'

export type PageQuery<T> =
  | { status: 'loading'; retry: () => void }
  | { status: 'error'; error: StackError; retry: () => void }
  | { status: 'ready'; data: T; retry: () => void }

export interface QueryResult {
  fetchStatus: string
  data: unknown
  lastError?: unknown
  fetch: () => unknown
}

/** `useQuery` with the spec's definition and options (`as`, fetch policy). */
export function useSpecQuery(spec: QuerySpec, enabled = true): QueryResult {
  const result = useQuery(spec.definition, { ...spec.options, enabled, singleDocData: true })
  return result as unknown as QueryResult
}

/** Several results as one state: any error wins, then any loading; retry refetches the failed ones. */
export function combineQueries<T>(results: QueryResult[], toData: (data: unknown[]) => T): PageQuery<T> {
  const retry = () => {
    // The failure lands in the store (fetchStatus, lastError), which the page reads.
    for (const r of results) if (r.fetchStatus === 'failed') void Promise.resolve(r.fetch()).catch(() => undefined)
  }
  const failed = results.find(r => r.fetchStatus === 'failed')
  if (failed) return { status: 'error', error: toStackError(failed.lastError), retry }
  if (results.some(r => r.fetchStatus !== 'loaded')) return { status: 'loading', retry }
  return { status: 'ready', data: toData(results.map(r => r.data)), retry }
}

/**
 * One document by its spec outside React (`client.query`), or null when there is none: the
 * stack's 404, or cozy-client's `data: null` for CouchDB's not_found. Other failures throw as a
 * StackError.
 */
export async function queryOneOrNull(client: CozyClient, spec: QuerySpec): Promise<unknown> {
  try {
    const result = (await client.query(spec.definition, spec.options)) as { data?: unknown } | null
    return result?.data ?? null
  } catch (err) {
    const error = toStackError(err)
    if (error.status === 404) return null
    throw error
  }
}
