import http from 'http'
import type { AddressInfo } from 'net'
import express, { type Request, type Response, type NextFunction } from 'express'
import type { Instance } from './instance/instance'
import type { RouteModule, StackContext, StackRuntime } from './context'
import { forbidden, httpError, sendError } from './http/errors'
import type { Verb, PermissionTarget } from './auth/permissions'

export function makeContext(stack: StackRuntime, instance: Instance): StackContext {
  return {
    stack,
    instance,
    permission: req => instance.permissionFor(req),
    allowWholeType: async (req: Request, verb: Verb, doctype: string) => {
      const set = await instance.permissionFor(req)
      if (!set.allowWholeType(verb, doctype)) throw forbidden()
      return set
    },
    allow: async (req: Request, verb: Verb, target: PermissionTarget) => {
      const set = await instance.permissionFor(req)
      if (!set.allow(verb, target)) throw forbidden()
      return set
    },
    session: req => instance.sessionOf(req)
  }
}

/**
 * web/middlewares/cors.go (mounted in web/routing.go with /auth/ blocked): API routes answer
 * any origin with credentials; no Access-Control-Expose-Headers, so a page on another origin
 * reads only the CORS-safelisted response headers. A preflight gets 204 with the stack's
 * methods, the headers asked for (when any) and a 12-hour max age.
 */
function cors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin
  if (origin && !req.path.startsWith('/auth/')) {
    if (req.method !== 'OPTIONS') {
      res.append('Vary', 'Origin')
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Credentials', 'true')
    } else {
      res.append('Vary', ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'])
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE')
      res.setHeader('Access-Control-Allow-Credentials', 'true')
      const asked = req.headers['access-control-request-headers']
      if (asked) res.setHeader('Access-Control-Allow-Headers', String(asked))
      res.setHeader('Access-Control-Max-Age', '43200')
      res.status(204).end()
      return
    }
  }
  next()
}

export interface RunningServer {
  server: http.Server
  port: number
  close(): Promise<void>
}

export async function listen(handler: http.RequestListener, port: number): Promise<RunningServer> {
  const server = http.createServer(handler)
  const sockets = new Set<import('net').Socket>()
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const actual = (server.address() as AddressInfo).port
  return {
    server,
    port: actual,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
  }
}

/** Builds the express app of one instance: CORS, every route module, the stack's 404 and errors. */
export function buildInstanceApp(ctx: StackContext, modules: readonly RouteModule[]): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  app.set('query parser', 'simple')
  const latency = ctx.stack.config.requestLatencyMs ?? 0
  if (latency > 0) app.use((_req, _res, next) => setTimeout(next, latency))
  app.use(cors)
  app.use((req, res, next) => {
    // middlewares.CheckInstanceBlocked / moved instances: the move module may set `blocked`.
    const blocked = ctx.instance.state.extra.blocked
    if (blocked && !req.path.startsWith('/move/') && !req.path.startsWith('/dev/') && req.path !== '/status') {
      sendError(res, httpError(503, 'Instance is blocked'))
      return
    }
    next()
  })
  for (const mod of modules) {
    const router = express.Router()
    mod.mount(router, ctx)
    app.use(router)
  }
  app.use((_req: Request, res: Response) => {
    sendError(res, httpError(404, 'Not Found'))
  })
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, err)
  })
  return app
}
