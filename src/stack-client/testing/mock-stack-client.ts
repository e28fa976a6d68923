/**
 * For component tests only: cozy-client's createMockClient whose stack client answers
 * `fetchJSON` from a table of routes, and fails like cozy-client does (a FetchError with the
 * status and the parsed JSON:API body) for the routes that should fail.
 */
import CozyClient, { createMockClient } from 'cozy-client'

export type RouteAnswer = { body?: unknown } | { status: number; detail?: string }
export type RouteHandler = (body: unknown) => RouteAnswer | Promise<RouteAnswer>

export interface MockStack {
  client: CozyClient
  /** Every call made, as `METHOD path` with its body. */
  calls: Array<{ route: string; body: unknown }>
}

export const MOCK_STACK_URI = 'https://alice.cozy.example'

function fetchError(status: number, detail: string): Error {
  return Object.assign(new Error(detail), {
    name: 'FetchError',
    status,
    reason: { errors: [{ status: String(status), title: 'Error', detail }] }
  })
}

export function mockStackClient(routes: Record<string, RouteHandler | RouteAnswer>): MockStack {
  const calls: MockStack['calls'] = []
  const fetchJSON = async (method: string, path: string, body?: unknown) => {
    const route = `${method} ${path}`
    calls.push({ route, body })
    const entry = routes[route]
    if (!entry) throw fetchError(404, `no mock for ${route}`)
    const answer = typeof entry === 'function' ? await entry(body) : entry
    if ('status' in answer) throw fetchError(answer.status, answer.detail ?? '')
    return answer.body
  }
  const client = createMockClient({
    queries: {},
    remote: {},
    clientOptions: { uri: MOCK_STACK_URI, token: 'app-token' },
    clientFunctions: { stackClient: { fetchJSON } }
  })
  // The real `query`, so that useQuery goes through cozy-stack-client's collections to the routes
  // above. useQuery does not catch its rejection (cozy-client hooks/useQuery.js): the failure is
  // kept in the store, which is what pages read, so the rejection is not left to fail the test.
  const query = CozyClient.prototype.query.bind(client)
  client.query = ((...args: Parameters<typeof query>) => query(...args).catch(() => null)) as typeof client.query
  return { client, calls }
}

/** JSON:API single document. */
export function jsonApiDoc(type: string, id: string, attributes: Record<string, unknown>, links?: Record<string, string>) {
  return { body: { data: { type, id, attributes, links } } }
}

export function jsonApiList(items: Array<{ type: string; id: string; attributes: Record<string, unknown> }>) {
  // AppCollection.all reads meta.count, as the stack sends it (web/apps/apps.go listHandler).
  return { body: { data: items, meta: { count: items.length } } }
}

/** Stands for cozy-realtime's plugin in jsdom: RealTimeQueries subscribes to it, tests emit. */
export interface FakeRealtime {
  subscribe(event: string, doctype: string, handler: (doc: unknown) => void): void
  unsubscribe(event: string, doctype: string, handler: (doc: unknown) => void): void
  emit(event: 'created' | 'updated' | 'deleted', doctype: string, doc: Record<string, unknown>): void
}

export function fakeRealtime(): FakeRealtime {
  const handlers = new Map<string, Set<(doc: unknown) => void>>()
  const key = (event: string, doctype: string) => `${event} ${doctype}`
  return {
    subscribe(event, doctype, handler) {
      if (!handlers.has(key(event, doctype))) handlers.set(key(event, doctype), new Set())
      handlers.get(key(event, doctype))?.add(handler)
    },
    unsubscribe(event, doctype, handler) {
      handlers.get(key(event, doctype))?.delete(handler)
    },
    emit(event, doctype, doc) {
      for (const handler of handlers.get(key(event, doctype)) ?? []) handler(doc)
    }
  }
}

/**
 * A real cozy-client (its queries, store, client.save and collections all run) whose stack
 * answers from the same table of routes as mockStackClient, with a realtime to emit from.
 */
export function mockCozyClient(routes: Record<string, RouteHandler | RouteAnswer>): MockStack & { realtime: FakeRealtime } {
  const { client: mocked, calls } = mockStackClient(routes)
  const client = new CozyClient({ uri: MOCK_STACK_URI, token: 'app-token', schema: {} })
  const stackClient = client.getStackClient() as unknown as { fetchJSON: unknown }
  stackClient.fetchJSON = (mocked.getStackClient() as unknown as { fetchJSON: unknown }).fetchJSON
  const realtime = fakeRealtime()
  ;(client as unknown as { plugins: Record<string, unknown> }).plugins.realtime = realtime
  return { client, calls, realtime }
}
