import type { Router } from 'express'
import { couchError, route } from '../http/errors'
import { isObject, queryString, readJson } from '../http/body'
import { checkReadable, checkWritable } from '../auth/permissions'
import type { StackContext } from '../context'
import { noDatabase, decodeError } from './shared'

/** /data: the welcome, the doctypes list and _bulk_docs (web/data/data.go). */
export function mountDataBasics(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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
}

/** /data: _all_docs (web/data/data.go). */
export function mountAllDocs(router: Router, ctx: StackContext): void {
  const dbs = ctx.instance.dbs
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
}
