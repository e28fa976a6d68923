/**
 * The cozy-client queries of the export, move, import and deletion pages, named (`as`) and
 * cached the way Cozy's own apps do it (cozy-drive src/queries/index.js, cozy-settings
 * src/lib/queries.js): a query definition built with `Q`, a stable `as` so that pages share
 * one result in the store, and a fetch policy so that going back to a page does not refetch.
 * Routes that are not doctypes (/settings/disk-usage, /move/*) stay in src/stack-client.
 */
import CozyClient, { Q } from 'cozy-client'
import { toInstalledApp, type InstalledApp } from '../stack-client/apps'
import { instanceFromAttributes, type InstanceSettings } from '../stack-client/settings'
import { asRecord } from '../stack-client/jsonapi'

const defaultFetchPolicy = CozyClient.fetchPolicies.olderThan(30 * 1000)

/** What a page gives `useQuery`: the definition and its options. */
export interface QuerySpec {
  definition: ReturnType<typeof Q>
  /** No fetch policy: every `client.query` reads the stack again. */
  options: { as: string; fetchPolicy?: ReturnType<typeof CozyClient.fetchPolicies.olderThan> }
}

export const APPS_DOCTYPE = 'io.cozy.apps'
export const KONNECTORS_DOCTYPE = 'io.cozy.konnectors'
export const SETTINGS_DOCTYPE = 'io.cozy.settings'

/** GET /apps/ through cozy-stack-client's AppCollection (`all`). */
export const buildWebappsQuery = (): QuerySpec => ({
  definition: Q(APPS_DOCTYPE),
  options: { as: APPS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

/** GET /konnectors/ through KonnectorCollection (`all`). */
export const buildKonnectorsQuery = (): QuerySpec => ({
  definition: Q(KONNECTORS_DOCTYPE),
  options: { as: KONNECTORS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

/** GET /apps/:slug through AppCollection (`get`); the id has the `io.cozy.apps/` prefix it asks for. */
export const buildWebappQuery = (slug: string): QuerySpec => ({
  definition: Q(APPS_DOCTYPE).getById(`${APPS_DOCTYPE}/${slug}`),
  options: { as: `${APPS_DOCTYPE}/${slug}`, fetchPolicy: defaultFetchPolicy }
})

/**
 * GET /konnectors/:slug through KonnectorCollection (AppCollection `get`, the id prefixed as it
 * asks). No fetch policy: whether the konnector is there changes under the page (the Store
 * installs it), so each check reads the stack. A missing konnector is a 404 (web/apps/apps.go
 * getHandler, app.ErrNotFound), which AppCollection.get passes on as a FetchError.
 */
export const buildKonnectorQuery = (slug: string): QuerySpec => ({
  definition: Q(KONNECTORS_DOCTYPE).getById(`${KONNECTORS_DOCTYPE}/${slug}`),
  options: { as: `${KONNECTORS_DOCTYPE}/${slug}` }
})

/** GET /settings/instance through SettingsCollection (`get`), as cozy-settings names it. */
export const buildInstanceQuery = (): QuerySpec => ({
  definition: Q(SETTINGS_DOCTYPE).getById('io.cozy.settings.instance'),
  options: { as: `${SETTINGS_DOCTYPE}/instance`, fetchPolicy: defaultFetchPolicy }
})

export { useSpecQuery, combineQueries, type PageQuery, type QueryResult } from './query-state'

/** A normalized io.cozy.apps / io.cozy.konnectors document (attributes spread, `links` kept) as the pages use it. */
export function installedAppFromDoc(doc: unknown, kind: InstalledApp['kind']): InstalledApp {
  const record = asRecord(doc)
  return toInstalledApp(
    { id: typeof record.id === 'string' ? record.id : '', type: '', attributes: asRecord(record.attributes), links: asRecord(record.links) },
    kind
  )
}

export function installedAppsFromDocs(data: unknown, kind: InstalledApp['kind']): InstalledApp[] {
  return Array.isArray(data) ? data.map(doc => installedAppFromDoc(doc, kind)) : []
}

/** The normalized instance document: SettingsCollection spreads its attributes. */
export function instanceFromDoc(doc: unknown): InstanceSettings {
  return instanceFromAttributes(asRecord(doc))
}
