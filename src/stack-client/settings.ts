import type { StackFetcher } from './fetcher'
import { withStackErrors } from './StackError'
import { numberAttr, singleResource, stringAttr } from './jsonapi'

/** What the pages need from `GET /settings/instance` (docs/settings.md). */
export interface InstanceSettings {
  email?: string
  publicName?: string
  locale?: string
  /** Set on the source once the move was confirmed (`/move/go`): where this Cozy went. */
  movedTo?: string
  /** Set on the target after a move: where this Cozy's data came from. */
  movedFrom?: string
}

/** `GET /settings/disk-usage` (web/settings/disk_usage.go); sizes in bytes. */
export interface DiskUsage {
  used: number
  /** Absent when the Cozy has no quota. */
  quota?: number
}

/**
 * The io.cozy.settings instance document as cozy-client's SettingsCollection normalizes it
 * (attributes spread), read by buildInstanceQuery (src/queries/settings.ts).
 */
export function instanceFromAttributes(attrs: Record<string, unknown>): InstanceSettings {
  return {
    email: stringAttr(attrs, 'email'),
    publicName: stringAttr(attrs, 'public_name'),
    locale: stringAttr(attrs, 'locale'),
    movedTo: stringAttr(attrs, 'moved_to'),
    movedFrom: stringAttr(attrs, 'moved_from')
  }
}

export function settingsApi(stack: StackFetcher) {
  return {
    /** Any logged-in webapp may read it. */
    async getDiskUsage(): Promise<DiskUsage> {
      const body = await withStackErrors(() => stack.fetchJSON('GET', '/settings/disk-usage'))
      const attrs = singleResource(body).attributes
      return { used: numberAttr(attrs, 'used') ?? 0, quota: numberAttr(attrs, 'quota') }
    }
  }
}

export type SettingsApi = ReturnType<typeof settingsApi>
