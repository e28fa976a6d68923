import type { IncomingMessage } from 'http'
import type { Duplex } from 'stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Request } from 'express'
import type { RouteModule, StackContext } from '../context'
import type { PermissionSet } from '../auth/permissions'
import { allowVfs } from '../files/permissions'
import { forbidden, route } from '../http/errors'
import { isObject, readJson } from '../http/body'
import type { RealtimeEvent } from './hub'

interface Command {
  method?: unknown
  payload?: unknown
}

/** wsError payloads of web/realtime/realtime.go. */
function wsError(status: string, code: string, title: string, source: unknown): string {
  return JSON.stringify({ event: 'error', payload: { status, code, title, source } })
}

/** realtime.go authorized: whole-type GET, or GET on the id (files: through the folder tree). */
async function authorized(ctx: StackContext, set: PermissionSet, type: string, id: string): Promise<boolean> {
  if (set.allowWholeType('GET', type)) return true
  if (!id) return false
  if (type === 'io.cozy.files') {
    const doc = await ctx.instance.files.get(id)
    return doc ? allowVfs(set, 'GET', doc, ctx.instance.files) : false
  }
  return set.allowId('GET', type, id)
}

/**
 * One websocket client (protocol io.cozy.websocket): AUTH first, then SUBSCRIBE / UNSUBSCRIBE on a doctype or one document; events arrive as
 * `{event, payload: {type, id, doc}}`.
 */
function serve(ws: WebSocket, ctx: StackContext, sessionId: string | null): void {
  // AUTH is always the first command on an instance (withAuthentication in realtime.go Ws)
  let set: PermissionSet | null = null
  const types = new Set<string>()
  const ids = new Set<string>()
  const unsubscribe = ctx.instance.realtime.subscribe((event: RealtimeEvent) => {
    if (!types.has(event.doctype) && !ids.has(`${event.doctype}/${event.id}`)) return
    const payload: Record<string, unknown> = { type: event.doctype, id: event.id, doc: { ...event.doc, _type: event.doctype } }
    if (typeof event.doc._rev === 'string') payload.rev = event.doc._rev
    ws.send(JSON.stringify({ event: event.verb, payload }))
  })
  ws.on('close', unsubscribe)
  // messages are handled one after the other: AUTH must be done before the next SUBSCRIBE
  let chain: Promise<void> = Promise.resolve()
  ws.on('message', data => {
    chain = chain.then(async () => {
      let cmd: Command
      try {
        cmd = JSON.parse(data.toString()) as Command
      } catch {
        ws.send(wsError('405 Method Not Allowed', 'method not allowed', 'The  method is not supported', null))
        if (!set) ws.close()
        return
      }
      const method = typeof cmd.method === 'string' ? cmd.method.toUpperCase() : ''
      if (!set) {
        if (method !== 'AUTH') {
          ws.send(wsError('405 Method Not Allowed', 'method not allowed', `The ${String(cmd.method)} method is not supported`, cmd))
          ws.close()
          return
        }
        const claims = typeof cmd.payload === 'string' ? ctx.instance.verifyClaims(cmd.payload) : null
        // a session-bound app token needs the session cookie of the upgrade request
        if (!claims || (claims.session_id && claims.session_id !== sessionId)) {
          ws.send(wsError('401 Unauthorized', 'unauthorized', 'The authentication has failed', cmd))
          ws.close()
          return
        }
        try {
          set = await ctx.instance.permissionForClaims(claims)
        } catch {
          ws.send(wsError('401 Unauthorized', 'unauthorized', 'The authentication has failed', cmd))
          ws.close()
        }
        return
      }
      if (method !== 'SUBSCRIBE' && method !== 'UNSUBSCRIBE') {
        ws.send(wsError('405 Method Not Allowed', 'method not allowed', `The ${String(cmd.method)} method is not supported`, cmd))
        return
      }
      const payload = isObject(cmd.payload) ? cmd.payload : {}
      const type = typeof payload.type === 'string' ? payload.type : ''
      const id = typeof payload.id === 'string' ? payload.id : ''
      if (!type) {
        ws.send(wsError('404 Page Not Found', 'page not found', 'The type parameter is mandatory for SUBSCRIBE', cmd))
        return
      }
      if (!(await authorized(ctx, set, type, id))) {
        ws.send(wsError('403 Forbidden', 'forbidden', `The application can't subscribe to ${type}`, cmd))
        return
      }
      const key = id ? `${type}/${id}` : type
      const target = id ? ids : types
      if (method === 'SUBSCRIBE') target.add(key)
      else target.delete(key)
    })
  })
}

const servers = new WeakMap<StackContext, WebSocketServer>()

/** GET /realtime/ websocket and POST /realtime/:doctype/:id (docs/realtime.md, web/realtime/realtime.go). */
export const realtimeRoutes: RouteModule = {
  name: 'realtime',
  mount(router, ctx) {
    // web/realtime/realtime.go Notify: POST on the document, 204, a NOTIFIED event
    router.post(
      '/realtime/:doctype/:id',
      route(async (req: Request, res) => {
        const body = await readJson(req)
        const { doctype, id } = req.params
        const set = await ctx.permission(req)
        if (!set.allow('POST', { id, doctype, fetch: f => (isObject(body) && typeof body[f] === 'string' ? [String(body[f])] : []) })) throw forbidden()
        ctx.instance.realtime.publish({ doctype, verb: 'NOTIFIED', id, doc: isObject(body) ? body : {} })
        res.status(204).end()
      })
    )
  },
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: StackContext): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/realtime/' && url.pathname !== '/realtime') return false
    let wss = servers.get(ctx)
    if (!wss) {
      wss = new WebSocketServer({ noServer: true, handleProtocols: protocols => (protocols.has('io.cozy.websocket') ? 'io.cozy.websocket' : false) })
      servers.set(ctx, wss)
    }
    const server = wss
    void ctx.instance.sessionOf(req as Request).then(session => {
      server.handleUpgrade(req, socket, head, ws => serve(ws, ctx, session?.id ?? null))
    })
    return true
  },
  stop: async ctx => {
    const wss = servers.get(ctx)
    if (wss) {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>(resolve => wss.close(() => resolve()))
    }
  }
}
