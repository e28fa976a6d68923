import type { Router } from 'express'
import { jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJson, readJsonApi } from '../http/body'
import { fileObject, jsonApiBody } from './jsonapi'
import { findPage } from '../storage/mango-page'
import { FILES_DOCTYPE, TRASH_DIR_ID, type FileDoc } from './vfs'
import { type FilesKit, MAX_ITEMS_PER_PAGE_FOR_MANGO, MAX_INT32, sendJsonApi } from './route-kit'

/** /files: /_find, /_all_docs, upload metadata and metadata by path (docs/files.md; web/files/files.go). */
export function mountFileQueries(router: Router, kit: FilesKit): void {
  const { ctx, vfs, metadataStore, loadByPath, check, sendDoc } = kit
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
}
