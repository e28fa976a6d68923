import type { Router } from 'express'
import { forbidden, route } from '../http/errors'
import { queryString } from '../http/body'
import { isValidMediaType } from './mime'
import { allowVfs } from './permissions'
import { vfsErrors } from './vfs'
import { type FilesKit, cozyMetadata, parseDate, tagsOf, parseMd5, declaredSize } from './route-kit'

/** /files: one file by id: read, new content, to the trash (docs/files.md; web/files/files.go). */
export function mountFileById(router: Router, kit: FilesKit): void {
  const { ctx, vfs, load, check, sendDoc } = kit
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
}
