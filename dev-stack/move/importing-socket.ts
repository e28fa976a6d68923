import type { IncomingMessage } from 'http'
import type { Duplex } from 'stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { StackContext } from '../context'
import { blockingReason, moveSettings } from './instance-settings'

const sockets = new WeakMap<StackContext, WebSocketServer>()

/**
 * move.ImportIsFinished is "no `importing` flag". The stack also says "finished" while a
 * target is blocked for a move whose export has not reached it yet, which sends the waiting
 * page to a blocked login page; the stand-in waits until the instance is unblocked too.
 */
function importFinished(ctx: StackContext): boolean {
  return !moveSettings(ctx.instance).importing && blockingReason(ctx.instance) === null
}

function waitForImport(ws: WebSocket, ctx: StackContext): void {
  let sent = false
  const done = (): void => {
    if (sent) return
    sent = true
    clearInterval(timer)
    unsubscribe()
    ws.send(JSON.stringify({ redirect: `${ctx.instance.url}auth/login` }), () => ws.close())
  }
  const timer = setInterval(() => {
    if (importFinished(ctx)) done()
  }, 250)
  const unsubscribe = ctx.instance.realtime.subscribe(event => {
    if (event.doctype !== 'io.cozy.jobs' || event.doc.worker !== 'import') return
    if (event.doc.state === 'done' || event.doc.state === 'errored') done()
  })
  ws.on('close', () => {
    clearInterval(timer)
    unsubscribe()
  })
  if (importFinished(ctx)) done()
}



/** move.go wsImporting: GET /move/importing/realtime sends one {"redirect": <login page>} once no import is running. */
export function upgradeImportingSocket(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: StackContext): boolean {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (url.pathname !== '/move/importing/realtime') return false
  let wss = sockets.get(ctx)
  if (!wss) {
    wss = new WebSocketServer({ noServer: true, handleProtocols: protocols => (protocols.has('io.cozy.websocket') ? 'io.cozy.websocket' : false) })
    sockets.set(ctx, wss)
  }
  wss.handleUpgrade(req, socket, head, ws => waitForImport(ws, ctx))
  return true
}

export async function closeImportingSockets(ctx: StackContext): Promise<void> {
  const wss = sockets.get(ctx)
  if (!wss) return
  for (const client of wss.clients) client.terminate()
  await new Promise<void>(resolve => wss.close(() => resolve()))
}
