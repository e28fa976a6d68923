/**
 * The one typed client for the stack routes the webapp and its service use that are not
 * doctypes (doctypes are cozy-client queries and collections: src/queries, README.md). Each
 * area is a small module built on cozy-client's `fetchJSON`; every failure is a StackError
 * carrying the translation key of its message. Add a route to its area (or a new area) here
 * rather than fetching from a component.
 */
import type CozyClient from 'cozy-client'
import { stackFetcherOf, type StackFetcher } from './fetcher'
import { settingsApi } from './settings'
import { exportsApi } from './exports'
import { importsApi } from './imports'
import { moveApi } from './move'
import { notificationsApi } from './notifications'
import { filesApi } from './files-upload'
import { jobsApi } from './jobs'
import { entImportsApi } from './ent-imports'

export function createStackApi(stack: StackFetcher) {
  return {
    uri: stack.uri,
    settings: settingsApi(stack),
    exports: exportsApi(stack),
    imports: importsApi(stack),
    move: moveApi(stack),
    notifications: notificationsApi(stack),
    files: filesApi(stack),
    jobs: jobsApi(stack),
    entImports: entImportsApi(stack)
  }
}

export type StackApi = ReturnType<typeof createStackApi>

export function stackApiOf(client: CozyClient): StackApi {
  return createStackApi(stackFetcherOf(client))
}

export { StackError, toStackError, genericErrorKey } from './StackError'
export type { StackFetcher } from './fetcher'
export type { ExportDoc, ExportPart, ExportRequest, ExportState } from './exports'
export { MIN_PART_SIZE, parseExportLink, exportDocFromCouch, isAlreadyRunningError } from './exports'
export { isImportableExportLink } from './imports'
export type { InstanceSettings, DiskUsage } from './settings'
export type { InstalledApp } from './apps'
