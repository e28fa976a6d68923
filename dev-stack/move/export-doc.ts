import path from 'path'
import { promises as fs } from 'fs'
import type { Instance } from '../instance/instance'
import type { Doc } from '../storage/databases'
import { httpError, StackError } from '../http/errors'
import { decodeExportMac, EXPORT_MAX_AGE_MS, encodeExportMac } from './mac'

export const EXPORTS_DOCTYPE = 'io.cozy.exports'

/** model/move/doc.go ExportDoc, as stored (the stack keeps it in the global database). */
export type ExportDoc = Doc & {
  domain: string
  parts_size?: number
  parts_cursors: string[]
  with_doctypes?: string[]
  state: 'exporting' | 'done' | 'error'
  created_at: string
  expires_at: string
  total_size?: number
  /** nanoseconds, like Go's time.Duration */
  creation_duration?: number
  error?: string
}

/** model/move/export.go ExportOptions: the message of an `export` job. */
export interface ExportOptions {
  parts_size?: number
  /** Go time.Duration: nanoseconds. */
  max_age?: number
  with_doctypes?: string[]
  contextual_domain?: string
  token_source?: string
  ignore_vault?: boolean
  move_to?: MoveToOptions
  admin_req?: boolean
}

export interface MoveToOptions {
  url: string
  token: string
  client_id: string
  client_secret: string
}

/** export.go minimalPartsSize: 1 GiB. The stand-in lets tests lower it (StackConfig). */
export const MINIMAL_PARTS_SIZE = 1024 * 1024 * 1024

/** model/move/errors.go */
export const exportErrors = {
  notFound: () => httpError(404, 'exports: not found'),
  expired: () => httpError(404, 'exports: has expired'),
  invalidMac: () => httpError(401, 'exports: invalid mac'),
  conflict: () => httpError(409, 'export: an archive is already being created'),
  invalidCursor: () => httpError(400, 'export: cursor is invalid'),
  notEnoughSpace: () => new StackError(413, 'jsonapi', 'import: not enough disk space')
}

/** ExportDoc.AcceptDoctype: no list means every doctype. */
export function acceptsDoctype(doc: Pick<ExportDoc, 'with_doctypes'>, doctype: string): boolean {
  const list = doc.with_doctypes ?? []
  return list.length === 0 || list.includes(doctype)
}

/**
 * doc.go prepareExportDoc: a parts size below the minimum becomes max(minimum,
 * sqrt(usage / minimum) × minimum); max_age 0 or above 7 days becomes 7 days. (docs/move.md's
 * example asks for parts_size 10240; the code raises anything below 1 GiB.)
 */
export function prepareExportDoc(domain: string, options: ExportOptions, usage: number, minimalPartsSize: number, now = new Date()): Omit<ExportDoc, '_id'> {
  let partsSize = typeof options.parts_size === 'number' && Number.isFinite(options.parts_size) ? Math.floor(options.parts_size) : 0
  if (partsSize < minimalPartsSize) {
    partsSize = minimalPartsSize
    if (usage > partsSize) partsSize = Math.floor(Math.sqrt(usage / minimalPartsSize) * minimalPartsSize)
  }
  let maxAgeMs = typeof options.max_age === 'number' && Number.isFinite(options.max_age) ? options.max_age / 1e6 : 0
  if (maxAgeMs <= 0 || maxAgeMs > EXPORT_MAX_AGE_MS) maxAgeMs = EXPORT_MAX_AGE_MS
  const doc: Omit<ExportDoc, '_id'> = {
    domain,
    state: 'exporting',
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + maxAgeMs).toISOString(),
    total_size: -1,
    parts_size: partsSize,
    parts_cursors: []
  }
  if (options.with_doctypes && options.with_doctypes.length > 0) doc.with_doctypes = options.with_doctypes
  return doc
}

/** jsonapi.Data of an ExportDoc: type io.cozy.exports, no links, the rest as attributes. */
export function exportResource(doc: ExportDoc): Record<string, unknown> {
  const { _id, _rev, ...attributes } = doc
  return { data: { type: EXPORTS_DOCTYPE, id: _id, attributes, meta: { rev: _rev } } }
}

/** Where the metadata archive of an export lives (archiver.go keeps it under <fs>/exports/<domain>/). */
export function archivePath(instance: Instance, exportId: string): string {
  return path.join(instance.dir, 'exports', `${exportId.replace(/[^A-Za-z0-9_-]/g, '_')}.ndjson.gz`)
}

export async function removeArchive(instance: Instance, exportId: string): Promise<void> {
  await fs.rm(archivePath(instance, exportId), { force: true })
}

export async function listExports(instance: Instance): Promise<ExportDoc[]> {
  const all = (await instance.dbs.list(EXPORTS_DOCTYPE)) as ExportDoc[]
  // GetExports selects on the domain in the global database; here the database is the instance's own
  return all.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))
}

export function exportMac(instance: Instance, exportId: string): string {
  return encodeExportMac(instance.state.secret, exportId)
}

/**
 * The origin the export link points to. The stack uses the Settings app's subdomain; the
 * stand-in uses the Settings app when installed, else this project's app (it has the same
 * `#/exports/:mac` page), else the instance itself.
 */
export function settingsOrigin(instance: Instance): string {
  for (const slug of ['settings', 'mes-donnees']) {
    if (instance.state.apps[slug]) {
      try {
        return instance.appUrl(slug)
      } catch {
        // installed but not served (yet): try the next one
      }
    }
  }
  return instance.url
}

/** doc.go GenerateLink: `<settings app>/#/exports/<mac>`. */
export function exportLink(instance: Instance, exportId: string): string {
  return `${settingsOrigin(instance)}#/exports/${exportMac(instance, exportId)}`
}

/**
 * doc.go GetExport: the MAC must decode (400 otherwise, from the handler), authenticate (401),
 * name an existing export (404 not found) that has not expired (404 has expired).
 */
export async function exportFromMac(instance: Instance, mac: string): Promise<ExportDoc> {
  const check = decodeExportMac(instance.state.secret, mac)
  if (!check.ok) {
    if (check.reason === 'malformed') throw httpError(400, 'illegal base64 data')
    throw exportErrors.invalidMac()
  }
  const doc = (await instance.dbs.getOrNull(EXPORTS_DOCTYPE, check.exportId)) as ExportDoc | null
  if (!doc) throw exportErrors.notFound()
  if (Date.parse(doc.expires_at) <= Date.now()) throw exportErrors.expired()
  return doc
}
