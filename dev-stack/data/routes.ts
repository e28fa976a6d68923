import type { Request, Response, NextFunction, Router } from 'express'
import type { RouteModule, StackContext } from '../context'
import { couchError, jsonApiError, route, sendCouchStyleError } from '../http/errors'
import { isObject, queryString, readJson } from '../http/body'
import { checkReadable, checkWritable, docTarget } from '../auth/permissions'
import { decodeBookmark, encodeBookmark } from '../util/bookmark'
import { findPage, type PageRequest } from '../storage/mango-page'

/** The CouchDB error for a doctype whose database was never created (couchdb.IsNoDatabaseError). */
function noDatabase(reason = 'Database does not exist.'): Error {
  return couchError(404, 'not_found', reason)
}

/** json.Decoder errors on /data are jsonapi.Errorf(400, err) rendered couchdb-style. */
const decodeError = (message: string) => jsonApiError(400, message)

function withType(doctype: string, doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, _type: doctype }
}

/** consts.MaxItemsPerPageForMango. */
const MAX_MANGO_LIMIT = 1000

function mountData(router: Router, ctx: StackContext): void {
  const { instance } = ctx
  const dbs = instance.dbs

  // web/data/data.go dataAPIWelcome
  router.get('/data/', (_req, res) => {
    res.json({ message: 'welcome to a cozy API' })
  })

  // web/data/data.go allDoctypes: whole-type GET on io.cozy.doctypes
  router.get(
    '/data/_all_doctypes',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'GET', 'io.cozy.doctypes')
      const readable = (await dbs.doctypes()).filter(t => {
        try {
          checkReadable(t)
          return true
        } catch {
          return false
        }
      })
      res.json(readable)
    })
  )

  // web/data/replication.go bulkDocs: whole-type POST, proxied to CouchDB _bulk_docs (201)
  router.post(
    '/data/:doctype/_bulk_docs',
    route(async (req, res) => {
      const { doctype } = req.params
      await ctx.allowWholeType(req, 'POST', doctype)
      checkWritable(doctype)
      const body = await readJson(req, decodeError)
      if (!isObject(body) || !Array.isArray(body.docs) || !body.docs.every(isObject)) {
        throw couchError(400, 'bad_request', 'POST body must include `docs` parameter.')
      }
      const results = await dbs.bulk(doctype, body.docs as Record<string, unknown>[])
      res.status(201).json(
        results.map(r => ('ok' in r && r.ok ? { ok: true, id: r.id, rev: r.rev } : { id: (r as PouchDB.Core.Error).id, error: (r as PouchDB.Core.Error).name, reason: (r as PouchDB.Core.Error).message }))
      )
    })
  )

  // web/data/data.go allDocs: whole-type GET, proxied to CouchDB _all_docs (GET or POST with keys)
  const allDocs = route(async (req, res) => {
    const { doctype } = req.params
    checkReadable(doctype)
    await ctx.allowWholeType(req, 'GET', doctype)
    if (!(await dbs.exists(doctype))) throw noDatabase()
    const options: PouchDB.Core.AllDocsOptions & { keys?: string[] } = {}
    const includeDocs = queryString(req, 'include_docs') === 'true'
    options.include_docs = includeDocs
    const limit = Number(queryString(req, 'limit'))
    if (Number.isInteger(limit) && limit >= 0) options.limit = limit
    const skip = Number(queryString(req, 'skip'))
    if (Number.isInteger(skip) && skip > 0) options.skip = skip
    if (queryString(req, 'descending') === 'true') options.descending = true
    for (const key of ['startkey', 'endkey', 'start_key', 'end_key'] as const) {
      const v = queryString(req, key)
      if (v !== undefined) {
        let parsed: unknown = v
        try {
          parsed = JSON.parse(v)
        } catch {
          // a bare string key
        }
        ;(options as Record<string, unknown>)[key.replace('_key', 'key')] = parsed
      }
    }
    if (req.method === 'POST') {
      const body = await readJson(req, decodeError)
      if (isObject(body) && body.keys !== undefined) {
        if (!Array.isArray(body.keys)) throw couchError(400, 'bad_request', '`keys` body member must be an array.')
        options.keys = body.keys.filter((k): k is string => typeof k === 'string')
      }
    }
    const result = await dbs.allDocs(doctype, options as PouchDB.Core.AllDocsWithKeysOptions)
    res.json(result)
  })
  router.get('/data/:doctype/_all_docs', allDocs)
  router.post('/data/:doctype/_all_docs', allDocs)

  // web/data/data.go normalDocs: every document except design docs, paginated with skip/bookmark
  router.get(
    '/data/:doctype/_normal_docs',
    route(async (req, res) => {
      const { doctype } = req.params
      checkReadable(doctype)
      await ctx.allowWholeType(req, 'GET', doctype)
      if (!(await dbs.exists(doctype))) throw noDatabase()
      let skip = Number(queryString(req, 'skip'))
      if (!Number.isInteger(skip) || skip < 0) skip = 0
      const after = decodeBookmark(queryString(req, 'bookmark'))
      let limit = Number(queryString(req, 'limit'))
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_MANGO_LIMIT) limit = 100
      const docs = await dbs.list(doctype)
      // rows come in id order: the page after a bookmark starts past its id, not at a count
      const from = after ? docs.filter(d => String(d._id) > after.id) : docs
      const rows = from.slice(skip, skip + limit)
      const last = rows[rows.length - 1]
      const more = skip + rows.length < from.length && last
      res.json({ rows, total_rows: docs.length, bookmark: more ? encodeBookmark({ key: [], id: String(last._id) }) : '' })
    })
  )

  // web/data/data.go defineIndex: whole-type GET, CouchDB's {"result","id","name"}
  router.post(
    '/data/:doctype/_index',
    route(async (req, res) => {
      const { doctype } = req.params
      const body = await readJson(req, decodeError)
      checkReadable(doctype)
      await ctx.allowWholeType(req, 'GET', doctype)
      if (!isObject(body) || !isObject(body.index) || !Array.isArray(body.index.fields)) {
        throw couchError(400, 'bad_request', 'Missing required key: index')
      }
      const result = await dbs.createIndex(doctype, body as unknown as PouchDB.Find.CreateIndexOptions)
      res.json(result)
    })
  )

  // web/data/data.go findDocuments: whole-type GET; limit defaults to 100 (max 1000),
  // "next" is true when the page is full, "bookmark" continues the query.
  router.post(
    '/data/:doctype/_find',
    route(async (req, res) => {
      const { doctype } = req.params
      const body = await readJson(req, decodeError)
      if (!isObject(body)) throw jsonApiError(400, 'json: cannot unmarshal into Go value of type map[string]interface {}')
      checkReadable(doctype)
      await ctx.allowWholeType(req, 'GET', doctype)
      if (!isObject(body.selector)) throw couchError(400, 'bad_request', 'Missing required key: selector')
      let limit = typeof body.limit === 'number' ? body.limit : 100
      if (limit > MAX_MANGO_LIMIT) limit = 100
      const skip = typeof body.skip === 'number' ? body.skip : 0
      if (!(await dbs.exists(doctype))) throw noDatabase()
      const request: PageRequest = { selector: body.selector as PouchDB.Find.Selector, limit, skip, bookmark: body.bookmark }
      if (Array.isArray(body.fields)) request.fields = body.fields as string[]
      if (Array.isArray(body.sort)) request.sort = body.sort as PouchDB.Find.FindRequest<object>['sort']
      if (typeof body.use_index === 'string' || Array.isArray(body.use_index)) {
        const u = body.use_index as string | string[]
        request.use_index = (typeof u === 'string' ? u.replace(/^_design\//, '') : [String(u[0]).replace(/^_design\//, ''), String(u[1])]) as string
      }
      let page: Awaited<ReturnType<typeof findPage>>
      try {
        page = await findPage(dbs, doctype, request)
      } catch (err) {
        const e = err as { status?: number; message?: string }
        if (e.status === undefined) throw couchError(400, 'bad_request', e.message ?? String(err))
        throw err
      }
      res.json({ docs: page.docs, limit, next: page.next !== null, bookmark: page.next ?? 'nil' })
    })
  )

  // web/data/data.go DeleteDatabase: whole-type DELETE
  router.delete(
    '/data/:doctype/',
    route(async (req, res) => {
      const { doctype } = req.params
      checkWritable(doctype)
      await ctx.allowWholeType(req, 'DELETE', doctype)
      if (!(await dbs.exists(doctype))) throw noDatabase()
      await dbs.destroyDatabase(doctype)
      res.json({ ok: true, deleted: true })
    })
  )

  // web/data/data.go getDoc: Allow GET on the document; a missing document is checked against
  // the permission first (so a foreign token gets 403, not 404); no database = "wrong_doctype".
  router.get(
    '/data/:doctype/:docid',
    route(async (req, res) => {
      const { doctype, docid } = req.params
      checkReadable(doctype)
      if (!(await dbs.exists(doctype))) {
        await ctx.allow(req, 'GET', docTarget(doctype, { _id: docid }))
        throw noDatabase('wrong_doctype')
      }
      let doc: Record<string, unknown>
      try {
        doc = await dbs.get(doctype, docid)
      } catch (err) {
        if ((err as { status?: number }).status === 404) await ctx.allow(req, 'GET', docTarget(doctype, { _id: docid }))
        throw err
      }
      await ctx.allow(req, 'GET', docTarget(doctype, doc))
      res.setHeader('Etag', `"${String(doc._rev)}"`)
      res.json(withType(doctype, doc))
    })
  )

  // web/data/data.go createDoc: Allow POST on the new document; 201 {ok,id,rev,type,data}
  router.post(
    '/data/:doctype/',
    route(async (req, res) => {
      const { doctype } = req.params
      const body = await readJson(req, decodeError)
      if (!isObject(body)) throw jsonApiError(400, 'json: cannot unmarshal into Go value of type map[string]interface {}')
      checkWritable(doctype)
      await ctx.allow(req, 'POST', docTarget(doctype, body))
      const { _id: _ignoredId, _rev: _ignoredRev, ...fields } = body
      const saved = await dbs.create(doctype, fields)
      res.status(201).json({ ok: true, id: saved._id, rev: saved._rev, type: doctype, data: withType(doctype, saved) })
    })
  )

  // web/data/data.go UpdateDoc: _id and _rev together (update) or neither (create with this id)
  router.put(
    '/data/:doctype/:docid',
    route(async (req, res) => {
      const { doctype, docid } = req.params
      const body = await readJson(req, decodeError)
      if (!isObject(body)) throw jsonApiError(400, 'json: cannot unmarshal into Go value of type couchdb.JSONDoc')
      checkWritable(doctype)
      const id = typeof body._id === 'string' ? body._id : ''
      const rev = typeof body._rev === 'string' ? body._rev : ''
      if ((id === '') !== (rev === '')) {
        throw jsonApiError(400, 'You must either provide an _id and _rev in document (update) or neither (create with fixed id).')
      }
      if (id !== '' && id !== docid) throw jsonApiError(400, 'document _id doesnt match url')
      if (id === '') {
        await ctx.allow(req, 'POST', docTarget(doctype, { ...body, _id: docid }))
        const saved = await dbs.put(doctype, { ...body, _id: docid })
        res.status(200).json({ ok: true, id: saved._id, rev: saved._rev, type: doctype, data: withType(doctype, saved) })
        return
      }
      const set = await ctx.permission(req)
      if (!set.allowWholeType('PUT', doctype)) {
        const old = await dbs.get(doctype, docid)
        await ctx.allow(req, 'PUT', docTarget(doctype, old))
        await ctx.allow(req, 'PUT', docTarget(doctype, body))
      }
      const saved = await dbs.put(doctype, body)
      res.json({ ok: true, id: saved._id, rev: saved._rev, type: doctype, data: withType(doctype, saved) })
    })
  )

  // web/data/data.go DeleteDoc: revision from ?rev= or If-Match (they must agree)
  router.delete(
    '/data/:doctype/:docid',
    route(async (req, res) => {
      const { doctype, docid } = req.params
      const header = req.headers['if-match']
      const revHeader = typeof header === 'string' ? header.replace(/^"|"$/g, '') : ''
      const revQuery = queryString(req, 'rev') ?? ''
      if (revHeader && revQuery && revHeader !== revQuery) throw jsonApiError(400, 'If-Match Header and rev query parameters mismatch')
      const rev = revHeader || revQuery
      if (!rev) throw jsonApiError(400, 'delete without revision')
      checkWritable(doctype)
      if (!(await dbs.exists(doctype))) throw noDatabase()
      const doc = await dbs.get(doctype, docid)
      await ctx.allow(req, 'DELETE', docTarget(doctype, doc))
      const gone = await dbs.remove(doctype, docid, rev)
      res.json({ ok: true, id: docid, rev: gone._rev, type: doctype, deleted: true })
    })
  )

  // web/data/data.go couchdbStyleErrorHandler: every /data error keeps CouchDB's shape
  router.use('/data', (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendCouchStyleError(res, err)
  })
}

/** /data/:doctype (docs/data-system.md, docs/mango.md; code web/data/data.go, web/data/replication.go). */
export const dataRoutes: RouteModule = {
  name: 'data',
  mount: mountData
}
