/**
 * cozy-stack-client ships no typings; only what the Node side's client (src/import/stack) uses:
 * the base class it extends to give Node's fetch what a streamed body needs, and the
 * collections it calls (their shapes: cozy-stack-client/dist/FileCollection.js, DocumentCollection.js).
 */
declare module 'cozy-stack-client' {
  export interface StackFetchOptions {
    headers?: Record<string, string>
    [option: string]: unknown
  }
  export default class CozyStackClient {
    constructor(options: { uri: string; token: string })
    fetch(method: string, path: string, body?: unknown, options?: StackFetchOptions): Promise<Response>
    fetchJSON<T = unknown>(method: string, path: string, body?: unknown, options?: StackFetchOptions): Promise<T>
    getAuthorizationHeader(): string
  }
}
