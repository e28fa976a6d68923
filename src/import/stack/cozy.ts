/**
 * The Node side's one cozy-client (the engine, the konnector and the command line all go
 * through it), built the way konnectors/libs builds its own (packages/cozy-konnector-libs/src/libs/cozyclient.js),
 * except that Node 20's own fetch is used as is rather than replaced by node-fetch.
 */
import { Readable } from 'node:stream'
import type CozyClient from 'cozy-client'
import type CozyStackClient from 'cozy-stack-client'
import type { StackFetchOptions } from 'cozy-stack-client'

/**
 * Node's fetch (undici) refuses a stream body unless the request says `duplex: 'half'`, and
 * cozy-stack-client's FileCollection.doUpload forwards only its headers to CozyStackClient.fetch:
 * so the option is added here, the one place every request goes through. A streamed upload is
 * not timed out (its length is the file's); every other request is.
 */
export type NodeStackClient = CozyStackClient

/**
 * Built on first use: loading cozy-client's Node entry costs about 29 MiB of resident memory,
 * which `inspect` and a dry run, that never reach a Cozy, need not pay.
 */
function nodeStackClientClass() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Base = require('cozy-stack-client').default as typeof CozyStackClient
  return class extends Base {
  constructor(
    options: { uri: string; token: string },
    private readonly timeoutMs: number
  ) {
    super(options)
  }

  override fetch(method: string, path: string, body?: unknown, options: StackFetchOptions = {}): Promise<Response> {
    const init: StackFetchOptions = { redirect: 'error', ...options }
    const upload = body instanceof Readable || body instanceof ReadableStream || body instanceof ArrayBuffer
    if (body instanceof Readable || body instanceof ReadableStream) init.duplex = 'half'
    if (!upload && !init.signal) init.signal = AbortSignal.timeout(this.timeoutMs)
    return super.fetch(method, path, body, init)
  }
  }
}
let NodeStackClientClass: ReturnType<typeof nodeStackClientClass> | undefined

export function createCozyClient(uri: string, token: string, timeoutMs: number): { client: CozyClient; stack: NodeStackClient } {
  NodeStackClientClass ??= nodeStackClientClass()
  const stack = new NodeStackClientClass({ uri: uri.replace(/\/+$/, ''), token }, timeoutMs)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const CozyClientClass = require('cozy-client').default as typeof CozyClient
  // No schema: the Node side reads and writes through collections, not the store (a store would keep every imported document in memory).
  const client = new CozyClientClass({ stackClient: stack, schema: {} })
  return { client, stack }
}
