import { parseExportLink, toExportDoc } from '../../stack-client/exports'
import { readRemoteExportJson, type ReadJson } from '../../stack-client/remote-export'

export type { ReadJson }

/** What this page can tell about the export behind a mailed link, before it erases this Cozy. */
export interface ExportSummary {
  /** The Cozy the export was made on, as the stack finds it from the link. */
  source: string
  /** Absent when the source's export could not be read from this page (see readExportSummary). */
  details?: {
    createdAt?: string
    expiresAt?: string
    /** The number of zip parts the import will download. */
    parts: number
    /** The size the stack aimed at for each part (parts_size); the files themselves have no total in the export. */
    partsSize?: number
  }
}

/**
 * The source's `/move/exports/<mac>` for a Settings link `…#/exports/<mac>`, rewritten the way
 * the stack does before it imports (model/move/import.go transformSettingsURLToManifestURL: a
 * leading `settings.` label or a `-settings` suffix of the first label is dropped).
 */
export function manifestUrlOf(link: string): URL | null {
  const mac = parseExportLink(link)
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return null
  }
  if (!mac || !url.hash.startsWith('#/exports/') || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null
  if (url.hostname.startsWith('settings.')) {
    url.hostname = url.hostname.slice('settings.'.length)
  } else {
    const labels = url.hostname.split('.')
    labels[0] = labels[0].replace(/-settings$/, '')
    url.hostname = labels.join('.')
  }
  return new URL(`/move/exports/${encodeURIComponent(mac)}`, url.origin)
}

/**
 * Reads the export on its own Cozy. The stack answers any origin there (CORS), but a Cozy's
 * Content-Security-Policy may keep a webapp from reaching another Cozy (connect-src): then
 * only the source is known, and the page says so instead of guessing.
 */
export async function readExportSummary(link: string, readJson: ReadJson = readRemoteExportJson): Promise<ExportSummary | null> {
  const manifest = manifestUrlOf(link)
  if (!manifest) return null
  const source = manifest.host
  try {
    const body = (await readJson(manifest.href)) as { data?: { id?: unknown; attributes?: unknown } }
    const attrs = body?.data?.attributes
    if (!attrs || typeof attrs !== 'object') return { source }
    const doc = toExportDoc(String(body.data?.id ?? ''), attrs as Record<string, unknown>)
    return { source, details: { createdAt: doc.createdAt, expiresAt: doc.expiresAt, parts: doc.partsCursors.length + 1, partsSize: doc.partsSize } }
  } catch {
    return { source }
  }
}
