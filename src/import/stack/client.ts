/**
 * What the import engine, the konnector and the command line ask of cozy-stack (or the local
 * stand-in), on the Node side's one cozy-client (./cozy.ts): files through the io.cozy.files
 * collection, documents, jobs and triggers through theirs, the few routes no collection covers
 * through the stack client's fetchJSON. Every failure becomes the one error type (./errors.ts).
 * Uploads stream their bodies; nothing here holds a file in memory.
 */
import { Readable } from 'node:stream'
import type CozyClient from 'cozy-client'
import { StackClientError, toStackError } from './errors'
import { createCozyClient, type NodeStackClient } from './cozy'
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

type Doc = Record<string, unknown> & { _id: string; _rev?: string }

type NormalizedFile = { _id: string; attributes?: unknown }

/** The io.cozy.files collection's methods used here (cozy-stack-client/dist/FileCollection.js). */
interface FilesCollection {
  statById(id: string, options?: Record<string, unknown>): Promise<{ data: NormalizedFile }>
  statByPath(path: string): Promise<{ data: NormalizedFile }>
  createFileMetadata(attributes: Record<string, unknown>): Promise<{ data: { id: string } }>
  doUpload(data: unknown, path: string, options: { contentType: string; contentLength?: number }): Promise<{ data: NormalizedFile }>
  updateAttributes(id: string, attributes: Record<string, unknown>): Promise<{ data: NormalizedFile }>
}

/** A document collection's methods used here (DocumentCollection.js, JobCollection.js, TriggerCollection.js). */
interface DocsCollection {
  get(id: string): Promise<{ data: Record<string, unknown> | null } | null>
  all(options: { limit: null }): Promise<{ data: Array<Record<string, unknown>> }>
  create(...args: unknown[]): Promise<{ data: Record<string, unknown> }>
  update(doc: Record<string, unknown>): Promise<{ data: Record<string, unknown> }>
  find(selector: Record<string, unknown>): Promise<{ data: Array<Record<string, unknown>> }>
}

/** cozy-stack-client's normalization adds `_type` (and `id`, a copy of `_id`): the documents go back as the stack stored them. */
function plain<T>(doc: Record<string, unknown>): T {
  const { _type: _ignored, ...rest } = doc
  if (rest.id === rest._id) delete rest.id
  return rest as T
}

/** A file as cozy-stack-client normalizes it (attributes spread, JSON:API members kept): its attributes and id, as the engine reads it. */
function fileOf(normalized: NormalizedFile): CozyFile {
  return { ...(normalized.attributes as Omit<CozyFile, '_id'>), _id: normalized._id }
}

function jsonApiFile(data: unknown): CozyFile {
  const d = data as { id: string; attributes: Record<string, unknown> }
  return { ...(d.attributes as Omit<CozyFile, '_id'>), _id: d.id }
}

/** The query of a creation under /files/:dir-id, with both dates (createFile would send one date as both). */
function creationQuery(type: 'file' | 'directory', name: string, options: DirOptions, metadataId: string | null): string {
  const query = new URLSearchParams({ Name: name, Type: type })
  if (options.createdAt) query.set('CreatedAt', options.createdAt.toISOString())
  if (options.updatedAt) query.set('UpdatedAt', options.updatedAt.toISOString())
  if (metadataId) query.set('MetadataID', metadataId)
  return query.toString()
}

/** An upload body cozy-stack-client accepts: a Node Readable (streamed), a string, or an ArrayBuffer of exactly these bytes. */
function uploadBody(content: Uint8Array | string | AsyncIterable<Uint8Array>): { body: string | ArrayBuffer | Readable; inMemory: boolean; length?: number } {
  if (typeof content === 'string') return { body: content, inMemory: true }
  // doUpload sends a view's whole .buffer: a copy keeps a pooled Buffer's neighbours out.
  if (content instanceof Uint8Array) return { body: content.slice().buffer, inMemory: true, length: content.byteLength }
  return { body: Readable.from(content, { objectMode: false }), inMemory: false }
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
  /** The one cozy-client; its stack client is `stack`. */
  readonly cozy: CozyClient
  private readonly stack: NodeStackClient
  private readonly attempts: number

  constructor(url: string, token: string, options: StackClientOptions = {}) {
    this.url = url.endsWith('/') ? url : `${url}/`
    this.attempts = options.attempts ?? 5
    const { client, stack } = createCozyClient(url, token.trim(), options.timeoutMs ?? 120_000)
    this.cozy = client
    this.stack = stack
  }

  /** Authorization header, for readers that fetch on their own (the archive's Range reads). */
  authHeaders(): Record<string, string> {
    return { Authorization: this.stack.getAuthorizationHeader() }
  }

  downloadUrl(fileId: string): string {
    return `${this.url}files/download/${encodeURIComponent(fileId)}`
  }

  /**
   * One cozy-client call, its failure turned into the one error type; `retry` when it is safe
   * to send again after a network error or a 5xx.
   */
  private async call<T>(label: string, retry: boolean, run: () => Promise<T>): Promise<T> {
    const attempts = retry ? this.attempts : 1
    let lastError: unknown = null
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoff(attempt))
      try {
        return await run()
      } catch (err) {
        const error = toStackError(err, label)
        if (!(error instanceof StackClientError) || error.kind !== 'unavailable') throw error
        lastError = error
      }
    }
    throw lastError
  }

  /** The same call, null when the stack answers 404. */
  private async orNull<T>(label: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await this.call(label, true, run)
    } catch (err) {
      if (err instanceof StackClientError && err.kind === 'not-found') return null
      throw err
    }
  }

  private get files(): FilesCollection {
    return this.cozy.collection('io.cozy.files') as unknown as FilesCollection
  }

  private docs(doctype: string): DocsCollection {
    return this.cozy.collection(doctype) as unknown as DocsCollection
  }

  // ---- files (docs/files.md) ----

  async statById(id: string): Promise<CozyFile | null> {
    const res = await this.orNull(`GET /files/${id}`, () => this.files.statById(id, { 'page[limit]': 1 }))
    return res ? fileOf(res.data) : null
  }

  async statByPath(path: string): Promise<CozyFile | null> {
    const res = await this.orNull('GET /files/metadata', () => this.files.statByPath(path))
    return res ? fileOf(res.data) : null
  }

  /** Every child of a directory (follows the pagination links, which no collection method does). */
  async listDir(dirId: string): Promise<CozyFile[]> {
    const out: CozyFile[] = []
    let path: string | null = `/files/${encodeURIComponent(dirId)}?page[limit]=100`
    while (path) {
      const current: string = path
      const body: { included?: unknown[]; links?: { next?: string } } = await this.call(`GET /files/${dirId}`, true, () => this.stack.fetchJSON('GET', current))
      for (const item of body.included ?? []) out.push(jsonApiFile(item))
      const next = body.links?.next
      path = next ? (next.startsWith('/') ? next : `/${next}`) : null
    }
    return out
  }

  /** POST /files/upload/metadata: an id to pass as MetadataID with the creation. */
  private async metadataId(metadata: Record<string, unknown> | undefined): Promise<string | null> {
    if (!metadata) return null
    const res = await this.call('POST /files/upload/metadata', true, () => this.files.createFileMetadata(metadata))
    return res.data.id
  }

  async createDir(parentId: string, name: string, options: DirOptions = {}): Promise<CozyFile> {
    const path = `/files/${encodeURIComponent(parentId)}?${creationQuery('directory', name, options, await this.metadataId(options.metadata))}`
    // Through fetchJSON: createDirectory sends one date (a Date header) for both. A retry after a lost answer meets the name conflict its callers resolve by path.
    const body = await this.call(`POST /files/${parentId}`, true, () => this.stack.fetchJSON<{ data: unknown }>('POST', path))
    return jsonApiFile(body.data)
  }

  /**
   * Creates a file in a directory. A `conflict` error means the name is taken; `quota` that it
   * does not fit. Bytes in memory are retried here; streamed bodies are sent once (the caller
   * retries with a fresh stream).
   */
  async uploadFile(dirId: string, name: string, content: Uint8Array | string | AsyncIterable<Uint8Array>, options: UploadOptions = {}): Promise<CozyFile> {
    const path = `/files/${encodeURIComponent(dirId)}?${creationQuery('file', name, options, await this.metadataId(options.metadata))}`
    const { body, inMemory, length } = uploadBody(content)
    const contentLength = length ?? options.size
    // doUpload is where createFile ends; called directly to send both dates (createFile sends its lastModifiedDate as both).
    const res = await this.call(`POST /files/${dirId}`, inMemory, () => this.files.doUpload(body, path, { contentType: options.contentType || 'application/octet-stream', contentLength }))
    return fileOf(res.data)
  }

  async patchFile(id: string, attributes: Record<string, unknown>): Promise<CozyFile> {
    const res = await this.call(`PATCH /files/${id}`, true, () => this.files.updateAttributes(id, attributes))
    return fileOf(res.data)
  }

  // ---- settings (docs/settings.md "GET /settings/disk-usage") ----

  /** Bytes used and the quota (null: no quota). */
  async diskUsage(): Promise<{ used: number; quota: number | null }> {
    const body = await this.call('GET /settings/disk-usage', true, () => this.stack.fetchJSON<{ data: { attributes: { used?: string; quota?: string } } }>('GET', '/settings/disk-usage'))
    const { used, quota } = body.data.attributes
    return { used: Number(used ?? 0), quota: quota === undefined || quota === '' ? null : Number(quota) }
  }

  // ---- data (docs/data-system.md) ----

  async getDoc<T extends { _id: string }>(doctype: string, id: string): Promise<T | null> {
    const res = await this.orNull(`GET /data/${doctype}/${id}`, () => this.docs(doctype).get(id))
    return res?.data ? plain<T>(res.data) : null
  }

  /** Every document of a doctype (small doctypes only: import records); none when the doctype has none yet. */
  async allDocs<T extends { _id: string }>(doctype: string): Promise<T[]> {
    const res = await this.orNull(`GET /data/${doctype}/_all_docs`, () => this.docs(doctype).all({ limit: null }))
    return (res?.data ?? []).filter(d => !String(d._id).startsWith('_design/')).map(d => plain<T>(d))
  }

  /** PUT without _rev: creates the document with this id; `conflict` when it exists. */
  async createDocWithId<T extends Record<string, unknown>>(doctype: string, id: string, doc: T): Promise<T & Doc> {
    const { _rev: _ignored, _id: _alsoIgnored, ...fields } = doc as T & { _rev?: string; _id?: string }
    // Safe to retry: a retry after a lost answer meets the conflict its callers already handle.
    const res = await this.call(`PUT /data/${doctype}/${id}`, true, () => this.docs(doctype).create({ ...fields, _id: id }))
    return plain<T & Doc>(res.data)
  }

  /** PUT with _id and _rev: updates; `conflict` when the revision is not the current one. */
  async updateDoc<T extends Doc>(doctype: string, doc: T): Promise<T> {
    // Same: a retry of an update that went through meets a revision conflict (RecordStore refetches).
    const res = await this.call(`PUT /data/${doctype}/${doc._id}`, true, () => this.docs(doctype).update(plain<Record<string, unknown>>(doc)))
    return plain<T>(res.data)
  }

  // ---- jobs (docs/jobs.md) ----

  async queueJob(worker: string, args: unknown): Promise<{ id: string }> {
    const res = await this.call(`POST /jobs/queue/${worker}`, false, () => this.docs('io.cozy.jobs').create(worker, args))
    return { id: String(res.data.id ?? res.data._id) }
  }

  /** A job's state (`queued`, `running`, `done`, `errored`: GET /jobs/:job-id, docs/jobs.md); null when the stack has no such job. */
  async jobState(id: string): Promise<string | null> {
    const res = await this.orNull(`GET /jobs/${id}`, () => this.docs('io.cozy.jobs').get(id))
    const state = res?.data?.state
    return typeof state === 'string' ? state : null
  }

  async createTrigger(trigger: { type: string; arguments: string; worker: string; message: unknown; debounce?: string }): Promise<{ id: string }> {
    const res = await this.call('POST /jobs/triggers', false, () => this.docs('io.cozy.triggers').create(trigger))
    return { id: String(res.data._id ?? res.data.id) }
  }

  async listTriggers(worker: string): Promise<Array<{ id: string; type: string; arguments: string; message: unknown }>> {
    const res = await this.call('GET /jobs/triggers', true, () => this.docs('io.cozy.triggers').find({ worker }))
    return res.data.map(t => ({ id: String(t._id), type: String(t.type), arguments: String(t.arguments), message: t.message }))
  }

  // ---- apps and notifications (docs/apps.md, docs/notifications.md) ----

  /** The web address of an installed webapp (GET /apps/:slug, links.related); null when it is not installed. */
  async webappUrl(slug: string): Promise<string | null> {
    const body = await this.orNull(`GET /apps/${slug}`, () => this.stack.fetchJSON<{ data: { links?: { related?: unknown } } }>('GET', `/apps/${encodeURIComponent(slug)}`))
    const related = body?.data.links?.related
    return typeof related === 'string' ? related : null
  }

  /** POST /notifications: the category must be declared in the sender's manifest. */
  async createNotification(notification: NotificationRequest): Promise<void> {
    const attributes = notificationAttributes(notification)
    // A Content-Type of our own makes fetchJSON send the body as given.
    const body = JSON.stringify({ data: { type: 'io.cozy.notifications', attributes } })
    await this.call('POST /notifications', false, () => this.stack.fetchJSON('POST', '/notifications', body, { headers: { 'Content-Type': 'application/vnd.api+json' } }))
  }
}
