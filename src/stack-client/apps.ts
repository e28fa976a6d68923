import type { StackFetcher } from './fetcher'
import { withStackErrors } from './StackError'
import { asRecord, resourceList, singleResource, stringAttr, type JsonApiResource } from './jsonapi'

/** An installed webapp or konnector as `GET /apps/` and `GET /konnectors/` list it (docs/apps.md). */
export interface InstalledApp {
  slug: string
  name: string
  kind: 'webapp' | 'konnector'
  /** The doctypes named by the manifest's permissions (`type` of each rule). */
  permissionTypes: string[]
  /** Where the app opens (`links.related`), for webapps. */
  url?: string
}

export function toInstalledApp(resource: JsonApiResource, kind: InstalledApp['kind']): InstalledApp {
  const attrs = resource.attributes
  const slug = stringAttr(attrs, 'slug') ?? resource.id.replace(/^io\.cozy\.(apps|konnectors)\//, '')
  const permissions = asRecord(attrs.permissions)
  const permissionTypes = Object.values(permissions)
    .map(rule => asRecord(rule).type)
    .filter((type): type is string => typeof type === 'string' && type !== '')
  const related = resource.links.related
  return {
    slug,
    name: stringAttr(attrs, 'name') ?? slug,
    kind,
    permissionTypes: [...new Set(permissionTypes)],
    url: typeof related === 'string' ? related : undefined
  }
}

export function appsApi(stack: StackFetcher) {
  return {
    /** Installed webapps; needs GET on io.cozy.apps. */
    async listWebapps(): Promise<InstalledApp[]> {
      const body = await withStackErrors(() => stack.fetchJSON('GET', '/apps/'))
      return resourceList(body).map(r => toInstalledApp(r, 'webapp'))
    },

    /** Installed konnectors; needs GET on io.cozy.konnectors. */
    async listKonnectors(): Promise<InstalledApp[]> {
      const body = await withStackErrors(() => stack.fetchJSON('GET', '/konnectors/'))
      return resourceList(body).map(r => toInstalledApp(r, 'konnector'))
    },

    /** One webapp, e.g. to learn its URL (`links.related`); needs GET on io.cozy.apps. */
    async getWebapp(slug: string): Promise<InstalledApp> {
      const body = await withStackErrors(() => stack.fetchJSON('GET', `/apps/${encodeURIComponent(slug)}`))
      return toInstalledApp(singleResource(body), 'webapp')
    }
  }
}

export type AppsApi = ReturnType<typeof appsApi>
