/**
 * `describeArchive`: what `mes-donnees inspect --json` prints, and what the browser preview
 * shows. Reads every app's JSON through its reader (never the binaries) to count resources
 * and shares. The returned shape is a contract other tools rely on.
 */
import type { AppLocation, EntArchive } from './archive'
import { summarizeApp } from './app-context'
import { ArchiveWarning } from './errors'
import { isResource } from './models'

export interface AppSummary {
  /** The Manifest key's last segment without dashes (`workspace`, `blog`, `scrapbook`…), or `unknown`. */
  app: string
  /** The app's folder in the archive, or the Manifest's when the folder is missing; null if neither. */
  folder: string | null
  version: string | null
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
  const warnings: ArchiveWarning[] = [...archive.warnings]
  const apps: AppSummary[] = []
  // The workspace first: its index gives other apps their attachment names in the same pass.
  const order = [...archive.apps].sort((a, b) => Number(b.app === 'workspace') - Number(a.app === 'workspace'))
  const summaries = new Map<AppLocation, AppSummary>()
  for (const location of order) {
    const summary: AppSummary = { app: location.app, folder: location.folder ?? location.manifestFolder, version: location.version, resources: 0, documents: 0, bytes: 0, shares: 0 }
    const view = location.folder ? archive.folder(location.folder) : undefined
    if (view) {
      const reader = location.known ? archive.reader(location.app) : undefined
      const isBinary = reader?.isBinary ?? ((rel: string) => rel.startsWith('Documents/'))
      for (const file of view.files) {
        summary.bytes += file.file.size
        if (isBinary(file.rel)) summary.documents++
      }
      const counted = await summarizeApp(archive, location, w => warnings.push(w))
      if (counted) {
        summary.resources = counted.resources
        summary.shares = counted.shares
      } else {
        for await (const item of archive.readApp(location, w => warnings.push(w))) {
          if (isResource(item)) summary.resources++
          if ('shares' in item) summary.shares += item.shares.length
        }
      }
    }
    summaries.set(location, summary)
  }
  for (const location of archive.apps) apps.push(summaries.get(location) as AppSummary)
  return {
    exportId: archive.exportId,
    exportedAt: archive.exportedAt ? archive.exportedAt.toISOString() : null,
    user: { id: archive.userId, name: archive.userId ? archive.names.get(archive.userId) ?? null : null },
    apps,
    warnings: capWarnings(warnings)
  }
}

/** Keeps the report readable: at most MAX_WARNINGS_PER_CODE per code, then one line saying how many more. */
function capWarnings(warnings: ArchiveWarning[]): Array<{ code: string; message: string }> {
  const counts = new Map<string, number>()
  const out: Array<{ code: string; message: string }> = []
  for (const warning of warnings) {
    const count = (counts.get(warning.code) ?? 0) + 1
    counts.set(warning.code, count)
    if (count <= MAX_WARNINGS_PER_CODE) out.push({ code: warning.code, message: warning.message })
  }
  for (const [code, count] of counts) {
    if (count > MAX_WARNINGS_PER_CODE) out.push({ code, message: `… and ${count - MAX_WARNINGS_PER_CODE} more "${code}" warnings.` })
  }
  return out
}
