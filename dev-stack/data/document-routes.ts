import type { Router } from 'express'
import { jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJson } from '../http/body'
import { checkReadable, checkWritable, docTarget } from '../auth/permissions'
import type { StackContext } from '../context'
import { noDatabase, decodeError, withType } from './shared'

/** /data: reading and creating one document (web/data/data.go). */
export function mountDocumentReads(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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

}

/** /data: updating and deleting one document (web/data/data.go). */
export function mountDocumentWrites(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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

}
