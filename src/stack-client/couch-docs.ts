/**
 * Reading and writing plain documents of one doctype through `/data/:doctype/` (docs/data-system.md),
 * for the app's own doctypes (import records, pending shares) and contacts.
 */
import type { StackFetcher } from './fetcher'
import { withStackErrors } from './StackError'
import { asRecord } from './jsonapi'

export type CouchDoc = Record<string, unknown> & { _id: string; _rev?: string }

function toDoc(value: unknown): CouchDoc | null {
  const doc = asRecord(value)
  return typeof doc._id === 'string' && !doc._id.startsWith('_design/') ? (doc as CouchDoc) : null
}

export function couchDocsApi(stack: StackFetcher, doctype: string) {
  const base = `/data/${encodeURIComponent(doctype)}`
  return {
    /** Every document (`_all_docs?include_docs=true`); a doctype with no database yet is empty. */
    async all(): Promise<CouchDoc[]> {
      try {
        const body = asRecord(await stack.fetchJSON('GET', `${base}/_all_docs?include_docs=true`))
        const rows = Array.isArray(body.rows) ? body.rows : []
        return rows.map(row => toDoc(asRecord(row).doc)).filter((d): d is CouchDoc => d !== null)
      } catch (err) {
        // The stack answers 404 for a doctype whose database was never created.
        if (asRecord(err).status === 404) return []
        return withStackErrors(() => Promise.reject(err))
      }
    },

    async get(id: string): Promise<CouchDoc> {
      const body = await withStackErrors(() => stack.fetchJSON('GET', `${base}/${encodeURIComponent(id)}`))
      const doc = toDoc(body)
      if (!doc) throw new Error(`No document ${id}`)
      return doc
    },

    /** `POST /data/:doctype/` creates a document with a stack-chosen id. */
    async create(attributes: Record<string, unknown>): Promise<CouchDoc> {
      const body = asRecord(await withStackErrors(() => stack.fetchJSON('POST', `${base}/`, attributes)))
      const doc = toDoc(body.data) ?? ({ ...attributes, _id: String(body.id ?? ''), _rev: String(body.rev ?? '') } as CouchDoc)
      return doc
    },

    /** `PUT /data/:doctype/:id` with the current `_rev` (409 when someone else wrote first). */
    async update(doc: CouchDoc): Promise<CouchDoc> {
      const body = asRecord(await withStackErrors(() => stack.fetchJSON('PUT', `${base}/${encodeURIComponent(doc._id)}`, doc)))
      return toDoc(body.data) ?? { ...doc, _rev: String(body.rev ?? doc._rev) }
    }
  }
}

export type CouchDocsApi = ReturnType<typeof couchDocsApi>
