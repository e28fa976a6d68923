import { collate } from 'pouchdb-collate'
import type { Databases } from './databases'
import { decodeBookmark, encodeBookmark, type Cursor } from '../util/bookmark'

type Selector = PouchDB.Find.Selector
type Sort = PouchDB.Find.FindRequest<object>['sort']

export interface PageRequest {
  selector: Selector
  limit: number
  skip: number
  sort?: Sort
  fields?: string[]
  use_index?: string | [string, string]
  bookmark?: unknown
}

export interface Page {
  docs: object[]
  /** The bookmark of the page after this one, or null when this page is the last. */
  next: string | null
}

function valueAt(doc: object, field: string): unknown {
  let v: unknown = doc
  for (const part of field.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
  return v
}

function descending(sort: Sort): boolean {
  const first = sort?.[0]
  return typeof first === 'object' && first !== null && Object.values(first)[0] === 'desc'
}

/** Compares a row with the cursor in the index order (fields…, then _id), CouchDB's collation. */
function compareToCursor(row: object & { _id: string }, fields: string[], cursor: Cursor): number {
  for (let i = 0; i < fields.length; i++) {
    const c = collate(valueAt(row, fields[i]), cursor.key[i])
    if (c !== 0) return c
  }
  return collate(row._id, cursor.id)
}

/** How many rows to read per batch while skipping the rows that tie with the cursor. */
const BATCH = 200

/**
 * One page of a Mango query with CouchDB's bookmark semantics: the index the query runs on
 * (PouchDB's explain) gives the row order, and the next page is the rows strictly after the
 * last one on that same index. PouchDB's planner refuses an `$or` over the index fields, so
 * the query is narrowed by a range on the leading field, and the rows that tie with the cursor
 * on that field but come before it are dropped here.
 */
export async function findPage(dbs: Databases, doctype: string, request: PageRequest): Promise<Page> {
  const cursor = decodeBookmark(request.bookmark)
  const base: PouchDB.Find.FindRequest<object> = { selector: request.selector, limit: request.limit, skip: request.skip }
  if (request.sort) base.sort = request.sort
  if (request.use_index) base.use_index = request.use_index as string
  const plan = await dbs.explain(doctype, base)
  const fields = plan.index.def.fields.map(f => Object.keys(f)[0]).filter(f => f !== '_id')
  // The cursor needs the index fields even when the client asked for fewer.
  if (request.fields) base.fields = [...new Set([...request.fields, ...fields, '_id'])]
  const scan = cursor
    ? await rowsAfter(dbs, doctype, { base, ddoc: plan.index.ddoc, fields, cursor, desc: descending(request.sort) })
    : await firstRows(dbs, doctype, base, fields)
  const rows = scan.rows
  const last = rows[rows.length - 1]
  const next = rows.length >= request.limit && last ? encodeBookmark({ key: fields.map(f => valueAt(last.doc, f)), id: last.doc._id, at: last.at }) : null
  const docs = rows.map(row => (request.fields ? project(row.doc, request.fields) : row.doc))
  return { docs, next }
}

type Row = object & { _id: string }
/** A row and where the rows after it start in the range the next page will read. */
interface Scanned {
  doc: Row
  at: number
}

/** The rows of a first page, each with its position among the rows sharing its leading key. */
async function firstRows(dbs: Databases, doctype: string, base: PouchDB.Find.FindRequest<object>, fields: string[]): Promise<{ rows: Scanned[] }> {
  const docs = (await dbs.find(doctype, base)).docs as Row[]
  return { rows: positions(docs, fields, 0, undefined) }
}

/**
 * `at` for each row: for rows that share the leading key the range started from, their offset
 * in it plus one; for the others, how many rows of their leading key came up to them. Only the
 * rows of this scan can precede a row of another key in its own next range.
 */
function positions(docs: Row[], fields: string[], start: number, rangeKey: unknown): Scanned[] {
  const leading = fields[0]
  const out: Scanned[] = []
  let runKey: unknown
  let run = 0
  docs.forEach((doc, i) => {
    if (!leading) {
      out.push({ doc, at: 1 })
      return
    }
    const key = valueAt(doc, leading)
    if (rangeKey !== undefined && collate(key, rangeKey) === 0) {
      out.push({ doc, at: start + i + 1 })
      return
    }
    run = i > 0 && collate(key, runKey) === 0 ? run + 1 : 1
    runKey = key
    out.push({ doc, at: run })
  })
  return out
}

interface AfterQuery {
  base: PouchDB.Find.FindRequest<object>
  ddoc: string | null
  fields: string[]
  cursor: Cursor
  desc: boolean
}

async function rowsAfter(dbs: Databases, doctype: string, q: AfterQuery): Promise<{ rows: Scanned[] }> {
  const { base, fields, cursor, desc } = q
  const leading = fields[0]
  const range: Selector = leading ? { [leading]: { [desc ? '$lte' : '$gte']: cursor.key[0] } } : { _id: { [desc ? '$lte' : '$gte']: cursor.id } }
  const query: PouchDB.Find.FindRequest<object> = { ...base, selector: { $and: [base.selector, range] }, skip: 0 }
  // Pinned, so that the added range cannot make another index (another order) win.
  if (q.ddoc) query.use_index = q.ddoc.replace(/^_design\//, '')
  const isAfter = (row: Row): boolean => {
    const c = compareToCursor(row, fields, cursor)
    return desc ? c < 0 : c > 0
  }
  const wanted = (base.skip ?? 0) + (base.limit ?? 25)
  // Start one row before the hint; if that row is already past the cursor, rows were removed
  // before it since the last page, and the whole range is read again.
  let start = cursor.at ? cursor.at - 1 : 0
  let scanned: Row[] = []
  let after = 0
  for (let offset = start; ; offset += BATCH) {
    const batch = (await dbs.find(doctype, { ...query, skip: offset, limit: BATCH })).docs as Row[]
    if (offset === start && start > 0 && batch.length > 0 && isAfter(batch[0])) {
      start = 0
      offset = -BATCH
      scanned = []
      after = 0
      continue
    }
    scanned.push(...batch)
    for (const row of batch) if (isAfter(row)) after++
    if (batch.length < BATCH || after >= wanted) break
  }
  const rows = positions(scanned, fields, start, leading ? cursor.key[0] : undefined).filter(row => isAfter(row.doc))
  return { rows: rows.slice(base.skip ?? 0, wanted) }
}

/** CouchDB's `fields`: dotted names give nested objects. */
function project(row: object, fields: string[]): object {
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const v = valueAt(row, field)
    if (v === undefined) continue
    const parts = field.split('.')
    let target = out
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {}
      target = target[part] as Record<string, unknown>
    }
    target[parts[parts.length - 1]] = v
  }
  return out
}
