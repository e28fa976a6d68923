import type { Request, Response, NextFunction, Router } from 'express'
import type { RouteModule, StackContext } from '../context'
import { sendCouchStyleError } from '../http/errors'
import { mountDataBasics, mountAllDocs } from './database-routes'
import { mountIndexesAndNormalDocs, mountFindAndDrop } from './query-routes'
import { mountDocumentReads, mountDocumentWrites } from './document-routes'

function mountData(router: Router, ctx: StackContext): void {
  mountDataBasics(router, ctx)
  mountAllDocs(router, ctx)
  mountIndexesAndNormalDocs(router, ctx)
  mountFindAndDrop(router, ctx)
  mountDocumentReads(router, ctx)
  mountDocumentWrites(router, ctx)
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
