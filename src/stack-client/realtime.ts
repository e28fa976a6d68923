import type { StackFetcher } from './fetcher'
import { asRecord } from './jsonapi'

/** One message of the stack's realtime feed (docs/realtime.md, protocol `io.cozy.websocket`). */
export interface RealtimeEvent {
  event: 'CREATED' | 'UPDATED' | 'DELETED' | 'NOTIFIED'
  type: string
  id: string
  doc: Record<string, unknown>
}

export interface RealtimeHandlers {
  onEvent(event: RealtimeEvent): void
  /** The feed is open and subscribed, or cannot be used (no websocket, refused, closed). */
  onStatus?(status: 'live' | 'unavailable'): void
}

export interface RealtimeSubscription {
  close(): void
}

type SocketFactory = (url: string, protocol: string) => WebSocket

const EVENTS = new Set(['CREATED', 'UPDATED', 'DELETED', 'NOTIFIED'])

/** `http://x` → `ws://x/realtime/`, `https://x` → `wss://x/realtime/`. */
export function realtimeUrl(uri: string): string {
  return `${uri.replace(/^http/, 'ws').replace(/\/$/, '')}/realtime/`
}

export function parseRealtimeMessage(data: unknown): RealtimeEvent | 'error' | null {
  if (typeof data !== 'string') return null
  let message: Record<string, unknown>
  try {
    message = asRecord(JSON.parse(data))
  } catch {
    return null
  }
  if (message.event === 'error') return 'error'
  if (typeof message.event !== 'string' || !EVENTS.has(message.event)) return null
  const payload = asRecord(message.payload)
  return {
    event: message.event as RealtimeEvent['event'],
    type: typeof payload.type === 'string' ? payload.type : '',
    id: typeof payload.id === 'string' ? payload.id : '',
    doc: asRecord(payload.doc)
  }
}

export function realtimeApi(stack: StackFetcher, createSocket?: SocketFactory) {
  return {
    /**
     * Follows the changes of one doctype. Needs whole-type GET on it; the stack reports a
     * refused subscription as an `error` event, which is passed on as `unavailable`.
     */
    subscribe(doctype: string, handlers: RealtimeHandlers): RealtimeSubscription {
      const factory: SocketFactory | undefined =
        createSocket ?? (typeof WebSocket === 'function' ? (url, protocol) => new WebSocket(url, protocol) : undefined)
      const token = (stack.getAuthorizationHeader() ?? '').replace(/^Bearer /, '')
      let closed = false
      let socket: WebSocket | undefined
      const unavailable = () => {
        if (!closed) handlers.onStatus?.('unavailable')
      }
      try {
        socket = factory?.(realtimeUrl(stack.uri), 'io.cozy.websocket')
      } catch {
        socket = undefined
      }
      if (!socket) {
        queueMicrotask(unavailable)
        return { close: () => undefined }
      }
      const ws = socket
      ws.onopen = () => {
        ws.send(JSON.stringify({ method: 'AUTH', payload: token }))
        ws.send(JSON.stringify({ method: 'SUBSCRIBE', payload: { type: doctype } }))
        if (!closed) handlers.onStatus?.('live')
      }
      ws.onmessage = (message: MessageEvent) => {
        const parsed = parseRealtimeMessage(message.data)
        if (parsed === 'error') unavailable()
        else if (parsed && parsed.type === doctype && !closed) handlers.onEvent(parsed)
      }
      ws.onerror = unavailable
      ws.onclose = unavailable
      return {
        close() {
          closed = true
          ws.close()
        }
      }
    }
  }
}

export type RealtimeApi = ReturnType<typeof realtimeApi>
