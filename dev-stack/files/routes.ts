import type { RouteModule, StackContext } from '../context'
import { createRoute } from './create-route'
import { mountDownloads } from './download-routes'
import { mountFileById } from './by-id-routes'
import { mountFileQueries } from './query-routes'
import { filesKit } from './route-kit'
import { mountTrash } from './trash-routes'
import { mountUpdates } from './update-routes'

/** The order matters as in the stack's router: fixed paths before `/files/:id`. */
function mountFiles(router: import('express').Router, ctx: StackContext): void {
  const kit = filesKit(ctx)
  mountFileQueries(router, kit)
  mountDownloads(router, kit)
  mountTrash(router, kit)
  mountUpdates(router, kit)
  mountFileById(router, kit)
  const create = createRoute(kit)
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
