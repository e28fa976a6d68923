import type { Router } from 'express'
import { couchError, jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJson } from '../http/body'
import { checkReadable, checkWritable } from '../auth/permissions'
import { decodeBookmark, encodeBookmark } from '../util/bookmark'
import { findPage, type PageRequest } from '../storage/mango-page'
import type { StackContext } from '../context'
import { noDatabase, decodeError, MAX_MANGO_LIMIT } from './shared'

/** /data: _normal_docs and _index (web/data/data.go). */
export function mountIndexesAndNormalDocs(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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

}

/** /data: _find, and dropping a database (web/data/data.go). */
export function mountFindAndDrop(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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
}
