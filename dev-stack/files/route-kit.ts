import crypto from 'crypto'
import type { Request, Response } from 'express'
import type { StackContext } from '../context'
import type { PermissionSet, Verb } from '../auth/permissions'
import { invalidParameter } from '../http/errors'
import { queryString } from '../http/body'
import { requireVfs } from './permissions'
import { fileObject, jsonApiBody } from './jsonapi'
import { FILES_DOCTYPE, vfsErrors, type FileDoc } from './vfs'


/** consts.MaxItemsPerPageForMango and math.MaxInt32 (web/files/files.go FindFilesMango). */
export const MAX_ITEMS_PER_PAGE_FOR_MANGO = 1000
export const MAX_INT32 = 2 ** 31 - 1

const JSONAPI = 'application/vnd.api+json'

export function sendJsonApi(res: Response, status: number, body: string): void {
  res.status(status).type(JSONAPI).send(body)
}

/** web/files/files.go CozyMetadataFromClaims: who created/uploaded, from the token's audience. */
export function cozyMetadata(ctx: StackContext, set: PermissionSet, req: Request, upload: boolean): Record<string, unknown> {
  const now = new Date().toISOString()
  const meta: Record<string, unknown> = { doctypeVersion: '1', metadataVersion: 1, createdAt: now, createdOn: ctx.instance.url, updatedAt: now }
  const slug = set.kind === 'app' || set.kind === 'konnector' ? set.sourceSlug : undefined
  if (slug) {
    meta.createdByApp = slug
    meta.updatedByApps = [{ slug, date: now, instance: ctx.instance.url }]
  }
  if (upload) {
    meta.uploadedAt = now
    meta.uploadedOn = ctx.instance.url
    if (slug) meta.uploadedBy = { slug }
  }
  const account = queryString(req, 'SourceAccount')
  if (account) meta.sourceAccount = account
  const identifier = queryString(req, 'SourceAccountIdentifier')
  if (identifier) meta.sourceAccountIdentifier = identifier
  return meta
}

export function parseDate(value: string | undefined): string | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString()
}

export function tagsOf(req: Request): string[] {
  return (queryString(req, 'Tags') ?? '')
    .split(',')
    .map(t => t.trim())
    .filter(Boolean)
}

/** Content-MD5 is base64 of the 16 raw bytes (web/files/files.go parseMD5Hash, 422 otherwise). */
export function parseMd5(header: string | undefined): Buffer | undefined {
  if (!header) return undefined
  const raw = Buffer.from(header, 'base64')
  if (raw.length !== 16 || raw.toString('base64') !== header.replace(/\s/g, '')) throw invalidParameter('Content-MD5', 'Invalid Content-MD5 header')
  return raw
}

export function declaredSize(req: Request): number | undefined {
  const cl = req.headers['content-length']
  if (cl !== undefined) return Number(cl)
  const s = queryString(req, 'Size')
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined
}

/** Metadata objects posted before an upload (POST /files/upload/metadata), valid 10 minutes. */
export class MetadataStore {
  private readonly items = new Map<string, { attributes: Record<string, unknown>; expires: number }>()
  add(attributes: Record<string, unknown>): string {
    const id = crypto.randomBytes(8).toString('hex').toUpperCase()
    this.items.set(id, { attributes, expires: Date.now() + 10 * 60 * 1000 })
    return id
  }
  take(id: string): Record<string, unknown> {
    const item = this.items.get(id)
    if (!item || item.expires < Date.now()) throw invalidParameter('MetadataID', 'Invalid or expired MetadataID')
    return item.attributes
  }
}

/** What the /files routes share: the instance's VFS and the checks and answers every route makes. */
export interface FilesKit {
  ctx: StackContext
  vfs: StackContext['instance']['files']
  metadataStore: MetadataStore
  load(id: string): Promise<FileDoc>
  loadByPath(req: Request): Promise<FileDoc>
  check(req: Request, verb: Verb, doc: FileDoc): Promise<PermissionSet>
  sendDir(req: Request, res: Response, dir: FileDoc, status?: number): Promise<void>
  sendDoc(req: Request, res: Response, doc: FileDoc, status?: number): Promise<void>
}

export function filesKit(ctx: StackContext): FilesKit {
  const vfs = ctx.instance.files
  const metadataStore = new MetadataStore()

  async function load(id: string): Promise<FileDoc> {
    const doc = await vfs.get(id)
    if (!doc) throw vfsErrors.notFound()
    return doc
  }

  async function loadByPath(req: Request): Promise<FileDoc> {
    const p = queryString(req, 'Path')
    if (!p) throw invalidParameter('Path', 'Path is missing')
    const doc = await vfs.byPath(p)
    if (!doc) throw vfsErrors.notFound()
    return doc
  }

  async function check(req: Request, verb: Verb, doc: FileDoc): Promise<PermissionSet> {
    const set = await ctx.permission(req)
    await requireVfs(set, verb, doc, vfs)
    return set
  }

  /** web/files/paginated.go dirData: the directory with a page of its contents in `included`. */
  async function sendDir(req: Request, res: Response, dir: FileDoc, status = 200): Promise<void> {
    const all = await vfs.children(dir._id)
    let limit = Number(queryString(req, 'page[limit]') ?? 30)
    if (!Number.isInteger(limit) || limit <= 0) limit = 30
    if (limit > 100) limit = 100
    const cursor = queryString(req, 'page[cursor]')
    let start = 0
    if (cursor) {
      const at = all.findIndex(d => d._id === cursor)
      start = at < 0 ? all.length : at
    }
    const page = all.slice(start, start + limit)
    const included = await Promise.all(page.map(d => fileObject(d, vfs)))
    const data = await fileObject(dir, vfs)
    ;(data.relationships as Record<string, unknown>).contents = {
      data: page.map(d => ({ type: FILES_DOCTYPE, id: d._id })),
      meta: { count: all.length }
    }
    const links: Record<string, string> = {}
    if (start + limit < all.length) links.next = `/files/${dir._id}?page[cursor]=${all[start + limit]._id}&page[limit]=${limit}`
    sendJsonApi(res, status, jsonApiBody(data, { included, links }))
  }

  async function sendDoc(req: Request, res: Response, doc: FileDoc, status = 200): Promise<void> {
    if (doc.type === 'directory') return sendDir(req, res, doc, status)
    sendJsonApi(res, status, jsonApiBody(await fileObject(doc, vfs)))
  }

  return { ctx, vfs, metadataStore, load, loadByPath, check, sendDir, sendDoc }
}
