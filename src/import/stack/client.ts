/**
 * The one client the import engine uses to talk to cozy-stack (or the local stand-in): the few
 * routes it needs, over fetch, with the stack's error mapping. Uploads stream their bodies;
 * nothing here holds a file in memory. (The webapp has its own client, src/stack-client.)
 */
import { StackClientError, detailOf, kindOfStatus } from './errors'
import { notificationAttributes, type NotificationRequest } from '../../stack-client/notification-request'

/** An io.cozy.files document, as the engine reads it. */
export interface CozyFile {
  _id: string
  type: 'file' | 'directory'
  name: string
  dir_id: string
  /** Directories only (the stack gives files no path). */
  path?: string
  size?: string
  md5sum?: string
  mime?: string
  created_at?: string
  updated_at?: string
  metadata?: Record<string, unknown>
}

export interface UploadOptions {
  /** Exact byte count when known (sent as Content-Length; the stack checks it). */
  size?: number
  contentType?: string
  createdAt?: Date | null
  updatedAt?: Date | null
  /** Stored in the file's `metadata` (through POST /files/upload/metadata). */
  metadata?: Record<string, unknown>
}

export interface DirOptions {
  createdAt?: Date | null
  updatedAt?: Date | null
  metadata?: Record<string, unknown>
}

export interface StackClientOptions {
  /** Attempts for requests that can be repeated safely (default 3). */
  attempts?: number
  /** Per-request timeout in ms (default 120 s; uploads are not timed out). */
  timeoutMs?: number
}

interface RequestOptions {
  query?: Record<string, string | undefined>
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
  /** Safe to send again after a network error or a 5xx. */
  retry?: boolean
  timeout?: boolean
}

type Doc = Record<string, unknown> & { _id: string; _rev?: string }

function jsonApiFile(data: unknown): CozyFile {
  const d = data as { id: string; attributes: Record<string, unknown>; meta?: { rev?: string } }
  return { ...(d.attributes as Omit<CozyFile, '_id'>), _id: d.id }
}

/** A ReadableStream over an async iterable, for fetch's streaming request bodies. */
function toStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel() {
      await iterator.return?.()
    }
  })
}

/**
 * Exponential backoff with full jitter (so that many clients that failed together do not come
 * back together), capped at 5 s: 5 attempts wait at most about 10 s in all.
 */
export function backoff(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(5000, 250 * 2 ** attempt) * (0.5 + random() / 2))
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

export class StackClient {
  readonly url: string
  private readonly token: string
  private readonly attempts: number
  private readonly timeoutMs: number

  constructor(url: string, token: string, options: StackClientOptions = {}) {
    this.url = url.endsWith('/') ? url : `${url}/`
    this.token = token.trim()
    this.attempts = options.attempts ?? 5
    this.timeoutMs = options.timeoutMs ?? 120_000
  }

  /** Authorization header, for readers that fetch on their own (the archive's Range reads). */
  authHeaders(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}` }
  }

  downloadUrl(fileId: string): string {
    return `${this.url}files/download/${encodeURIComponent(fileId)}`
  }

  private async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(path.replace(/^\//, ''), this.url)
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value)
    const headers: Record<string, string> = { Accept: 'application/json', ...this.authHeaders(), ...(options.headers ?? {}) }
    let body = options.body
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers['Content-Type'] ??= 'application/json'
    }
    const attempts = options.retry ? this.attempts : 1
    let lastError: unknown = null
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoff(attempt))
      let res: Response
      try {
        const init: RequestInit & { duplex?: 'half' } = { method, headers, body, redirect: 'error' }
        if (body instanceof ReadableStream) init.duplex = 'half'
        if (options.timeout !== false) init.signal = AbortSignal.timeout(this.timeoutMs)
        res = await fetch(url, init)
      } catch (err) {
        lastError = new StackClientError('unavailable', 0, `${method} ${url.pathname}: ${err instanceof Error ? err.message : String(err)}`)
        continue
      }
      if (res.ok) return res
      const text = await res.text().catch(() => '')
      const error = new StackClientError(kindOfStatus(res.status), res.status, `${method} ${url.pathname}: ${res.status} ${detailOf(text)}`)
      if (error.kind !== 'unavailable') throw error
      lastError = error
    }
    throw lastError
  }

  private async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options)
    return (await res.json()) as T
  }

  // ---- files (docs/files.md) ----

  async statById(id: string): Promise<CozyFile | null> {
    try {
      const body = await this.json<{ data: unknown }>('GET', `files/${encodeURIComponent(id)}`, { retry: true, query: { 'page[limit]': '1' } })
      return jsonApiFile(body.data)
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  async statByPath(path: string): Promise<CozyFile | null> {
    try {
      const body = await this.json<{ data: unknown }>('GET', 'files/metadata', { retry: true, query: { Path: path, 'page[limit]': '1' } })
      return jsonApiFile(body.data)
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  /** Every child of a directory (follows the pagination links). */
  async listDir(dirId: string): Promise<CozyFile[]> {
    const out: CozyFile[] = []
    let path: string | null = `files/${encodeURIComponent(dirId)}?page[limit]=100`
    while (path) {
      const body: { included?: unknown[]; links?: { next?: string } } = await this.json('GET', path, { retry: true })
      for (const item of body.included ?? []) out.push(jsonApiFile(item))
      path = body.links?.next ?? null
    }
    return out
  }

  /** POST /files/upload/metadata: an id to pass as MetadataID with the creation. */
  private async metadataId(metadata: Record<string, unknown>): Promise<string> {
    const body = await this.json<{ data: { id: string } }>('POST', 'files/upload/metadata', { json: { data: { type: 'io.cozy.files.metadata', attributes: metadata } }, retry: true })
    return body.data.id
  }

  async createDir(parentId: string, name: string, options: DirOptions = {}): Promise<CozyFile> {
    const query: Record<string, string | undefined> = { Type: 'directory', Name: name }
    if (options.createdAt) query.CreatedAt = options.createdAt.toISOString()
    if (options.updatedAt) query.UpdatedAt = options.updatedAt.toISOString()
    if (options.metadata) query.MetadataID = await this.metadataId(options.metadata)
    // A retry after a lost answer meets the name conflict its callers resolve by path.
    const body = await this.json<{ data: unknown }>('POST', `files/${encodeURIComponent(parentId)}`, { query, retry: true })
    return jsonApiFile(body.data)
  }

  /**
   * Creates a file in a directory. A `conflict` error means the name is taken; `quota` that it
   * does not fit. Bytes in memory are retried here; streamed bodies are sent once (the caller
   * retries with a fresh stream).
   */
  async uploadFile(dirId: string, name: string, content: Uint8Array | string | AsyncIterable<Uint8Array>, options: UploadOptions = {}): Promise<CozyFile> {
    const query: Record<string, string | undefined> = { Type: 'file', Name: name }
    if (options.createdAt) query.CreatedAt = options.createdAt.toISOString()
    if (options.updatedAt) query.UpdatedAt = options.updatedAt.toISOString()
    if (options.metadata) query.MetadataID = await this.metadataId(options.metadata)
    const headers: Record<string, string> = { 'Content-Type': options.contentType || 'application/octet-stream' }
    let body: BodyInit
    const inMemory = typeof content === 'string' || content instanceof Uint8Array
    if (typeof content === 'string') body = content
    else if (content instanceof Uint8Array) {
      body = new Uint8Array(content) as Uint8Array<ArrayBuffer>
      headers['Content-Length'] = String(content.byteLength)
    } else {
      body = toStream(content)
      if (options.size !== undefined) headers['Content-Length'] = String(options.size)
    }
    const res = await this.json<{ data: unknown }>('POST', `files/${encodeURIComponent(dirId)}`, { query, headers, body, timeout: false, retry: inMemory })
    return jsonApiFile(res.data)
  }

  async patchFile(id: string, attributes: Record<string, unknown>): Promise<CozyFile> {
    const body = await this.json<{ data: unknown }>('PATCH', `files/${encodeURIComponent(id)}`, { json: { data: { type: 'io.cozy.files', id, attributes } }, retry: true })
    return jsonApiFile(body.data)
  }

  // ---- settings (docs/settings.md "GET /settings/disk-usage") ----

  /** Bytes used and the quota (null: no quota). */
  async diskUsage(): Promise<{ used: number; quota: number | null }> {
    const body = await this.json<{ data: { attributes: { used?: string; quota?: string } } }>('GET', 'settings/disk-usage', { retry: true })
    const { used, quota } = body.data.attributes
    return { used: Number(used ?? 0), quota: quota === undefined || quota === '' ? null : Number(quota) }
  }

  // ---- data (docs/data-system.md) ----

  async getDoc<T extends { _id: string }>(doctype: string, id: string): Promise<T | null> {
    try {
      return await this.json<T>('GET', `data/${doctype}/${encodeURIComponent(id)}`, { retry: true })
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  /** Every document of a doctype (small doctypes only: import records); none when the doctype has none yet. */
  async allDocs<T extends { _id: string }>(doctype: string): Promise<T[]> {
    try {
      const body = await this.json<{ rows?: Array<{ id: string; doc?: T }> }>('GET', `data/${doctype}/_all_docs?include_docs=true`, { retry: true })
      return (body.rows ?? []).filter(r => r.doc && !r.id.startsWith('_design/')).map(r => r.doc as T)
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return []
      throw err
    }
  }

  /** PUT without _rev: creates the document with this id; `conflict` when it exists. */
  async createDocWithId<T extends Record<string, unknown>>(doctype: string, id: string, doc: T): Promise<T & Doc> {
    const { _rev: _ignored, ...fields } = doc as T & { _rev?: string }
    // Safe to retry: a retry after a lost answer meets the conflict its callers already handle.
    const body = await this.json<{ data: T & Doc }>('PUT', `data/${doctype}/${encodeURIComponent(id)}`, { json: { ...fields, _id: undefined }, retry: true })
    return body.data
  }

  /** PUT with _id and _rev: updates; `conflict` when the revision is not the current one. */
  async updateDoc<T extends Doc>(doctype: string, doc: T): Promise<T> {
    // Same: a retry of an update that went through meets a revision conflict (RecordStore refetches).
    const body = await this.json<{ data: T }>('PUT', `data/${doctype}/${encodeURIComponent(doc._id)}`, { json: doc, retry: true })
    return body.data
  }

  // ---- jobs (docs/jobs.md) ----

  async queueJob(worker: string, args: unknown): Promise<{ id: string }> {
    const body = await this.json<{ data: { id: string } }>('POST', `jobs/queue/${worker}`, { json: { data: { attributes: { arguments: args } } } })
    return { id: body.data.id }
  }

  /** A job's state (`queued`, `running`, `done`, `errored`: GET /jobs/:job-id, docs/jobs.md); null when the stack has no such job. */
  async jobState(id: string): Promise<string | null> {
    try {
      const body = await this.json<{ data: { attributes?: { state?: unknown } } }>('GET', `jobs/${encodeURIComponent(id)}`, { retry: true })
      return typeof body.data.attributes?.state === 'string' ? body.data.attributes.state : null
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  async createTrigger(trigger: { type: string; arguments: string; worker: string; message: unknown; debounce?: string }): Promise<{ id: string }> {
    const body = await this.json<{ data: { id: string } }>('POST', 'jobs/triggers', { json: { data: { attributes: trigger } } })
    return { id: body.data.id }
  }

  async listTriggers(worker: string): Promise<Array<{ id: string; type: string; arguments: string; message: unknown }>> {
    const body = await this.json<{ data: Array<{ id: string; attributes: { type: string; arguments: string; message: unknown } }> }>('GET', 'jobs/triggers', { query: { Worker: worker }, retry: true })
    return body.data.map(t => ({ id: t.id, type: t.attributes.type, arguments: t.attributes.arguments, message: t.attributes.message }))
  }

  // ---- apps and notifications (docs/apps.md, docs/notifications.md) ----

  /** The web address of an installed webapp (GET /apps/:slug, links.related); null when it is not installed. */
  async webappUrl(slug: string): Promise<string | null> {
    try {
      const body = await this.json<{ data: { links?: { related?: unknown } } }>('GET', `apps/${encodeURIComponent(slug)}`, { retry: true })
      return typeof body.data.links?.related === 'string' ? body.data.links.related : null
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  /** POST /notifications: the category must be declared in the sender's manifest. */
  async createNotification(notification: NotificationRequest): Promise<void> {
    const attributes = notificationAttributes(notification)
    await this.json('POST', 'notifications', { json: { data: { type: 'io.cozy.notifications', attributes } }, headers: { 'Content-Type': 'application/vnd.api+json' } })
  }
}
