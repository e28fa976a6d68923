import { promises as fs } from 'fs'
import type { RouteModule } from '../context'
import { route } from '../http/errors'

/**
 * GET /status (web/status/status.go): no token needed; 200 with "OK" when the database and the
 * file system answer, 502 "KO" otherwise. The stand-in has no separate cache, it is in memory.
 */
export const statusRoutes: RouteModule = {
  name: 'status',
  mount(router, ctx) {
    router.get(
      '/status',
      route(async (_req, res) => {
        const latency: Record<string, string> = {}
        let couchdb = 'healthy'
        let fsStatus = 'healthy'
        const t0 = process.hrtime.bigint()
        try {
          await ctx.instance.dbs.doctypes()
          latency.couchdb = `${Number(process.hrtime.bigint() - t0) / 1e6}ms`
        } catch (err) {
          couchdb = (err as Error).message
        }
        const t1 = process.hrtime.bigint()
        try {
          await fs.mkdir(ctx.instance.filesDir, { recursive: true })
          await fs.access(ctx.instance.filesDir)
          latency.fs = `${Number(process.hrtime.bigint() - t1) / 1e6}ms`
        } catch (err) {
          fsStatus = (err as Error).message
        }
        latency.cache = '0s'
        const ok = couchdb === 'healthy' && fsStatus === 'healthy'
        const status = ok ? 'OK' : 'KO'
        res.status(ok ? 200 : 502).json({ cache: 'healthy', couchdb, fs: fsStatus, status, latency, message: status })
      })
    )
  }
}
