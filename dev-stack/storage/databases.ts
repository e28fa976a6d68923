import path from 'path'
import { promises as fs } from 'fs'
import PouchDB from 'pouchdb-core'
import LevelAdapter from 'pouchdb-adapter-leveldb'
import PouchFind from 'pouchdb-find'

PouchDB.plugin(LevelAdapter).plugin(PouchFind)

export type Doc = Record<string, unknown> & { _id: string; _rev?: string }
export type ChangeVerb = 'CREATED' | 'UPDATED' | 'DELETED'
export interface DocChange {
  doctype: string
  verb: ChangeVerb
  doc: Doc
}
export type ChangeListener = (change: DocChange) => void

/** Removes the `_type` the stack adds on output (couchdb.JSONDoc.ToMapWithType): CouchDB never stores it. */
function stripType(doc: Record<string, unknown>): Record<string, unknown> {
  const { _type: _ignored, ...rest } = doc
  return rest
}

/**
 * One CouchDB database per doctype, as the stack has (`<prefix>/<doctype>`), embedded with
 * PouchDB on LevelDB under the instance's folder. Every write goes through here so that the
 * realtime hub and the @event triggers hear about it, like the stack's realtime.GetHub().Publish.
 */
export class Databases {
  private readonly open = new Map<string, PouchDB.Database>()
  private readonly listeners = new Set<ChangeListener>()

  constructor(private readonly dir: string) {}

  /** The doctypes that have a database (couchdb.AllDoctypes). */
  async doctypes(): Promise<string[]> {
    try {
      return (await fs.readdir(this.dir)).filter(n => /^[a-z0-9._]+$/.test(n)).sort()
    } catch {
      return []
    }
  }

  async exists(doctype: string): Promise<boolean> {
    if (this.open.has(doctype)) return true
    if (!/^[a-z0-9._]+$/.test(doctype) || /^\.+$/.test(doctype)) return false
    try {
      await fs.access(path.join(this.dir, doctype))
      return true
    } catch {
      return false
    }
  }

  /** Opens (and creates on first use) the database of a doctype. */
  async db(doctype: string): Promise<PouchDB.Database> {
    let db = this.open.get(doctype)
    if (!db) {
      if (!/^[a-z0-9._]+$/.test(doctype) || /^\.+$/.test(doctype)) throw new Error(`invalid doctype ${doctype}`)
      await fs.mkdir(this.dir, { recursive: true })
      db = new PouchDB(path.join(this.dir, doctype), { adapter: 'leveldb' })
      this.open.set(doctype, db)
    }
    return db
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(doctype: string, verb: ChangeVerb, doc: Doc): void {
    for (const l of this.listeners) {
      try {
        l({ doctype, verb, doc })
      } catch {
        // a failing listener must not fail the write that already happened
      }
    }
  }

  /** Reads a document; rejects with PouchDB's not_found (status 404, reason missing/deleted). */
  async get(doctype: string, id: string): Promise<Doc> {
    const db = await this.db(doctype)
    return (await db.get(id)) as unknown as Doc
  }

  async getOrNull(doctype: string, id: string): Promise<Doc | null> {
    try {
      return await this.get(doctype, id)
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null
      throw err
    }
  }

  /** Creates a document with a generated id (couchdb.CreateDoc uses a UUID without dashes). */
  async create(doctype: string, doc: Record<string, unknown>): Promise<Doc> {
    const id = typeof doc._id === 'string' && doc._id ? doc._id : newId()
    return this.put(doctype, { ...stripType(doc), _id: id })
  }

  /** Creates or updates (with `_rev`) a document and tells the listeners. */
  async put(doctype: string, doc: Record<string, unknown>): Promise<Doc> {
    const db = await this.db(doctype)
    const clean = stripType(doc) as Doc
    const result = await db.put(clean)
    const saved: Doc = { ...clean, _id: result.id, _rev: result.rev }
    this.emit(doctype, result.rev.startsWith('1-') ? 'CREATED' : 'UPDATED', saved)
    return saved
  }

  async remove(doctype: string, id: string, rev: string): Promise<Doc> {
    const db = await this.db(doctype)
    const old = (await db.get(id)) as unknown as Doc
    const result = await db.remove(id, rev)
    const gone: Doc = { ...old, _id: id, _rev: result.rev, _deleted: true }
    this.emit(doctype, 'DELETED', gone)
    return gone
  }

  /** CouchDB _bulk_docs: per-document results, errors included, never a thrown conflict. */
  async bulk(doctype: string, docs: Record<string, unknown>[]): Promise<(PouchDB.Core.Response | PouchDB.Core.Error)[]> {
    const db = await this.db(doctype)
    const prepared = docs.map(d => {
      const clean = stripType(d)
      return (typeof clean._id === 'string' && clean._id ? clean : { ...clean, _id: newId() }) as Doc
    })
    const results = await db.bulkDocs(prepared as PouchDB.Core.PutDocument<object>[])
    results.forEach((r, i) => {
      if ('ok' in r && r.ok) {
        const doc: Doc = { ...prepared[i], _id: r.id, _rev: r.rev }
        const verb: ChangeVerb = prepared[i]._deleted ? 'DELETED' : r.rev.startsWith('1-') ? 'CREATED' : 'UPDATED'
        this.emit(doctype, verb, doc)
      }
    })
    return results
  }

  async find(doctype: string, request: PouchDB.Find.FindRequest<object>): Promise<PouchDB.Find.FindResponse<object>> {
    const db = await this.db(doctype)
    return db.find(request)
  }

  /** The index a query runs on (pouchdb-find's explain, CouchDB's _explain). */
  async explain(doctype: string, request: PouchDB.Find.FindRequest<object>): Promise<{ index: { ddoc: string | null; def: { fields: Array<Record<string, string>> } } }> {
    const db = (await this.db(doctype)) as unknown as { explain(r: PouchDB.Find.FindRequest<object>): Promise<{ index: { ddoc: string | null; def: { fields: Array<Record<string, string>> } } }> }
    return db.explain(request)
  }

  async createIndex(doctype: string, request: PouchDB.Find.CreateIndexOptions): Promise<PouchDB.Find.CreateIndexResponse<object>> {
    const db = await this.db(doctype)
    return db.createIndex(request)
  }

  async allDocs(doctype: string, options: PouchDB.Core.AllDocsOptions): Promise<PouchDB.Core.AllDocsResponse<object>> {
    const db = await this.db(doctype)
    return db.allDocs(options)
  }

  /** Every live document of a doctype except design docs (handy for listings and the seed). */
  async list(doctype: string): Promise<Doc[]> {
    if (!(await this.exists(doctype))) return []
    const res = await this.allDocs(doctype, { include_docs: true })
    return res.rows.filter(r => !r.id.startsWith('_design/') && r.doc).map(r => r.doc as unknown as Doc)
  }

  async destroyDatabase(doctype: string): Promise<void> {
    const db = await this.db(doctype)
    await db.destroy()
    this.open.delete(doctype)
  }

  async close(): Promise<void> {
    const dbs = [...this.open.values()]
    this.open.clear()
    await Promise.all(dbs.map(db => db.close().catch(() => undefined)))
  }
}

/** A 32-hex id like the UUIDs without dashes CouchDB and the stack generate. */
export function newId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '')
}
