/**
 * `describeArchive`: what `mes-donnees inspect --json` prints, and what the browser preview
 * shows. Reads every app's JSON through its reader (never the binaries) to count resources
 * and shares. The returned shape is a contract other tools rely on.
 */
import type { AppLocation, EntArchive } from './archive'
import { summarizeApp } from './app-context'
import type { AppCounts } from './apps/reader'
import { ArchiveWarning } from './errors'
import { isResource } from './models'

export interface AppSummary {
  /** The Manifest key's last segment without dashes (`workspace`, `blog`, `scrapbook`…), or `unknown`. */
  app: string
  /** The app's folder in the archive, or the Manifest's when the folder is missing; null if neither. */
  folder: string | null
  version: string | null
  /**
   * Every item the import accounts for, one line each in its report (imported, already there,
   * not selected or failed): the resources below plus the stored binaries.
   */
  items: number
  /** Content items that each become a Cozy document or folder (files and folders, blogs and posts, …). */
  resources: number
  /** Binaries stored in the app's folder (workspace files, `Documents/`, mail `Attachments/`, rack files). */
  documents: number
  /** Uncompressed bytes of everything in the app's folder. */
  bytes: number
  /** (resource, recipient) share grants, the exporting user left out. */
  shares: number
}

export interface ArchiveDescription {
  exportId: string | null
  /** ISO 8601, from the export folder's epoch milliseconds. */
  exportedAt: string | null
  user: { id: string | null; name: string | null }
  apps: AppSummary[]
  warnings: Array<{ code: string; message: string }>
}

const MAX_WARNINGS_PER_CODE = 200

export async function describeArchive(archive: EntArchive): Promise<ArchiveDescription> {
  const warnings: ArchiveWarning[] = []
  // Capped as they come, not at the end: an index of a million files without their binaries
  // warns a million times, and only the first MAX_WARNINGS_PER_CODE of each code are shown.
  const perCode = new Map<string, number>()
  const warn = (warning: ArchiveWarning): void => {
    const count = (perCode.get(warning.code) ?? 0) + 1
    perCode.set(warning.code, count)
    if (count <= MAX_WARNINGS_PER_CODE) warnings.push(warning)
  }
  for (const warning of archive.warnings) warn(warning)
  const apps: AppSummary[] = []
  // Apps that provide something first (the workspace index gives other apps their attachment names in the same pass).
  const provides = (a: AppLocation): number => (a.known && archive.reader(a.app)?.provides?.length ? 1 : 0)
  const order = [...archive.apps].sort((a, b) => provides(b) - provides(a))
  const summaries = new Map<AppLocation, AppSummary>()
  for (const location of order) {
    const summary: AppSummary = { app: location.app, folder: location.folder ?? location.manifestFolder, version: location.version, items: 0, resources: 0, documents: 0, bytes: 0, shares: 0 }
    const view = location.folder ? archive.folder(location.folder) : undefined
    if (view) {
      const reader = location.known ? archive.reader(location.app) : undefined
      const isBinary = reader?.isBinary ?? ((rel: string) => rel.startsWith('Documents/'))
      for (const file of view.files) {
        summary.bytes += file.file.size
        if (isBinary(file.rel)) summary.documents++
      }
      const counted = await countApp(archive, location, warn)
      summary.items = counted.items
      summary.resources = counted.resources
      summary.shares = counted.shares
    }
    summaries.set(location, summary)
  }
  for (const location of archive.apps) apps.push(summaries.get(location) as AppSummary)
  return {
    exportId: archive.exportId,
    exportedAt: archive.exportedAt ? archive.exportedAt.toISOString() : null,
    user: { id: archive.userId, name: archive.userId ? archive.names.get(archive.userId) ?? null : null },
    apps,
    warnings: capWarnings(warnings, perCode)
  }
}

/**
 * What one app holds, counted the way the import accounts for it. An app whose data stops
 * being readable counts what it read, with a warning: the import fails the same remainder.
 */
export async function countApp(archive: EntArchive, location: AppLocation, onWarning: (w: ArchiveWarning) => void): Promise<AppCounts> {
  const counts: AppCounts = { items: 0, resources: 0, shares: 0 }
  try {
    const counted = await summarizeApp(archive, location, onWarning)
    if (counted) return counted
    for await (const item of archive.readApp(location, onWarning)) {
      counts.items++
      if (isResource(item)) counts.resources++
      if ('shares' in item) counts.shares += item.shares.length
    }
  } catch (err) {
    onWarning({ code: 'unreadable-entry', message: `${location.app}: the rest of this application cannot be read (${err instanceof Error ? err.message : String(err)}).`, app: location.app, path: location.folder ?? undefined })
  }
  return counts
}

/** Keeps the report readable: at most MAX_WARNINGS_PER_CODE per code (kept as they came), then one line saying how many more. */
function capWarnings(warnings: ArchiveWarning[], counts: Map<string, number>): Array<{ code: string; message: string }> {
  const out: Array<{ code: string; message: string }> = warnings.map(warning => ({ code: warning.code, message: warning.message }))
  for (const [code, count] of counts) {
    if (count > MAX_WARNINGS_PER_CODE) out.push({ code, message: `… and ${count - MAX_WARNINGS_PER_CODE} more "${code}" warnings.` })
  }
  return out
}
