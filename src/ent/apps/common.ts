/**
 * Helpers shared by the app readers: the generic Mongo-app walk (one JSON file per resource,
 * collections told apart by their title prefix), the generic SQL-app walk (one file per
 * table), and converters to the common models.
 */
import { parseEntDate } from '../dates'
import { AttachmentRef, ContentGroup, EntItem, EntPerson, RawRecord, RichText, RichTextPeriod } from '../models'
import { AppContext, FolderFile } from './reader'

export type Json = Record<string, unknown>

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

export function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return str(value)
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

/** `{"$ref": "blogs", "$id": "…"}` or a plain id → the id. */
export function refId(value: unknown): string | null {
  if (value && typeof value === 'object' && '$id' in value) return idOf((value as Json).$id)
  return idOf(value)
}

/** Removes the export's collection prefix (`blog_`, `cat_`…) from a title. */
export function stripPrefix(title: string | null, prefix: string | null): string {
  const value = title ?? ''
  return prefix && value.startsWith(prefix) ? value.slice(prefix.length) : value
}

/** The first of `fields` holding a string, prefix removed. */
export function titleOf(record: Json, prefix: string | null, fields: string[] = ['title', 'name', 'headline']): string {
  for (const field of fields) {
    const value = str(record[field])
    if (value) return stripPrefix(value, prefix)
  }
  return ''
}

export function ownerOf(context: AppContext, record: Json): EntPerson | null {
  return context.person(record.owner ?? record.author, record.ownerName ?? record.authorName)
}

export interface GroupFields {
  collection: string
  title: string
  description?: string | null
  parentId?: string | null
  attachments?: AttachmentRef[]
}

export function group(context: AppContext, record: Json, entId: string, fields: GroupFields): ContentGroup {
  const owner = ownerOf(context, record)
  return {
    type: 'group',
    app: context.app,
    collection: fields.collection,
    entId,
    title: fields.title,
    description: fields.description ?? str(record.description),
    parentId: fields.parentId ?? null,
    owner,
    mine: context.mine(owner?.entId),
    created: parseEntDate(record.created),
    modified: parseEntDate(record.modified),
    attachments: fields.attachments ?? [],
    shares: context.shares(entId, record.shared, record.inheritedShares),
    raw: record
  }
}

export interface RichTextFields {
  collection: string
  title: string
  html?: string | null
  groupId?: string | null
  position?: number | null
  author?: EntPerson | null
  state?: string | null
  shareable?: Json
  attachments: AttachmentRef[]
  messages?: RichText['messages']
  mindmapXml?: string | null
  period?: RichTextPeriod | null
}

export function richText(context: AppContext, record: Json, entId: string, fields: RichTextFields): RichText {
  const author = fields.author !== undefined ? fields.author : ownerOf(context, record)
  const shareable = fields.shareable ?? record
  return {
    type: 'rich-text',
    app: context.app,
    collection: fields.collection,
    entId,
    title: fields.title,
    html: fields.html ?? str(record.content) ?? '',
    prosemirror: record.jsonContent && typeof record.jsonContent === 'object' ? record.jsonContent : null,
    plainText: str(record.contentPlain),
    groupId: fields.groupId ?? null,
    position: fields.position ?? null,
    author,
    mine: context.mine(author?.entId),
    created: parseEntDate(record.created),
    modified: parseEntDate(record.modified),
    state: fields.state ?? null,
    messages: fields.messages ?? [],
    mindmapXml: fields.mindmapXml ?? null,
    attachments: fields.attachments,
    shares: context.shares(entId, shareable.shared, shareable.inheritedShares),
    raw: record,
    ...(fields.period ? { period: fields.period } : {})
  }
}

/** One Mongo collection of an app: how to recognise its files and turn a record into items. */
export interface CollectionSpec {
  collection: string
  /** Prefix of the file name and title (`blog_`), or null for apps that write none. */
  prefix: string | null
  /** Parents first: lower orders are read before higher ones. */
  order: number
  convert(context: AppContext, record: Json, entId: string, file: FolderFile): Promise<EntItem[]>
}

function specForName(specs: CollectionSpec[], name: string): CollectionSpec | undefined {
  return specs.find(s => s.prefix !== null && name.startsWith(s.prefix)) ?? specs.find(s => s.prefix === null)
}

/**
 * The generic Mongo-app walk: every top-level file is one resource (no extension), parents
 * first; `Documents/` holds binaries; anything else is kept raw and reported.
 */
export async function* readMongoApp(context: AppContext, specs: CollectionSpec[]): AsyncIterable<EntItem> {
  const records: Array<{ file: FolderFile; spec: CollectionSpec | undefined }> = []
  for (const file of context.folder.files) {
    if (file.rel.startsWith('Documents/')) continue
    if (file.rel.includes('/')) {
      yield context.rawFile(file, 'unknown-file')
      continue
    }
    records.push({ file, spec: specForName(specs, file.rel) })
  }
  records.sort((a, b) => (a.spec?.order ?? 99) - (b.spec?.order ?? 99))
  for (const { file, spec: byName } of records) {
    const result = await context.readRecord(file)
    if (!result.ok) {
      yield result.raw
      continue
    }
    const record = result.value
    const title = str(record.title) ?? str(record.name) ?? str(record.headline) ?? file.rel
    const spec = specs.find(s => s.prefix !== null && title.startsWith(s.prefix)) ?? byName
    const entId = idOf(record._id)
    if (!spec || !entId) {
      yield unmapped(context, file, record, entId)
      continue
    }
    yield* await spec.convert(context, record, entId, file)
  }
  yield* context.binaries()
}

export function unmapped(context: AppContext, file: FolderFile, record: Json, entId: string | null): RawRecord {
  context.warn('unknown-file', `${context.app}: "${file.file.path}" is not a record this reader maps; it is kept as a raw record.`, file.file.path)
  return { type: 'raw', app: context.app, collection: null, entId, name: file.rel, file: file.file, data: record, reason: 'unmapped', shares: entId ? context.shares(entId, record.shared) : [] }
}

/** Top-level files named `<prefix>…` exist in the folder (sniffing by file names). */
export function hasPrefixedFiles(files: FolderFile[], prefixes: string[]): boolean {
  return files.some(f => !f.rel.includes('/') && prefixes.some(p => f.rel.startsWith(p)))
}

/**
 * The generic SQL-app walk: files named `<schema>.<table>`; `tables` maps known table names to
 * handlers, called in the given order (parents first). Unknown tables are kept raw.
 */
export async function* readSqlApp(
  context: AppContext,
  schema: string,
  tables: Array<{ table: string; read: (rows: AsyncIterable<Json>, file: FolderFile) => AsyncIterable<EntItem> | Promise<void> }>,
  isBinary: (rel: string) => boolean = rel => rel.startsWith('Documents/')
): AsyncIterable<EntItem> {
  const known = new Set(tables.map(t => `${schema}.${t.table}`))
  for (const file of context.folder.files) {
    if (isBinary(file.rel) || known.has(file.rel)) continue
    yield context.rawFile(file, 'unknown-file')
  }
  for (const { table, read } of tables) {
    const file = context.folder.files.find(f => f.rel === `${schema}.${table}`)
    if (!file) continue
    const result = read(context.streamTable(file), file)
    if (result instanceof Promise) await result
    else yield* result
  }
}

/** Keeps rows of a table nobody maps as raw records, one per row. */
export async function* rawRows(context: AppContext, collection: string, rows: AsyncIterable<Json>, file: FolderFile): AsyncIterable<EntItem> {
  for await (const row of rows) {
    yield { type: 'raw', app: context.app, collection, entId: idOf(row.id), name: str(row.title) ?? str(row.name) ?? `${collection} ${idOf(row.id) ?? ''}`.trim(), file: file.file, data: row, reason: 'unmapped', shares: [] }
  }
}
