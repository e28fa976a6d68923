import type { RequestHandler } from 'express'
import { forbidden, invalidAttribute, route } from '../http/errors'
import { queryString } from '../http/body'
import { isValidMediaType } from './mime'
import { allowVfs } from './permissions'
import { ROOT_DIR_ID, vfsErrors, type FileDoc } from './vfs'
import { type FilesKit, cozyMetadata, parseDate, tagsOf, parseMd5, declaredSize } from './route-kit'

/** POST /files/:dir-id: a directory, or a file with its content (docs/files.md; web/files/files.go Create). */
export function createRoute(kit: FilesKit): RequestHandler {
  const { ctx, vfs, metadataStore, sendDoc } = kit
  return route(async (req, res) => {
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
}
