import type { InstalledApp } from '../../stack-client'

/** One line of the "what to export" list: an installed app and the doctypes it keeps. */
export interface AppGroup {
  id: string
  /** Translation key for built-in groups (files), otherwise the app's own name. */
  labelKey?: string
  name?: string
  doctypes: string[]
  /** The app also uses wildcard doctypes (`io.cozy.bank.*`), only exported with "everything". */
  hasWildcards: boolean
}

/** The files group: the stack exports file contents only when `io.cozy.files` is listed. */
export const FILES_GROUP: AppGroup = {
  id: 'files',
  labelKey: 'export.apps.files',
  doctypes: ['io.cozy.files', 'io.cozy.files.versions'],
  hasWildcards: false
}

/**
 * Doctypes that describe the Cozy itself rather than the user's data, or that the import
 * skips anyway (model/move/importer.go): ticking an app should not drag them in.
 */
const NOT_USER_DATA = new Set([
  'io.cozy.apps',
  'io.cozy.konnectors',
  'io.cozy.jobs',
  'io.cozy.triggers',
  'io.cozy.permissions',
  'io.cozy.settings',
  'io.cozy.notifications',
  'io.cozy.exports',
  'io.cozy.imports',
  'io.cozy.sessions',
  'io.cozy.sessions.logins',
  'io.cozy.oauth.clients',
  'io.cozy.doctypes',
  'io.cozy.remote.requests',
  'io.cozy.apps_registry',
  'io.cozy.files',
  'io.cozy.files.versions'
])

function isUserDataDoctype(doctype: string): boolean {
  return !NOT_USER_DATA.has(doctype) && !doctype.includes('*') && /^[a-z0-9._-]+$/i.test(doctype)
}

/**
 * Groups the doctypes of the installed apps and konnectors by app, from the permissions of
 * their manifests, like the ENT's export tab lists its applications. The files come first;
 * apps that keep no data of their own are left out; apps are sorted by name.
 */
export function appGroupsFrom(apps: InstalledApp[], ownSlug?: string): AppGroup[] {
  const groups = apps
    .map(app => ({
      id: `${app.kind}/${app.slug}`,
      name: app.slug === ownSlug ? undefined : app.name,
      labelKey: app.slug === ownSlug ? 'export.apps.thisApp' : undefined,
      doctypes: app.permissionTypes.filter(isUserDataDoctype).sort(),
      hasWildcards: app.permissionTypes.some(type => type.includes('*'))
    }))
    .filter(group => group.doctypes.length > 0)
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'fr'))
  return [FILES_GROUP, ...groups]
}

/** The `with_doctypes` for the ticked groups: their doctypes, each once. */
export function doctypesOf(groups: AppGroup[], ticked: ReadonlySet<string>): string[] {
  const doctypes = groups.filter(g => ticked.has(g.id)).flatMap(g => g.doctypes)
  return [...new Set(doctypes)].sort()
}

/**
 * Doctypes a user can be told about in words (key under `export.doctypeNames`, dots as `_`);
 * any other is shown as it is.
 */
const NAMED_DOCTYPES = new Set([
  'io.cozy.files',
  'io.cozy.files.versions',
  'io.cozy.contacts',
  'io.cozy.contacts.groups',
  'io.cozy.calendar.events',
  'io.cozy.accounts',
  'io.cozy.sharings',
  'io.cozy.photos.albums',
  'io.cozy.bank.accounts',
  'io.cozy.bank.operations',
  'io.cozy.bills',
  'io.cozy.todos',
  'io.cozy.mesdonnees.imports',
  'io.cozy.mesdonnees.pendingshares'
])

/** The translation key naming a doctype, or null when it has no name in words. */
export function doctypeNameKey(doctype: string): string | null {
  return NAMED_DOCTYPES.has(doctype) ? `export.doctypeNames.${doctype.replace(/\./g, '_')}` : null
}
