import crypto from 'crypto'
import { createReadStream, createWriteStream, promises as fs } from 'fs'
import path from 'path'
import type { Readable } from 'stream'
import type { Databases, Doc } from '../storage/databases'
import { newId } from '../storage/databases'
import { StackError, invalidParameter, jsonApiError } from '../http/errors'
import { bytes } from '../util/bytes'
import { NOTE_MIME, mimeAndClass, mimeAndClassFromName } from './mime'
import { noteMetadata } from './note'

export const FILES_DOCTYPE = 'io.cozy.files'
export const ROOT_DIR_ID = 'io.cozy.files.root-dir'
export const TRASH_DIR_ID = 'io.cozy.files.trash-dir'
export const TRASH_DIR_PATH = '/.cozy_trash'

/** A document of io.cozy.files as stored (model/vfs/file.go FileDoc, directory.go DirDoc). */
export type FileDoc = Doc & {
  type: 'file' | 'directory'
  name: string
  dir_id?: string
  path?: string
  created_at: string
  updated_at: string
  size?: string
  md5sum?: string
  mime?: string
  class?: string
  trashed?: boolean
  executable?: boolean
  tags?: string[]
  metadata?: Record<string, unknown>
  referenced_by?: { type: string; id: string }[]
  restore_path?: string
  cozyMetadata?: Record<string, unknown>
}

/** vfs errors with the status web/files/files.go wrapVfsError gives them. */
export const vfsErrors = {
  parentMissing: () => jsonApiError(404, 'Parent directory with given DirID does not exist'),
  notFound: () => jsonApiError(404, 'file does not exist'),
  exists: () => jsonApiError(409, 'file already exists'),
  illegalName: () => invalidParameter('name', 'Invalid filename: empty or contains an illegal character'),
  illegalMime: () => invalidParameter('mime', 'Invalid Content-Type'),
  invalidHash: () => new StackError(412, 'jsonapi', 'Invalid hash', { source: { parameter: 'Content-MD5' } }),
  lengthMismatch: () => new StackError(412, 'jsonapi', 'Content length does not match', { source: { parameter: 'Content-Length' } }),
  tooBig: () => jsonApiError(413, 'The file is too big and exceeds the disk quota'),
  inTrash: () => jsonApiError(400, 'File or directory is already in the trash'),
  notInTrash: () => jsonApiError(400, 'File or directory is not in the trash'),
  forbiddenMove: () => new StackError(412, 'jsonapi', 'Forbidden document move', { source: { parameter: 'dir-id' } })
}

/** vfs.checkFileName: not empty, not "." or "..", none of "/", NUL, LF, CR. */
export function checkFileName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\0\n\r]/.test(name)) throw vfsErrors.illegalName()
}

export interface UploadOptions {
  name: string
  dirId: string
  /** Declared size (Content-Length or ?Size=), checked against what arrives. */
  size?: number
  /** Expected MD5 (raw bytes), from Content-MD5. */
  md5?: Buffer
  contentType?: string
  createdAt?: string
  updatedAt?: string
  tags?: string[]
  executable?: boolean
  metadata?: Record<string, unknown>
  cozyMetadata: Record<string, unknown>
}

/** A tiny promise queue: VFS metadata changes run one at a time, as the stack's VFS lock does. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

/**
 * The virtual file system of one instance: metadata in the io.cozy.files database (like the
 * stack's CouchDB indexer), contents in real files under `<instance>/files/` named by id (so no
 * file name can ever reach the host's file system).
 */
export class Vfs {
  private readonly lock = new Mutex()
  private usedBytes: number | null = null
  private ready: Promise<void> | null = null

  constructor(
    private readonly dbs: Databases,
    private readonly contentsDir: string,
    private readonly quota: () => number | null
  ) {}

  /** Creates the root and trash directories and the indexes on first use. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.contentsDir, { recursive: true })
      await fs.mkdir(path.join(this.contentsDir, '.upload'), { recursive: true })
      const now = new Date().toISOString()
      if (!(await this.dbs.getOrNull(FILES_DOCTYPE, ROOT_DIR_ID))) {
        await this.dbs.put(FILES_DOCTYPE, { _id: ROOT_DIR_ID, type: 'directory', name: '', path: '/', created_at: now, updated_at: now })
      }
      if (!(await this.dbs.getOrNull(FILES_DOCTYPE, TRASH_DIR_ID))) {
        await this.dbs.put(FILES_DOCTYPE, { _id: TRASH_DIR_ID, type: 'directory', name: '.cozy_trash', dir_id: ROOT_DIR_ID, path: TRASH_DIR_PATH, created_at: now, updated_at: now })
      }
      await this.dbs.createIndex(FILES_DOCTYPE, { index: { fields: ['dir_id', 'name'], ddoc: 'dir-children', name: 'dir-children' } })
      await this.dbs.createIndex(FILES_DOCTYPE, { index: { fields: ['path'], ddoc: 'by-path', name: 'by-path' } })
    })()
    return this.ready
  }

  contentPath(id: string): string {
    return path.join(this.contentsDir, id.slice(0, 2), id)
  }

  async get(id: string): Promise<FileDoc | null> {
    await this.init()
    const doc = await this.dbs.getOrNull(FILES_DOCTYPE, id)
    return doc && (doc.type === 'file' || doc.type === 'directory') ? (doc as FileDoc) : null
  }

  /** The full path of a file or directory (files keep no path in CouchDB; their parent does). */
  async fullPath(doc: FileDoc): Promise<string> {
    if (doc.type === 'directory') return String(doc.path)
    const parent = doc.dir_id ? await this.get(doc.dir_id) : null
    const base = parent?.path ?? '/'
    return base === '/' ? `/${doc.name}` : `${base}/${doc.name}`
  }

  async byPath(p: string): Promise<FileDoc | null> {
    await this.init()
    if (!p.startsWith('/')) throw jsonApiError(400, 'Path should be absolute')
    const clean = p.length > 1 ? p.replace(/\/+$/, '') : p
    const dirs = await this.dbs.find(FILES_DOCTYPE, { selector: { path: clean }, limit: 1 })
    if (dirs.docs.length) return dirs.docs[0] as unknown as FileDoc
    const slash = clean.lastIndexOf('/')
    const parentPath = slash <= 0 ? '/' : clean.slice(0, slash)
    const parents = await this.dbs.find(FILES_DOCTYPE, { selector: { path: parentPath }, limit: 1 })
    if (!parents.docs.length) return null
    return this.childNamed((parents.docs[0] as unknown as FileDoc)._id, clean.slice(slash + 1))
  }

  async childNamed(dirId: string, name: string): Promise<FileDoc | null> {
    const res = await this.dbs.find(FILES_DOCTYPE, { selector: { dir_id: dirId, name }, limit: 1 })
    return res.docs.length ? (res.docs[0] as unknown as FileDoc) : null
  }

  async children(dirId: string): Promise<FileDoc[]> {
    await this.init()
    const res = await this.dbs.find(FILES_DOCTYPE, { selector: { dir_id: dirId }, limit: 1_000_000 })
    return (res.docs as unknown as FileDoc[]).filter(d => d._id !== TRASH_DIR_ID).sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1))
  }

  private async parentDir(dirId: string): Promise<FileDoc> {
    const parent = await this.get(dirId)
    if (!parent || parent.type !== 'directory') throw vfsErrors.parentMissing()
    return parent
  }

  /** Is `dirPath` inside the trash? */
  static inTrash(p: string | undefined): boolean {
    return !!p && (p === TRASH_DIR_PATH || p.startsWith(TRASH_DIR_PATH + '/'))
  }

  async createDir(dirId: string, name: string, opts: { createdAt?: string; updatedAt?: string; tags?: string[]; metadata?: Record<string, unknown>; cozyMetadata: Record<string, unknown> }): Promise<FileDoc> {
    await this.init()
    checkFileName(name)
    return this.lock.run(async () => {
      const parent = await this.parentDir(dirId)
      if (Vfs.inTrash(parent.path)) throw jsonApiError(404, 'Parent directory is in the trash')
      if (await this.childNamed(parent._id, name)) throw vfsErrors.exists()
      const now = new Date().toISOString()
      const doc: Record<string, unknown> = {
        _id: newId(),
        type: 'directory',
        name,
        dir_id: parent._id,
        path: parent.path === '/' ? `/${name}` : `${parent.path}/${name}`,
        created_at: opts.createdAt ?? now,
        updated_at: opts.updatedAt ?? opts.createdAt ?? now,
        tags: opts.tags ?? [],
        cozyMetadata: opts.cozyMetadata
      }
      if (opts.metadata) doc.metadata = opts.metadata
      return (await this.dbs.put(FILES_DOCTYPE, doc)) as FileDoc
    })
  }

  /** Every directory of a path, created when missing (cozy-client createDirectoryByPath). */
  async ensureDirPath(p: string, cozyMetadata: Record<string, unknown>): Promise<FileDoc> {
    await this.init()
    let current = (await this.get(ROOT_DIR_ID)) as FileDoc
    for (const part of p.split('/').filter(Boolean)) {
      const child = await this.childNamed(current._id, part)
      if (child && child.type !== 'directory') throw vfsErrors.exists()
      current = child ?? (await this.createDir(current._id, part, { cozyMetadata }))
    }
    return current
  }

  async diskUsage(): Promise<{ used: number; trash: number }> {
    await this.init()
    const all = await this.dbs.find(FILES_DOCTYPE, { selector: { type: 'file' }, limit: 10_000_000 })
    let used = 0
    let trash = 0
    for (const d of all.docs as unknown as FileDoc[]) {
      const n = Number(d.size ?? 0)
      used += n
      if (d.trashed) trash += n
    }
    this.usedBytes = used
    return { used, trash }
  }

  private async used(): Promise<number> {
    if (this.usedBytes === null) await this.diskUsage()
    return this.usedBytes ?? 0
  }

  /** Bytes still available, or Infinity without a quota. */
  async available(): Promise<number> {
    const quota = this.quota()
    return quota === null ? Infinity : quota - (await this.used())
  }

  /**
   * Streams an upload to a temporary file while hashing and counting, and refuses it (413)
   * as soon as it passes the space left: nothing is kept of a refused upload.
   */
  private async receive(body: Readable, opts: { size?: number; md5?: Buffer; room: number }): Promise<{ tmp: string; size: number; md5: Buffer }> {
    if (opts.size !== undefined && opts.size > opts.room) {
      body.resume()
      throw vfsErrors.tooBig()
    }
    const tmp = path.join(this.contentsDir, '.upload', newId())
    const hash = crypto.createHash('md5')
    let size = 0
    const out = createWriteStream(tmp)
    try {
      await new Promise<void>((resolve, reject) => {
        let failed = false
        const fail = (err: Error) => {
          if (failed) return
          failed = true
          body.unpipe(out)
          body.resume()
          out.destroy()
          reject(err)
        }
        body.on('data', (chunk: Buffer) => {
          size += chunk.length
          hash.update(bytes(chunk))
          if (size > opts.room) fail(vfsErrors.tooBig())
          else if (opts.size !== undefined && size > opts.size) fail(vfsErrors.lengthMismatch())
        })
        body.on('error', fail)
        body.on('aborted', () => fail(jsonApiError(400, 'upload aborted')))
        out.on('error', fail)
        out.on('finish', () => {
          if (!failed) resolve()
        })
        body.pipe(out)
      })
      const md5 = hash.digest()
      if (opts.size !== undefined && size !== opts.size) throw vfsErrors.lengthMismatch()
      if (opts.md5 && !md5.equals(opts.md5)) throw vfsErrors.invalidHash()
      return { tmp, size, md5 }
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
  }

  private async place(tmp: string, id: string): Promise<void> {
    const target = this.contentPath(id)
    await fs.mkdir(path.dirname(target), { recursive: true })
    await fs.rename(tmp, target)
  }

  private fileTypeFields(name: string, contentType: string | undefined): { mime: string; class: string } {
    if (contentType !== undefined && contentType !== '' && contentType !== 'application/octet-stream') return mimeAndClass(contentType)
    return mimeAndClassFromName(name)
  }

  /** POST /files/:dir-id?Type=file: a new file, its name unique in its directory. */
  async createFile(body: Readable, opts: UploadOptions): Promise<FileDoc> {
    await this.init()
    checkFileName(opts.name)
    const parent = await this.parentDir(opts.dirId)
    if (Vfs.inTrash(parent.path)) throw jsonApiError(404, 'Parent directory is in the trash')
    if (await this.childNamed(parent._id, opts.name)) {
      body.resume()
      throw vfsErrors.exists()
    }
    const { mime, class: cls } = this.fileTypeFields(opts.name, opts.contentType)
    const received = await this.receive(body, { size: opts.size, md5: opts.md5, room: await this.available() })
    try {
      return await this.lock.run(async () => {
        if (await this.childNamed(parent._id, opts.name)) throw vfsErrors.exists()
        if (received.size > (await this.available())) throw vfsErrors.tooBig()
        const id = newId()
        const now = new Date().toISOString()
        const createdAt = opts.createdAt ?? now
        let updatedAt = opts.updatedAt ?? createdAt
        if (updatedAt < createdAt) updatedAt = createdAt
        const doc: Record<string, unknown> = {
          _id: id,
          type: 'file',
          name: opts.name,
          dir_id: parent._id,
          created_at: createdAt,
          updated_at: updatedAt,
          size: String(received.size),
          md5sum: received.md5.toString('base64'),
          mime,
          class: cls,
          executable: opts.executable ?? false,
          trashed: false,
          encrypted: false,
          tags: opts.tags ?? [],
          cozyMetadata: opts.cozyMetadata
        }
        if (opts.metadata) doc.metadata = opts.metadata
        await this.applyNote(doc, received.tmp)
        await this.place(received.tmp, id)
        const saved = (await this.dbs.put(FILES_DOCTYPE, doc)) as FileDoc
        this.usedBytes = (await this.used()) + received.size
        return saved
      })
    } finally {
      await fs.rm(received.tmp, { force: true })
    }
  }

  /** A `*.cozy-note` becomes a note: mime, class and the parsed document in its metadata. */
  private async applyNote(doc: Record<string, unknown>, contentFile: string, previousRev?: string): Promise<void> {
    if (!String(doc.name).endsWith('.cozy-note')) return
    const stat = await fs.stat(contentFile)
    const meta = noteMetadata(String(doc.name), stat.size <= 2 * 1024 * 1024 ? await fs.readFile(contentFile) : Buffer.alloc(3 * 1024 * 1024), previousRev)
    if (!meta) return
    doc.mime = NOTE_MIME
    doc.class = 'text'
    doc.metadata = { ...((doc.metadata as Record<string, unknown> | undefined) ?? {}), ...meta }
  }

  /** PUT /files/:file-id: new content for an existing file (optionally guarded by If-Match). */
  async overwrite(id: string, body: Readable, opts: Omit<UploadOptions, 'name' | 'dirId'> & { ifMatch?: string }): Promise<FileDoc> {
    const old = await this.get(id)
    if (!old || old.type !== 'file') {
      body.resume()
      throw vfsErrors.notFound()
    }
    if (opts.ifMatch && opts.ifMatch !== old._rev) {
      body.resume()
      throw new StackError(412, 'jsonapi', 'Invalid revision', { source: { parameter: 'If-Match' } })
    }
    const oldSize = Number(old.size ?? 0)
    const received = await this.receive(body, { size: opts.size, md5: opts.md5, room: (await this.available()) + oldSize })
    try {
      return await this.lock.run(async () => {
        const current = await this.get(id)
        if (!current || current._rev !== old._rev) throw jsonApiError(409, 'Conflict access to same file or directory')
        if (received.size - oldSize > (await this.available())) throw vfsErrors.tooBig()
        const { mime, class: cls } = opts.contentType ? mimeAndClass(opts.contentType) : { mime: current.mime, class: current.class }
        const doc: Record<string, unknown> = {
          ...current,
          size: String(received.size),
          md5sum: received.md5.toString('base64'),
          mime,
          class: cls,
          updated_at: opts.updatedAt ?? new Date().toISOString(),
          cozyMetadata: { ...(current.cozyMetadata ?? {}), ...opts.cozyMetadata, createdAt: current.cozyMetadata?.createdAt, createdByApp: current.cozyMetadata?.createdByApp }
        }
        if (opts.tags) doc.tags = opts.tags
        await this.applyNote(doc, received.tmp, current._rev)
        await this.place(received.tmp, id)
        const saved = (await this.dbs.put(FILES_DOCTYPE, doc)) as FileDoc
        this.usedBytes = (await this.used()) + received.size - oldSize
        return saved
      })
    } finally {
      await fs.rm(received.tmp, { force: true })
    }
  }

  /** Opens a file's content, optionally a byte range (inclusive end, like HTTP). */
  openContent(id: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.contentPath(id), range)
  }

  async readContent(id: string): Promise<Buffer> {
    return fs.readFile(this.contentPath(id))
  }

  private async descendants(dir: FileDoc): Promise<FileDoc[]> {
    const out: FileDoc[] = []
    const walk = async (d: FileDoc) => {
      for (const child of await this.children(d._id)) {
        out.push(child)
        if (child.type === 'directory') await walk(child)
      }
    }
    await walk(dir)
    return out
  }

  /** PATCH /files/:id: rename, move, retag, redate (model/vfs ModifyFileMetadata/ModifyDirMetadata). */
  async patch(id: string, patch: { name?: string; dir_id?: string; tags?: string[]; updated_at?: string; executable?: boolean; metadata?: Record<string, unknown> }, ifMatch?: string): Promise<FileDoc> {
    return this.lock.run(async () => {
      const doc = await this.get(id)
      if (!doc) throw vfsErrors.notFound()
      if (id === ROOT_DIR_ID || id === TRASH_DIR_ID) throw vfsErrors.forbiddenMove()
      if (ifMatch && ifMatch !== doc._rev) throw new StackError(412, 'jsonapi', 'Invalid revision', { source: { parameter: 'If-Match' } })
      const name = patch.name ?? doc.name
      checkFileName(name)
      const dirId = patch.dir_id ?? String(doc.dir_id)
      const parent = await this.parentDir(dirId)
      if (doc.type === 'directory' && (parent._id === doc._id || String(parent.path).startsWith(String(doc.path) + '/'))) throw vfsErrors.forbiddenMove()
      if (name !== doc.name || dirId !== doc.dir_id) {
        const clash = await this.childNamed(dirId, name)
        if (clash && clash._id !== doc._id) throw vfsErrors.exists()
      }
      const updated: Record<string, unknown> = { ...doc, name, dir_id: dirId, updated_at: patch.updated_at ?? new Date().toISOString() }
      if (patch.tags) updated.tags = patch.tags
      if (patch.executable !== undefined && doc.type === 'file') updated.executable = patch.executable
      if (patch.metadata) updated.metadata = { ...(doc.metadata ?? {}), ...patch.metadata }
      if (doc.type === 'directory') {
        const oldPath = String(doc.path)
        const newPath = parent.path === '/' ? `/${name}` : `${parent.path}/${name}`
        updated.path = newPath
        if (newPath !== oldPath) {
          for (const d of await this.descendants(doc)) {
            if (d.type === 'directory') await this.dbs.put(FILES_DOCTYPE, { ...d, path: newPath + String(d.path).slice(oldPath.length) })
          }
        }
      }
      return (await this.dbs.put(FILES_DOCTYPE, updated)) as FileDoc
    })
  }

  /** DELETE /files/:id: into the trash, with restore_path (model/vfs TrashFile/TrashDir). */
  async trash(id: string, ifMatch?: string): Promise<FileDoc> {
    const doc = await this.get(id)
    if (!doc) throw vfsErrors.notFound()
    if (id === ROOT_DIR_ID || id === TRASH_DIR_ID) throw vfsErrors.forbiddenMove()
    const where = await this.fullPath(doc)
    if (Vfs.inTrash(where)) throw vfsErrors.inTrash()
    const parent = await this.get(String(doc.dir_id))
    let name = doc.name
    for (let n = 1; await this.childNamed(TRASH_DIR_ID, name); n++) {
      const ext = path.extname(doc.name)
      name = `${doc.name.slice(0, doc.name.length - ext.length)} (${n})${ext}`
    }
    const moved = await this.patch(id, { name, dir_id: TRASH_DIR_ID }, ifMatch)
    const restorePath = parent?.path ?? '/'
    const marked = (await this.dbs.put(FILES_DOCTYPE, { ...moved, restore_path: restorePath, trashed: doc.type === 'file' ? true : moved.trashed })) as FileDoc
    if (doc.type === 'directory') {
      for (const d of await this.descendants(marked)) if (d.type === 'file') await this.dbs.put(FILES_DOCTYPE, { ...d, trashed: true })
    }
    return marked
  }

  /** POST /files/trash/:id: back to restore_path (recreated when missing). */
  async restore(id: string): Promise<FileDoc> {
    const doc = await this.get(id)
    if (!doc) throw vfsErrors.notFound()
    if (doc.dir_id !== TRASH_DIR_ID) throw vfsErrors.notInTrash()
    const target = await this.ensureDirPath(doc.restore_path ?? '/', (doc.cozyMetadata as Record<string, unknown>) ?? {})
    let name = doc.name
    for (let n = 1; await this.childNamed(target._id, name); n++) name = `${doc.name} (${n})`
    const moved = await this.patch(id, { name, dir_id: target._id })
    const { restore_path: _r, ...rest } = moved
    const restored = (await this.dbs.put(FILES_DOCTYPE, { ...rest, trashed: false })) as FileDoc
    if (doc.type === 'directory') {
      for (const d of await this.descendants(restored)) if (d.type === 'file') await this.dbs.put(FILES_DOCTYPE, { ...d, trashed: false })
    }
    return restored
  }

  /** DELETE /files/trash/:id: gone for good, content included. */
  async destroy(id: string): Promise<void> {
    const doc = await this.get(id)
    if (!doc) throw vfsErrors.notFound()
    if (!Vfs.inTrash(await this.fullPath(doc)) || id === TRASH_DIR_ID) throw vfsErrors.notInTrash()
    await this.lock.run(async () => {
      const all = doc.type === 'directory' ? [...(await this.descendants(doc)).reverse(), doc] : [doc]
      for (const d of all) {
        if (d.type === 'file') {
          await fs.rm(this.contentPath(d._id), { force: true })
          if (this.usedBytes !== null) this.usedBytes -= Number(d.size ?? 0)
        }
        await this.dbs.remove(FILES_DOCTYPE, d._id, String(d._rev))
      }
    })
  }

  async clearTrash(): Promise<void> {
    for (const child of await this.children(TRASH_DIR_ID)) await this.destroy(child._id)
  }

  /** The files/directories a document references (files' referenced_by). */
  async addReferences(id: string, refs: { type: string; id: string }[]): Promise<FileDoc> {
    return this.lock.run(async () => {
      const doc = await this.get(id)
      if (!doc) throw vfsErrors.notFound()
      const existing = doc.referenced_by ?? []
      for (const r of refs) if (!existing.some(e => e.type === r.type && e.id === r.id)) existing.push({ type: r.type, id: r.id })
      return (await this.dbs.put(FILES_DOCTYPE, { ...doc, referenced_by: existing })) as FileDoc
    })
  }
}
