/**
 * Where the app opens (flat or nested subdomains): the stack knows, a service does not. Read
 * through cozy-client's AppCollection (`GET /apps/:slug`, buildWebappQuery), its
 * `links.related`; the Cozy's own URL when the app is not found (404), as before.
 */
import type CozyClient from 'cozy-client'
import { toStackError } from '../../stack-client/StackError'
import { buildWebappQuery, installedAppFromDoc } from '../../queries/settings'

export async function appUrlOf(client: CozyClient, slug: string, fallback: string): Promise<string> {
  const { definition, options } = buildWebappQuery(slug)
  try {
    const result = (await client.query(definition, options)) as { data?: unknown } | null
    return result?.data ? (installedAppFromDoc(result.data, 'webapp').url ?? fallback) : fallback
  } catch (err) {
    const error = toStackError(err)
    if (error.status === 404) return fallback
    throw error
  }
}
