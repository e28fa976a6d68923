import type { Router } from 'express'
import { route } from '../http/errors'
import { FILES_DOCTYPE, TRASH_DIR_ID } from './vfs'
import { type FilesKit } from './route-kit'

/** /files: the trash (docs/files.md; web/files/files.go). */
export function mountTrash(router: Router, kit: FilesKit): void {
  const { ctx, vfs, load, check, sendDir, sendDoc } = kit
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
}
