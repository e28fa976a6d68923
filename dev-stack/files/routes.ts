import crypto from 'crypto'
import type { Request, Response } from 'express'
import type { RouteModule, StackContext } from '../context'
import type { PermissionSet, Verb } from '../auth/permissions'
import { forbidden, invalidAttribute, invalidParameter, jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJson, readJsonApi } from '../http/body'
import { isValidMediaType } from './mime'
import { allowVfs, requireVfs } from './permissions'
import { fileObject, jsonApiBody } from './jsonapi'
import { findPage } from '../storage/mango-page'
import { FILES_DOCTYPE, ROOT_DIR_ID, TRASH_DIR_ID, vfsErrors, type FileDoc } from './vfs'

/** consts.MaxItemsPerPageForMango and math.MaxInt32 (web/files/files.go FindFilesMango). */
const MAX_ITEMS_PER_PAGE_FOR_MANGO = 1000
const MAX_INT32 = 2 ** 31 - 1

const JSONAPI = 'application/vnd.api+json'

function sendJsonApi(res: Response, status: number, body: string): void {
  res.status(status).type(JSONAPI).send(body)
}

/** web/files/files.go CozyMetadataFromClaims: who created/uploaded, from the token's audience. */
function cozyMetadata(ctx: StackContext, set: PermissionSet, req: Request, upload: boolean): Record<string, unknown> {
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

function parseDate(value: string | undefined): string | undefined {
  if (!value) return undefined
  const t = Date.parse(value)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString()
}

function tagsOf(req: Request): string[] {
  return (queryString(req, 'Tags') ?? '')
    .split(',')
    .map(t => t.trim())
    .filter(Boolean)
}

/** Content-MD5 is base64 of the 16 raw bytes (web/files/files.go parseMD5Hash, 422 otherwise). */
function parseMd5(header: string | undefined): Buffer | undefined {
  if (!header) return undefined
  const raw = Buffer.from(header, 'base64')
  if (raw.length !== 16 || raw.toString('base64') !== header.replace(/\s/g, '')) throw invalidParameter('Content-MD5', 'Invalid Content-MD5 header')
  return raw
}

function declaredSize(req: Request): number | undefined {
  const cl = req.headers['content-length']
  if (cl !== undefined) return Number(cl)
  const s = queryString(req, 'Size')
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined
}

/** Metadata objects posted before an upload (POST /files/upload/metadata), valid 10 minutes. */
class MetadataStore {
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

function mountFiles(router: import('express').Router, ctx: StackContext): void {
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

  // docs/files.md "POST /files/:dir-id" (directories and files), web/files/files.go Create
  const create = route(async (req, res) => {
    const dirId = req.params.dirId || ROOT_DIR_ID
    const type = queryString(req, 'Type')
    const name = queryString(req, 'Name') ?? ''
    if (type !== 'file' && type !== 'directory') {
      req.resume()
      throw invalidAttribute('type', 'Invalid document type')
    }
    const set = await ctx.permission(req)
    const parent = await vfs.get(dirId)
    if (!parent || parent.type !== 'directory') {
      req.resume()
      throw vfsErrors.parentMissing()
    }
    const createdAt = parseDate(queryString(req, 'CreatedAt')) ?? parseDate(req.headers.date)
    const updatedAt = parseDate(queryString(req, 'UpdatedAt')) ?? parseDate(req.headers.date)
    let metadata: Record<string, unknown> | undefined
    const metadataId = queryString(req, 'MetadataID')
    if (metadataId) metadata = metadataStore.take(metadataId)
    // checkPerm(c, "POST", nil, doc): the new document with its parent chain
    const probe = { _id: '', type, name, dir_id: dirId, created_at: '', updated_at: '' } as FileDoc
    if (!(await allowVfs(set, 'POST', probe, vfs))) {
      req.resume()
      throw forbidden()
    }
    if (type === 'directory') {
      req.resume()
      const dir = await vfs.createDir(dirId, name, { createdAt, updatedAt, tags: tagsOf(req), metadata, cozyMetadata: cozyMetadata(ctx, set, req, false) })
      res.setHeader('Location', `${ctx.instance.url}files/${dir._id}`)
      await sendDoc(req, res, dir, 201)
      return
    }
    const contentType = req.headers['content-type']
    if (contentType !== undefined && !isValidMediaType(contentType)) {
      req.resume()
      throw vfsErrors.illegalMime()
    }
    let md5: Buffer | undefined
    try {
      md5 = parseMd5(req.headers['content-md5'] as string | undefined)
    } catch (err) {
      req.resume()
      throw err
    }
    const file = await vfs.createFile(req, {
      name,
      dirId,
      size: declaredSize(req),
      md5,
      contentType,
      createdAt,
      updatedAt,
      tags: tagsOf(req),
      executable: queryString(req, 'Executable') === 'true',
      metadata,
      cozyMetadata: cozyMetadata(ctx, set, req, true)
    })
    res.setHeader('Location', `${ctx.instance.url}files/${file._id}`)
    await sendDoc(req, res, file, 201)
  })

  // docs/files.md "POST /files/upload/metadata"
  router.post(
    '/files/upload/metadata',
    route(async (req, res) => {
      const { attributes } = await readJsonApi(req)
      await ctx.allowWholeType(req, 'POST', FILES_DOCTYPE).catch(async err => {
        const set = await ctx.permission(req)
        if (set.valuesFor('POST', FILES_DOCTYPE).length === 0) throw err
      })
      const id = metadataStore.add(attributes)
      sendJsonApi(res, 201, jsonApiBody({ type: 'io.cozy.files.metadata', id, attributes }))
    })
  )

  // docs/files.md "POST /files/_find"; web/files/files.go FindFilesMango: the limit (100 by
  // default, at most 1000, page[limit] wins), skip (page[skip] wins), the bookmark from
  // page[cursor] (or cursor); files with their path; links.next only for a full page with a
  // bookmark; meta.count is skip + results for the last page, MaxInt32 - 1 while it is unknown.
  router.post(
    '/files/_find',
    route(async (req, res) => {
      const body = await readJson(req)
      await ctx.allowWholeType(req, 'GET', FILES_DOCTYPE)
      if (!isObject(body) || !isObject(body.selector)) throw jsonApiError(400, 'Missing required key: selector')
      let limit = typeof body.limit === 'number' && body.limit <= MAX_ITEMS_PER_PAGE_FOR_MANGO ? body.limit : 100
      const pageLimit = Number.parseInt(queryString(req, 'page[limit]') ?? '', 10)
      if (Number.isInteger(pageLimit)) limit = pageLimit
      let skip = typeof body.skip === 'number' ? body.skip : 0
      const pageSkip = Number.parseInt(queryString(req, 'page[skip]') ?? '', 10)
      if (Number.isInteger(pageSkip)) skip = pageSkip
      const bookmark = queryString(req, 'page[cursor]') ?? queryString(req, 'cursor') ?? body.bookmark
      const page = await findPage(ctx.instance.dbs, FILES_DOCTYPE, {
        selector: body.selector as PouchDB.Find.Selector,
        limit,
        skip,
        bookmark,
        sort: Array.isArray(body.sort) ? (body.sort as PouchDB.Find.FindRequest<object>['sort']) : undefined
      })
      const docs = page.docs as unknown as FileDoc[]
      const data = await Promise.all(docs.map(d => fileObject(d, vfs, { includePath: true })))
      const full = page.next !== null
      const links = page.next !== null ? { next: `/files/_find?page[cursor]=${page.next}` } : {}
      sendJsonApi(res, 200, jsonApiBody(data, { meta: { count: full ? MAX_INT32 - 1 : skip + docs.length }, links }))
    })
  )

  // docs/files.md "POST /files/_all_docs"; web/files/files.go GetAllDocs: whole-type GET, the
  // documents of the keys found (not the trash), files with their path
  router.post(
    '/files/_all_docs',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'GET', FILES_DOCTYPE)
      const body = await readJson(req).catch((err: unknown) => {
        throw jsonApiError(400, err instanceof Error ? err.message : String(err))
      })
      const keys = isObject(body) && Array.isArray(body.keys) ? body.keys.filter((k): k is string => typeof k === 'string') : []
      const docs = (await Promise.all(keys.map(k => vfs.get(k)))).filter((d): d is FileDoc => d !== null && d._id !== TRASH_DIR_ID)
      const data = await Promise.all(docs.map(d => fileObject(d, vfs, { includePath: true })))
      sendJsonApi(res, 200, jsonApiBody(data, { meta: { count: data.length } }))
    })
  )

  // docs/files.md "GET /files/metadata" and "PATCH /files/metadata" (by path)
  router.get(
    '/files/metadata',
    route(async (req, res) => {
      const doc = await loadByPath(req)
      await check(req, 'GET', doc)
      await sendDoc(req, res, doc)
    })
  )

  // docs/files.md "GET /files/download" (by path) and "GET /files/download/:file-id", with Range
  const download = (byPath: boolean) =>
    route(async (req, res) => {
      const doc = byPath ? await loadByPath(req) : await load(req.params.id)
      await check(req, 'GET', doc)
      if (doc.type !== 'file') throw jsonApiError(400, 'Not a file')
      const size = Number(doc.size ?? 0)
      const disposition = queryString(req, 'Dl') === '1' ? 'attachment' : 'inline'
      const ascii = doc.name.replace(/[^\x20-\x7e]|["\\]/g, '_')
      res.setHeader('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.name)}`)
      res.setHeader('Content-Type', doc.mime ?? 'application/octet-stream')
      res.setHeader('Etag', `"${doc.md5sum ?? ''}"`)
      res.setHeader('Accept-Ranges', 'bytes')
      res.setHeader('Last-Modified', new Date(doc.updated_at).toUTCString())
      const range = req.headers.range
      if (range) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
        let start = m && m[1] !== '' ? Number(m[1]) : NaN
        let end = m && m[2] !== '' ? Number(m[2]) : NaN
        if (m && m[1] === '' && m[2] !== '') {
          start = Math.max(0, size - Number(m[2]))
          end = size - 1
        } else if (m && Number.isNaN(end)) end = size - 1
        if (!m || Number.isNaN(start) || start >= size || end < start) {
          res.setHeader('Content-Range', `bytes */${size}`)
          res.status(416).end()
          return
        }
        end = Math.min(end, size - 1)
        res.status(206)
        res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`)
        res.setHeader('Content-Length', String(end - start + 1))
        if (req.method === 'HEAD') return void res.end()
        vfs.openContent(doc._id, { start, end }).pipe(res)
        return
      }
      res.setHeader('Content-Length', String(size))
      if (req.method === 'HEAD') return void res.end()
      res.status(200)
      vfs.openContent(doc._id).pipe(res)
    })
  router.get('/files/download', download(true))
  router.get('/files/download/:id', download(false))

  // docs/files.md "Trash": GET /files/trash, POST/DELETE /files/trash/:id, DELETE /files/trash
  router.get(
    '/files/trash',
    route(async (req, res) => {
      const trash = await load(TRASH_DIR_ID)
      await check(req, 'GET', trash)
      await sendDir(req, res, trash)
    })
  )
  router.post(
    '/files/trash/:id',
    route(async (req, res) => {
      const doc = await load(req.params.id)
      await check(req, 'PATCH', doc)
      await sendDoc(req, res, await vfs.restore(doc._id))
    })
  )
  router.delete(
    '/files/trash/:id',
    route(async (req, res) => {
      const doc = await load(req.params.id)
      await check(req, 'DELETE', doc)
      await vfs.destroy(doc._id)
      res.status(204).end()
    })
  )
  router.delete(
    '/files/trash',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'DELETE', FILES_DOCTYPE)
      await vfs.clearTrash()
      res.status(204).end()
    })
  )

  // docs/files.md "PATCH /files/:file-id and PATCH /files/metadata": JSON:API attributes
  const patch = (byPath: boolean) =>
    route(async (req, res) => {
      const { data, attributes } = await readJsonApi(req)
      const doc = byPath ? await loadByPath(req) : await load(req.params.id)
      if (data.type !== undefined && data.type !== FILES_DOCTYPE) throw invalidAttribute('type', 'Invalid document type')
      const set = await check(req, 'PATCH', doc)
      const dirId = typeof attributes.dir_id === 'string' ? attributes.dir_id : undefined
      if (dirId && dirId !== doc.dir_id) {
        const target = await vfs.get(dirId)
        if (!target || target.type !== 'directory') throw vfsErrors.parentMissing()
        await requireVfs(set, 'PATCH', target, vfs)
      }
      const tags = Array.isArray(attributes.tags) ? attributes.tags.filter((t): t is string => typeof t === 'string') : undefined
      const ifMatch = typeof req.headers['if-match'] === 'string' ? req.headers['if-match'].replace(/^"|"$/g, '') : undefined
      const updated = await vfs.patch(
        doc._id,
        {
          name: typeof attributes.name === 'string' ? attributes.name : undefined,
          dir_id: dirId,
          tags,
          updated_at: parseDate(typeof attributes.updated_at === 'string' ? attributes.updated_at : undefined),
          executable: typeof attributes.executable === 'boolean' ? attributes.executable : undefined,
          metadata: isObject(attributes.metadata) ? attributes.metadata : undefined
        },
        ifMatch
      )
      await sendDoc(req, res, updated)
    })
  router.patch('/files/metadata', patch(true))
  router.patch('/files/:id', patch(false))

  // docs/files.md "POST /files/:file-id/relationships/referenced_by" (references-docs-in-vfs.md)
  router.post(
    '/files/:id/relationships/referenced_by',
    route(async (req, res) => {
      const body = await readJson(req)
      const doc = await load(req.params.id)
      await check(req, 'PUT', doc)
      const items = isObject(body) && Array.isArray(body.data) ? body.data : isObject(body) && isObject(body.data) ? [body.data] : null
      if (!items || !items.every(i => isObject(i) && typeof i.type === 'string' && typeof i.id === 'string')) throw jsonApiError(400, 'JSON input is malformed or is missing mandatory fields')
      const updated = await vfs.addReferences(doc._id, items as { type: string; id: string }[])
      sendJsonApi(res, 200, JSON.stringify({ data: updated.referenced_by ?? [], meta: { rev: updated._rev, count: (updated.referenced_by ?? []).length } }))
    })
  )

  // docs/references-docs-in-vfs.md "GET /data/:type/:doc-id/relationships/references"
  router.get(
    '/data/:doctype/:docid/relationships/references',
    route(async (req, res) => {
      const set = await ctx.permission(req)
      if (!set.allowWholeType('GET', FILES_DOCTYPE) && !set.allowId('GET', req.params.doctype, req.params.docid)) throw forbidden()
      const all = await ctx.instance.dbs.find(FILES_DOCTYPE, { selector: { referenced_by: { $elemMatch: { type: req.params.doctype, id: req.params.docid } } }, limit: 100000 })
      const docs = all.docs as unknown as FileDoc[]
      sendJsonApi(res, 200, JSON.stringify({ data: docs.map(d => ({ type: FILES_DOCTYPE, id: d._id })), meta: { count: docs.length }, links: {} }))
    })
  )

  // docs/files.md "GET /files/:file-id"
  router.get(
    '/files/:id',
    route(async (req, res) => {
      const doc = await load(req.params.id)
      await check(req, 'GET', doc)
      await sendDoc(req, res, doc)
    })
  )

  // docs/files.md "PUT /files/:file-id": new content
  router.put(
    '/files/:id',
    route(async (req, res) => {
      const doc = await vfs.get(req.params.id)
      if (!doc) {
        req.resume()
        throw vfsErrors.notFound()
      }
      const set = await ctx.permission(req)
      if (!(await allowVfs(set, 'PUT', doc, vfs))) {
        req.resume()
        throw forbidden()
      }
      const contentType = req.headers['content-type']
      if (contentType !== undefined && !isValidMediaType(contentType)) {
        req.resume()
        throw vfsErrors.illegalMime()
      }
      const ifMatch = typeof req.headers['if-match'] === 'string' ? req.headers['if-match'].replace(/^"|"$/g, '') : undefined
      const meta = cozyMetadata(ctx, set, req, true)
      const updated = await vfs.overwrite(doc._id, req, {
        size: declaredSize(req),
        md5: parseMd5(req.headers['content-md5'] as string | undefined),
        contentType: contentType && contentType !== 'application/octet-stream' ? contentType : undefined,
        updatedAt: parseDate(queryString(req, 'UpdatedAt')) ?? parseDate(req.headers.date),
        tags: queryString(req, 'Tags') !== undefined ? tagsOf(req) : undefined,
        ifMatch,
        cozyMetadata: { updatedAt: meta.updatedAt, uploadedAt: meta.uploadedAt, uploadedOn: meta.uploadedOn, uploadedBy: meta.uploadedBy }
      })
      await sendDoc(req, res, updated)
    })
  )

  // docs/files.md "DELETE /files/:dir-id" and "DELETE /files/:file-id": into the trash (PATCH permission)
  router.delete(
    '/files/:id',
    route(async (req, res) => {
      const doc = await load(req.params.id)
      await check(req, 'PATCH', doc)
      const ifMatch = typeof req.headers['if-match'] === 'string' ? req.headers['if-match'].replace(/^"|"$/g, '') : undefined
      await sendDoc(req, res, await vfs.trash(doc._id, ifMatch))
    })
  )

  router.post('/files/', create)
  router.post('/files/:dirId', create)
}

/** /files (docs/files.md; web/files/files.go, model/vfs). */
export const filesRoutes: RouteModule = {
  name: 'files',
  mount: mountFiles,
  start: async ctx => {
    await ctx.instance.files.init()
  }
}
