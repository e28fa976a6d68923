/**
 * For component tests only: replaces the global WebSocket so pages never open a socket to
 * a made-up host, and lets a test play the stack's side of the realtime protocol.
 */
export class FakeSocket {
  static instances: FakeSocket[] = []
  sent: unknown[] = []
  onopen: (() => void) | null = null
  onmessage: ((message: { data: unknown }) => void) | null = null
  onerror: (() => void) | null = null
  onclose: (() => void) | null = null
  closed = false

  constructor(
    readonly url: string,
    readonly protocol: string
  ) {
    FakeSocket.instances.push(this)
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data))
  }

  close(): void {
    this.closed = true
  }

  /** The server accepts the connection. */
  open(): void {
    this.onopen?.()
  }

  /** The server sends one realtime event. */
  emit(event: string, type: string, doc: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify({ event, payload: { type, id: doc._id, doc } }) })
  }
}

export function installFakeWebSocket(): () => void {
  const original = globalThis.WebSocket
  FakeSocket.instances = []
  Object.defineProperty(globalThis, 'WebSocket', { value: FakeSocket, configurable: true, writable: true })
  return () => Object.defineProperty(globalThis, 'WebSocket', { value: original, configurable: true, writable: true })
}
