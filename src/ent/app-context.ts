/**
 * Runs one app reader over its folder: builds the AppContext helpers (capped JSON reading,
 * SQL table streaming, people, shares, attachment resolution, stored binaries) and reads
 * apps without a reader module as raw records.
 */
import type { AppLocation, EntArchive } from './archive'
import { AppContext, AppCounts, AppFolderView, FolderFile, RecordResult } from './apps/reader'
import { ArchiveWarning, WarningCode, errorMessage } from './errors'
import { nestsDeeperThan, MAX_RECORD_DEPTH } from './json-depth'
import { JsonStreamEvent, streamJson } from './json-stream'
import { AttachmentRef, EntItem, EntPerson, RawRecord, StoredBinary } from './models'
import { baseName, documentIdsIn, splitDocumentFileName } from './paths'
import { normaliseShares } from './shares'

const decoder = new TextDecoder()

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}

class Context implements AppContext {
  readonly app: string
  readonly folder: AppFolderView
  readonly userId: string | null
  private readonly referenced = new Set<string>()
  /** Rows of SQL tables that could not be read: each becomes a failed item once the app is read. */
  readonly skippedRows: RawRecord[] = []
  private documentsById: Map<string, FolderFile> | null = null

  constructor(private readonly archive: EntArchive, location: AppLocation, folder: AppFolderView, private readonly onWarning: (w: ArchiveWarning) => void) {
    this.app = location.app
    this.folder = folder
    this.userId = archive.userId
  }

  warn(code: WarningCode, message: string, path?: string): void {
    this.onWarning({ code, message, app: this.app, path })
  }

  rawFile(file: FolderFile, reason: string, data: unknown = null): RawRecord {
    if (reason === 'unknown-file') {
      this.warn('unknown-file', `${this.app}: "${file.file.path}" is not a file this reader expects; it is kept as a raw record.`, file.file.path)
    }
    return { type: 'raw', app: this.app, collection: null, entId: null, name: baseName(file.rel), file: file.file, data, reason, shares: [] }
  }

  async readRecord(file: FolderFile, options: { quiet?: boolean } = {}): Promise<RecordResult> {
    const max = this.archive.limits.maxRecordBytes
    if (options.quiet && (file.file.size > max || file.file.size === 0)) return { ok: false, raw: this.rawFile(file, 'unknown-app') }
    if (file.file.size > max) {
      this.warn('record-too-large', `${this.app}: "${file.file.path}" is ${file.file.size} bytes, above the ${max}-byte limit for one JSON record; it is kept as a raw file, not parsed.`, file.file.path)
      return { ok: false, raw: this.rawFile(file, 'record-too-large') }
    }
    let value: unknown
    try {
      value = JSON.parse(decoder.decode(await this.archive.readFile(file.file, max)))
    } catch (err) {
      if (options.quiet && err instanceof SyntaxError) return { ok: false, raw: this.rawFile(file, 'unknown-app') }
      const code: WarningCode = err instanceof SyntaxError ? 'malformed-json' : 'unreadable-entry'
      this.warn(code, `${this.app}: "${file.file.path}" ${code === 'malformed-json' ? 'is not valid JSON' : 'cannot be read'} (${errorMessage(err)}); it is kept as a raw file.`, file.file.path)
      return { ok: false, raw: this.rawFile(file, code) }
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, raw: this.rawFile(file, 'unmapped', value) }
    }
    if (nestsDeeperThan(value)) {
      this.warn('record-too-deep', `${this.app}: "${file.file.path}" nests deeper than ${MAX_RECORD_DEPTH} levels; it is kept as is, not converted.`, file.file.path)
      return { ok: false, raw: this.rawFile(file, 'record-too-deep') }
    }
    return { ok: true, value: value as Record<string, unknown> }
  }

  /** Items nested too deep to convert come out as malformed: readers then treat them as unreadable. */
  async *streamArray(file: FolderFile): AsyncIterable<JsonStreamEvent> {
    for await (const event of streamJson(this.archive.openFile(file.file), { maxValueBytes: this.archive.limits.maxRecordBytes })) {
      if (event.kind === 'item' && nestsDeeperThan(event.value)) yield { kind: 'malformed', index: event.index, key: null, message: `nested deeper than ${MAX_RECORD_DEPTH} levels` }
      else yield event
    }
  }

  private skipRow(file: FolderFile, row: number | string | null, reason: string): void {
    this.skippedRows.push({ type: 'raw', app: this.app, collection: baseName(file.rel), entId: `${baseName(file.rel)}-row-${row ?? '?'}`, name: `row ${row ?? '?'} of ${file.rel}`, file: null, data: null, reason, shares: [] })
  }

  async *streamTable(file: FolderFile): AsyncIterable<Record<string, unknown>> {
    let fields: string[] | null = null
    for await (const event of streamJson(this.archive.openFile(file.file), { itemsKey: 'results', maxValueBytes: this.archive.limits.maxRecordBytes })) {
      if (event.kind === 'member' && event.key === 'fields' && Array.isArray(event.value)) fields = event.value.map(String)
      else if (event.kind === 'item') {
        if (!fields || !Array.isArray(event.value)) {
          this.warn('malformed-json', `${this.app}: row ${event.index} of "${file.file.path}" comes before the table's fields or is not an array; skipped.`, file.file.path)
          this.skipRow(file, event.index, 'the row comes before the table\'s fields or is not an array')
          continue
        }
        if (nestsDeeperThan(event.value)) {
          this.warn('record-too-deep', `${this.app}: row ${event.index} of "${file.file.path}" nests deeper than ${MAX_RECORD_DEPTH} levels; skipped.`, file.file.path)
          this.skipRow(file, event.index, `the row nests deeper than ${MAX_RECORD_DEPTH} levels`)
          continue
        }
        const row: Record<string, unknown> = {}
        fields.forEach((field, i) => {
          row[field] = (event.value as unknown[])[i]
        })
        yield row
      } else if (event.kind === 'too-large') {
        this.warn('record-too-large', `${this.app}: row ${event.index ?? event.key} of "${file.file.path}" is ${event.bytes} bytes, above the ${this.archive.limits.maxRecordBytes}-byte limit; skipped.`, file.file.path)
        this.skipRow(file, event.index ?? event.key, `the row is ${event.bytes} bytes, above the ${this.archive.limits.maxRecordBytes}-byte limit for one record`)
      } else if (event.kind === 'malformed') {
        this.warn('malformed-json', `${this.app}: row ${event.index ?? event.key} of "${file.file.path}" is not valid JSON (${event.message}); skipped.`, file.file.path)
        this.skipRow(file, event.index ?? event.key, `the row is not valid JSON (${event.message})`)
      }
    }
  }

  person(value: unknown, name?: unknown): EntPerson | null {
    let entId: string | null = null
    let display: string | null = str(name)
    if (typeof value === 'string') entId = str(value)
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>
      entId = str(record.userId) ?? str(record.id)
      display = display ?? str(record.displayName) ?? str(record.username) ?? str(record.name)
    }
    if (!entId) return null
    if (display && !this.archive.names.has(entId)) this.archive.names.set(entId, display)
    return { entId, name: display ?? this.archive.names.get(entId) ?? null }
  }

  mine(ownerId: string | null | undefined): boolean {
    return !this.userId || !ownerId || ownerId === this.userId
  }

  shares(resourceId: string, shared: unknown, inheritedShares?: unknown) {
    return normaliseShares(this.app, resourceId, shared, inheritedShares, this.userId)
  }

  private documents(): Map<string, FolderFile> {
    if (!this.documentsById) {
      this.documentsById = new Map()
      for (const file of this.folder.files) {
        if (!file.rel.startsWith('Documents/')) continue
        const parsed = splitDocumentFileName(baseName(file.rel))
        if (parsed) this.documentsById.set(parsed.documentId, file)
      }
    }
    return this.documentsById
  }

  async attachments(value: unknown, where: string): Promise<AttachmentRef[]> {
    const ids = documentIdsIn(value)
    if (ids.length === 0) return []
    const info = await this.archive.workspaceDocuments()
    return ids.map(documentId => {
      const found = this.documents().get(documentId)
      if (found) this.referenced.add(found.rel)
      else this.warn('missing-binary', `${this.app}: ${where} points to workspace document ${documentId}, which is not in ${this.folder.name}/Documents.`, `${this.folder.name}/Documents`)
      const meta = info.get(documentId)
      const fromName = found ? splitDocumentFileName(baseName(found.rel))?.name ?? null : null
      return { documentId, file: found?.file ?? null, name: meta?.name ?? fromName, contentType: meta?.contentType ?? null }
    })
  }

  documentCopyIds(): Set<string> {
    return this.archive.documentCopyIds()
  }

  rememberWorkspaceDocuments(info: Map<string, { name: string; contentType: string | null }>): void {
    this.archive.rememberWorkspaceDocuments(info)
  }

  reference(documentIdOrRel: string): void {
    const found = this.documents().get(documentIdOrRel.toLowerCase())
    this.referenced.add(found ? found.rel : documentIdOrRel)
  }

  binaries(prefix = 'Documents/'): StoredBinary[] {
    return this.folder.files
      .filter(f => f.rel.startsWith(prefix))
      .map(f => ({
        type: 'binary' as const,
        app: this.app,
        file: f.file,
        documentId: splitDocumentFileName(baseName(f.rel))?.documentId ?? null,
        referenced: this.referenced.has(f.rel)
      }))
  }
}

/** Apps without a reader module: every file is a raw record (JSON parsed when small). */
async function* readRaw(context: Context): AsyncIterable<EntItem> {
  for (const file of context.folder.files) {
    if (file.rel.startsWith('Documents/')) continue
    const result = await context.readRecord(file, { quiet: true })
    if (result.ok) {
      const record = result.value
      yield {
        type: 'raw',
        app: context.app,
        collection: null,
        entId: str(record._id) ?? (typeof record.id === 'number' ? String(record.id) : str(record.id)),
        name: baseName(file.rel),
        file: file.file,
        data: record,
        reason: 'unknown-app',
        shares: typeof record._id === 'string' ? context.shares(record._id, record.shared) : []
      }
    } else yield result.raw
  }
  yield* context.binaries()
}

/** The reader's `summarize` when it has one (counts and warnings only), else null. */
export async function summarizeApp(archive: EntArchive, location: AppLocation, onWarning: (w: ArchiveWarning) => void): Promise<AppCounts | null> {
  const folder = location.folder ? archive.folder(location.folder) : undefined
  const reader = location.known ? archive.reader(location.app) : undefined
  if (!folder || !reader?.summarize) return null
  return reader.summarize(new Context(archive, location, folder, onWarning))
}

export async function* readApp(archive: EntArchive, location: AppLocation, onWarning: (w: ArchiveWarning) => void): AsyncIterable<EntItem> {
  if (!location.folder) return
  const folder = archive.folder(location.folder)
  if (!folder) return
  const context = new Context(archive, location, folder, onWarning)
  const reader = location.known ? archive.reader(location.app) : undefined
  if (!reader) yield* readRaw(context)
  else yield* reader.read(context)
  // Rows no reader could use are items too: each fails with its reason.
  yield* context.skippedRows.splice(0)
}
