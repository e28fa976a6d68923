import type CozyClient from 'cozy-client'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface FetchOptions {
  headers?: Record<string, string>
}

/**
 * The part of cozy-client's stack client this module relies on. Every stack route the
 * webapp and its service use goes through `fetchJSON`, so authentication, token refresh
 * and error parsing stay cozy-client's job.
 */
export interface StackFetcher {
  /** Base URL of the Cozy, e.g. `https://alice.mycozy.cloud`. */
  uri: string
  fetchJSON(method: HttpMethod, path: string, body?: unknown, options?: FetchOptions): Promise<unknown>
  /** `Bearer <token>`, for the requests sent outside fetchJSON (uploads, the import client). */
  getAuthorizationHeader(): string | null
}

/** The stack client of a cozy-client instance, typed (cozy-client types it as `any`). */
export function stackFetcherOf(client: CozyClient): StackFetcher {
  return client.getStackClient() as StackFetcher
}
