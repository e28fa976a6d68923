import type { Router } from 'express'
import { forbidden, invalidAttribute, jsonApiError, route } from '../http/errors'
import { isObject, readJson, readJsonApi } from '../http/body'
import { requireVfs } from './permissions'
import { FILES_DOCTYPE, vfsErrors, type FileDoc } from './vfs'
import { type FilesKit, sendJsonApi, parseDate } from './route-kit'

/** /files: attribute changes and references (docs/files.md; web/files/files.go). */
export function mountUpdates(router: Router, kit: FilesKit): void {
  const { ctx, vfs, load, loadByPath, check, sendDoc } = kit
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
}
