/**
 * Whether the ENT konnector is installed, through cozy-client's KonnectorCollection (the
 * io.cozy.konnectors query by slug of src/queries), and where the Store is to install it.
 */
import type CozyClient from 'cozy-client'
import { buildKonnectorQuery, installedAppsFromDocs } from '../../queries/settings'
import { queryOneOrNull } from '../../queries/query-state'
import { KONNECTOR_SLUG } from '../../import/records'

/** The Store's slug (cozy-store's manifest). */
export const STORE_SLUG = 'store'

/**
 * `GET /konnectors/ent-import`: installed when the stack answers the document. Missing is a 404
 * (web/apps/apps.go getHandler); AppCollection.get (cozy-stack-client) would give `data: null`
 * only for a CouchDB "not_found", so both are read as missing. Any other failure is a StackError.
 */
export async function isKonnectorInstalled(client: CozyClient): Promise<boolean> {
  return (await queryOneOrNull(client, buildKonnectorQuery(KONNECTOR_SLUG))) !== null
}

/**
 * The Store's page for the konnector (cozy-store routes `#/discover/:slug`), from the installed
 * webapps (GET /apps/ through the apps query the other pages share), or null without a Store.
 */
export function storePageOf(webapps: unknown): string | null {
  const store = installedAppsFromDocs(webapps, 'webapp').find(app => app.slug === STORE_SLUG)
  if (!store?.url) return null
  return `${store.url.replace(/\/$/, '')}/#/discover/${encodeURIComponent(KONNECTOR_SLUG)}`
}
