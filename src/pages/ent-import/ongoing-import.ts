/**
 * Which import the page shows when it opens, so that a running import is never lost from view:
 * a reload, a second tab or a later visit rebuilds the page from the import records rather
 * than offering to choose an archive while the konnector is still at work.
 */
import type { ImportRecord } from '../../import/records'
import { isResumable } from './import-actions'

type Followable = Pick<ImportRecord, 'state' | 'archive' | 'updatedAt' | 'finishedAt'> & { _id: string }

/** States in which a job is at work or about to be (a `paused` import has its continuation queued). */
const ACTIVE = new Set<ImportRecord['state']>(['queued', 'checking', 'running', 'paused'])

/** How long the report of an import this browser followed is shown again on opening the page. */
export const REPORT_KEPT_MS = 24 * 60 * 60 * 1000

const STORAGE_KEY = 'mesdonnees.entImport.followed'

export function isActive(record: Pick<ImportRecord, 'state'>): boolean {
  return ACTIVE.has(record.state)
}

/**
 * The import to follow on opening the page: the newest one at work (from any browser), else
 * the one this browser was following, if it is still at work or ended less than a day ago and
 * the user did not leave it for another archive. Imports left idle for long are not followed:
 * the page's "not finished" warning offers to resume them instead.
 * `records` are newest first, as the import records query gives them.
 */
export function importToFollow(records: Followable[], remembered: string | null, now = Date.now()): string | null {
  const working = records.find(record => isActive(record) && !isResumable(record, now))
  if (working) return working._id
  const mine = remembered ? records.find(record => record._id === remembered) : undefined
  if (!mine) return null
  if (isActive(mine)) return isResumable(mine, now) ? null : mine._id
  const ended = new Date(mine.finishedAt ?? mine.updatedAt).getTime()
  return now - ended < REPORT_KEPT_MS ? mine._id : null
}

/** The import this browser follows (local storage may be unavailable: then nothing is kept). */
export const followedImport = {
  get(): string | null {
    try {
      return window.localStorage.getItem(STORAGE_KEY)
    } catch {
      return null
    }
  },
  set(id: string | null): void {
    try {
      if (id) window.localStorage.setItem(STORAGE_KEY, id)
      else window.localStorage.removeItem(STORAGE_KEY)
    } catch {
      // private browsing or storage disabled: the records alone still show imports at work
    }
  }
}
