/**
 * An installed webapp or konnector as `GET /apps/` and `GET /konnectors/` list it (docs/apps.md),
 * read through cozy-client's AppCollection / KonnectorCollection (src/queries/settings.ts).
 */
import { asRecord, stringAttr, type JsonApiResource } from './jsonapi'

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
