import { createWriteStream, promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { Readable } from 'stream'
import { pipeline } from 'stream/promises'
import type { ReadableStream as WebReadableStream } from 'stream/web'
import type { Instance } from '../instance/instance'
import type { StackRuntime } from '../context'
import { exportErrors } from './export-doc'
import { Importer, type ImportSource } from './importer'
import { resetInstance } from './reset'
import { updateMoveSettings } from './instance-settings'

/** The manifest of an export, as GET /move/exports/:mac answers it. */
export interface ExportManifest {
  id: string
  state: string
  partsCursors: string[]
  totalSize: number
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const FETCH_TIMEOUT_MS = 30_000

/** Origins (scheme://host:port) of an instance: its API and each of its webapps. */
function originsOf(instance: Instance): string[] {
  const origins = [new URL(instance.url).origin]
  for (const slug of Object.keys(instance.state.apps)) {
    try {
      origins.push(new URL(instance.appUrl(slug)).origin)
    } catch {
      // not served
    }
  }
  return origins
}

/**
 * model/move/import.go transformSettingsURLToManifestURL: the Settings link
 * `https://<settings>/#/exports/<mac>` becomes `https://<instance>/move/exports/<mac>`. The
 * stack drops the "settings." label (nested) or the "-settings" suffix (flat); in the stand-in
 * every app has its own port, so a link on any origin of a known instance maps to that
 * instance. The stand-in only reaches loopback addresses: any other host is refused.
 */
export function manifestUrlFromSettingsUrl(runtime: StackRuntime, settingsUrl: string): string {
  const u = new URL(settingsUrl.trim())
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not an http(s) URL')
  const fragment = u.hash.replace(/^#/, '')
  if (!fragment.startsWith('/exports/')) throw new Error('Fragment is not in the expected format')
  const mac = fragment.slice('/exports/'.length)
  if (!mac || /[/?#\s]/.test(mac)) throw new Error('Fragment is not in the expected format')
  const owner = runtime.instances.find(i => originsOf(i).includes(u.origin))
  let origin: string
  if (owner) {
    origin = new URL(owner.url).origin
  } else {
    if (u.hostname.startsWith('settings.')) u.hostname = u.hostname.slice('settings.'.length)
    else {
      const labels = u.hostname.split('.')
      labels[0] = labels[0].replace(/-settings$/, '')
      u.hostname = labels.join('.')
    }
    origin = u.origin
  }
  const manifest = new URL(`/move/exports/${mac}`, origin)
  if (!LOOPBACK.has(manifest.hostname)) throw new Error('the stand-in only reaches instances on loopback')
  return manifest.toString()
}

/** import.go fetchManifest: 200 and state "done", anything else is "exports: not found". */
export async function fetchManifest(manifestUrl: string): Promise<ExportManifest> {
  const res = await fetch(manifestUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
  const text = await res.text()
  if (res.status !== 200) throw exportErrors.notFound()
  const body = JSON.parse(text) as { data?: { id?: unknown; attributes?: Record<string, unknown> } }
  const attributes = body.data?.attributes ?? {}
  if (attributes.state !== 'done') throw exportErrors.notFound()
  const cursors = Array.isArray(attributes.parts_cursors) ? attributes.parts_cursors.filter((c): c is string => typeof c === 'string') : []
  return { id: String(body.data?.id ?? ''), state: 'done', partsCursors: cursors, totalSize: typeof attributes.total_size === 'number' ? attributes.total_size : 0 }
}

/** import.go CheckImport (POST /move/imports/precheck): a done export that fits in the quota. */
export async function checkImport(runtime: StackRuntime, instance: Instance, settingsUrl: string): Promise<void> {
  let manifest: ExportManifest
  try {
    manifest = await fetchManifest(manifestUrlFromSettingsUrl(runtime, settingsUrl))
  } catch {
    throw exportErrors.notFound()
  }
  const quota = instance.state.quota
  if (quota !== null && quota > 0 && manifest.totalSize > quota) throw exportErrors.notEnoughSpace()
}

/** importer.go downloadFile: GET /move/exports/data/<mac>[?cursor=…] into a temporary file. */
async function downloadPart(manifestUrl: string, cursor: string, dir: string, index: number): Promise<string> {
  const u = new URL(manifestUrl)
  u.pathname = u.pathname.replace('/move/exports/', '/move/exports/data/')
  if (cursor) u.search = new URLSearchParams({ cursor }).toString()
  const res = await fetch(u, { signal: AbortSignal.timeout(10 * 60_000) })
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel()
    throw exportErrors.notFound()
  }
  const file = path.join(dir, `part-${index}.zip`)
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file))
  return file
}

/**
 * import.go Import: fetch the manifest, erase the instance, then import part 0 and every
 * other part (all parts are tried before failing). Returns the apps that were not
 * reinstalled. The `importing` setting is cleared at the end, success or failure.
 */
export async function runImport(instance: Instance, source: ImportSource): Promise<string[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-import-'))
  try {
    const manifest = await fetchManifest(source.manifestUrl)
    await resetInstance(instance)
    const importer = new Importer(instance, source)
    await importer.start()
    await importer.importPart(await downloadPart(source.manifestUrl, '', tmp, 0))
    for (const [i, cursor] of manifest.partsCursors.entries()) {
      try {
        const file = await downloadPart(source.manifestUrl, cursor, tmp, i + 1)
        await importer.importPart(file)
        await fs.rm(file, { force: true })
      } catch (err) {
        importer.errors.push(err instanceof Error ? err : new Error(String(err)))
      }
    }
    await importer.finish()
    if (importer.errors.length) {
      throw new Error(`${importer.errors.length} error(s) occurred: ${importer.errors.slice(0, 5).map(e => e.message).join('; ')}`)
    }
    return [...importer.appsNotInstalled].sort()
  } finally {
    await fs.rm(tmp, { recursive: true, force: true })
    await updateMoveSettings(instance, s => {
      delete s.importing
    })
  }
}
