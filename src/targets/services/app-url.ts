/**
 * Where the app opens (flat or nested subdomains): the stack knows, a service does not. Read
 * through cozy-client's AppCollection (`GET /apps/:slug`, buildWebappQuery), its
 * `links.related`; the Cozy's own URL when the app is not found (404), as before.
 */
import type CozyClient from 'cozy-client'
import { queryOneOrNull } from '../../queries/query-state'
import { buildWebappQuery, installedAppFromDoc } from '../../queries/settings'

export async function appUrlOf(client: CozyClient, slug: string, fallback: string): Promise<string> {
  const doc = await queryOneOrNull(client, buildWebappQuery(slug))
  return doc ? (installedAppFromDoc(doc, 'webapp').url ?? fallback) : fallback
}
