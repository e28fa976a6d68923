/**
 * Workspace ("Espace documentaire", format notes §6): the JSON index (an array of `documents`
 * records, each with `localArchivePath`) and the binaries sorted into category folders.
 *
 * Passes over the index keep memory small: the first keeps folders' lines and files' ids
 * (for the tree and repeated ids), a later one replays the exporter's naming rules file by
 * file, in index order, and yields files with their raw record. Binaries are found through `localArchivePath`, then by re-running the exporter's
 * naming (`_<n>` before the first dot on name collisions, forbidden characters replaced).
 *
 * Read from edificeio/entcore WorkspaceRepositoryEvents (the four queries: `isShared` only means
 * "has shares", so the user's own shared documents sit in the shared folder too) and
 * common/folders/FolderExporter (a file's folder path is built from parents found in the same
 * query's rows). Where a record's binary lies (its export category) and where it lands in the
 * Cozy (its category) are therefore two different things: the user's own documents stay in
 * their own tree, "shared with me" is what someone else owns.
 */
import { roleTable } from '../shares'
import { parseEntDate } from '../dates'
import { DocumentCategory, DocumentNode, EntItem, ShareRole } from '../models'
import { foldName, replaceForbiddenCharacters } from '../paths'
import { sharesBeyondParent } from '../shares'
import { idOf, Json, num, str } from './common'
import { AppContext, AppCounts, AppReader, FolderFile, ShareRoleTable } from './reader'
import type { JsonStreamEvent } from '../json-stream'
import { workspaceIndexFile } from './workspace-index'
import { StringCounts } from '../string-counts'

const CATEGORY_NAMES: Record<Exclude<DocumentCategory, 'rack'>, string[]> = {
  personal: ['Documents personnels', 'My documents'],
  shared: ['Documents partages', 'Documents shared with me'],
  'app-documents': ['Documents ajoutes dans les applis', 'Files added in my apps'],
  trash: ['Corbeille', 'Trash']
}

/** The exporter's query a record falls in (which category folder holds its binary). */
export function categoryOf(record: Json, userId: string | null): DocumentCategory {
  if (record.deleted === true && (!userId || !record.trasher || record.trasher === userId)) return 'trash'
  if (record.deleted === true) return 'trash'
  if (record.protected === true) return 'app-documents'
  if (record.isShared === true) return 'shared'
  return 'personal'
}

/**
 * Where a record lands in the Cozy: the user's own documents in their own tree even when they
 * have shares, someone else's documents under "shared with me". Without the exporting user's
 * id (a renamed top folder), the export category stands.
 */
export function landingCategoryOf(record: Json, exportCategory: DocumentCategory, userId: string | null): DocumentCategory {
  if (!userId || (exportCategory !== 'shared' && exportCategory !== 'personal')) return exportCategory
  const owner = str(record.owner)
  if (!owner) return exportCategory
  return owner === userId ? 'personal' : 'shared'
}

/** `cleanName` of the exporter: path separators become `_`, then trimmed. */
export function cleanName(name: string): string {
  return name.replace(/[/\\]/g, '_').trim()
}

/** The exporter's de-duplication: the n-th repeat of a name gets `_<n>` before its first dot. */
export function deduplicatedName(name: string, repeat: number): string {
  if (repeat === 0) return name
  const dot = name.indexOf('.')
  return dot >= 0 ? `${name.slice(0, dot)}_${repeat}${name.slice(dot)}` : `${name}_${repeat}`
}

interface Line {
  id: string
  folder: boolean
  name: string
  parent: string | null
  /** The category folder of the archive that holds the binary. */
  exportCategory: DocumentCategory
  /** Where it lands in the Cozy. */
  category: DocumentCategory
  localArchivePath: string | null
  /** Share grants of the record (counted after the first pass, once parents are known). */
  shareCount: number
  /** The record's share arrays, kept until the count is made (only when it has some). */
  shareLists?: { shared: unknown; inheritedShares: unknown }
}

function lineOf(record: Json, userId: string | null): Line | null {
  const id = idOf(record._id)
  if (!id) return null
  const exportCategory = categoryOf(record, userId)
  return {
    id,
    folder: record.eType === 'folder',
    name: str(record.name) ?? 'undefined',
    parent: str(record.eParent),
    exportCategory,
    category: landingCategoryOf(record, exportCategory, userId),
    localArchivePath: str(record.localArchivePath),
    shareCount: 0
  }
}

interface Analysis {
  index: FolderFile
  folders: Map<string, Json>
  /** The folders' lines (files' lines are made again from their records, in later passes). */
  lineById: Map<string, Line>
  parentOf: (line: Line) => string | null
  byRel: Map<string, FolderFile>
  used: Set<string>
  /** Index records that are not documents (unreadable, no id, an id seen before), by position: each is an item that fails. */
  rejected: Map<number, string>
  /** Documents (folders and files) accepted from the index. */
  accepted: number
  /** A file's binary, by the exporter's naming: call once per file, in index order. */
  binaryOf: (line: Line) => FolderFile | undefined
}

/** Top-level files other than the index and skipDocs: kept raw (and reported). */
function strayTopFiles(view: AppContext['folder'], index: FolderFile | undefined): FolderFile[] {
  return view.files.filter(file => !file.rel.includes('/') && file !== index && file.rel !== 'skipDocs')
}

/** An index event as a document's record and line, or why it is rejected. */
function recordLine(context: AppContext, path: string, event: JsonStreamEvent): { record: Json; line: Line } | string | null {
  if (event.kind === 'too-large' || event.kind === 'malformed') {
    const problem = event.kind === 'too-large' ? `${event.bytes} bytes, above the limit` : `not valid JSON (${event.message})`
    context.warn(event.kind === 'too-large' ? 'record-too-large' : 'malformed-json', `workspace: index record ${event.index} is ${problem}; skipped.`, path)
    return `the index record is ${problem}`
  }
  if (event.kind !== 'item') return null
  const record = event.value && typeof event.value === 'object' && !Array.isArray(event.value) ? (event.value as Json) : null
  const line = record ? lineOf(record, context.userId) : null
  if (!record || !line) {
    context.warn('malformed-json', `workspace: index record ${event.index} has no _id; skipped.`, path)
    return 'the index record is not a document (no _id)'
  }
  return { record, line }
}

/**
 * Pass 1 over the index: the tree (folders' lines), which records are rejected, owners'
 * names, the category folders. Files are only counted and their ids kept (a repeated id is
 * rejected): their lines are made again from their records in the pass that needs them, so a
 * million files cost a set of ids, not a million lines. Of folders' records only the
 * inherited shares are kept (a child's own shares are those beyond its folder's).
 */
async function analyse(context: AppContext, index: FolderFile): Promise<Analysis> {
  const view = context.folder
  const byRel = new Map<string, FolderFile>()
  for (const file of view.files) if (file.rel.includes('/')) byRel.set(file.rel, file)
  const lineById = new Map<string, Line>()
  // Every document's id, for repeated ids: exact, in about half the memory of a Set of strings.
  const ids = new StringCounts()
  const folders = new Map<string, Json>()
  const rejected = new Map<number, string>()
  // Names only for documents some app copied into its Documents/ folder.
  const copied = context.documentCopyIds()
  const documentInfo = new Map<string, { name: string; contentType: string | null }>()
  const categoryFolder = new Map<DocumentCategory, string>()
  for await (const event of context.streamArray(index)) {
    const found = recordLine(context, index.file.path, event)
    if (typeof found === 'string') {
      if (event.kind !== 'member' && event.index !== null) rejected.set(event.index, found)
      continue
    }
    if (!found || event.kind !== 'item') continue
    const { record, line } = found
    if (ids.has(line.id)) {
      context.warn('malformed-json', `workspace: index record ${event.index} repeats the id ${line.id}; only the first is imported.`, index.file.path)
      rejected.set(event.index, `the index record repeats the id ${line.id} of an earlier one`)
      continue
    }
    ids.add(line.id)
    context.person(record.owner, record.ownerName)
    if (line.folder) {
      lineById.set(line.id, line)
      folders.set(line.id, { inheritedShares: record.inheritedShares })
      if (hasShares(record)) line.shareLists = { shared: record.shared, inheritedShares: record.inheritedShares }
    }
    const metadata = record.metadata as Json | undefined
    if (copied.has(line.id.toLowerCase())) documentInfo.set(line.id.toLowerCase(), { name: line.name, contentType: metadata ? str(metadata['content-type']) : null })
    if (line.localArchivePath && line.localArchivePath.includes('/') && !categoryFolder.has(line.exportCategory)) {
      categoryFolder.set(line.exportCategory, line.localArchivePath.slice(0, line.localArchivePath.indexOf('/')))
    }
  }
  context.rememberWorkspaceDocuments(documentInfo)
  for (const line of lineById.values()) {
    // The parent id as the parent's own string: one copy per folder, not one per child.
    if (line.parent) line.parent = lineById.get(line.parent)?.id ?? line.parent
    if (!line.shareLists) continue
    line.shareCount = ownShares(context, line, line.shareLists.shared, line.shareLists.inheritedShares, folders).length
    // Not `delete`: that would turn the line into a slow, larger dictionary object.
    line.shareLists = undefined
  }
  defaultCategoryFolders(view, categoryFolder)
  // The Cozy tree nests a node under its parent when both land in the same place; the
  // exporter only found parents among the rows of the same query.
  const parentIn = (key: 'category' | 'exportCategory') => (line: Line): string | null => {
    const parent = line.parent ? lineById.get(line.parent) : undefined
    return parent && parent.folder && parent[key] === line[key] ? parent.id : null
  }
  const used = new Set<string>()
  const skipDocs = view.files.some(f => f.rel === 'skipDocs')
  const binaryOf = binaryMatcher(context, { byRel, used, skipDocs, categoryFolder, lineById, exportParentOf: parentIn('exportCategory') })
  return { index, folders, lineById, parentOf: parentIn('category'), byRel, used, rejected, accepted: ids.size, binaryOf }
}

function hasShares(record: Json): boolean {
  return (Array.isArray(record.shared) && record.shared.length > 0) || (Array.isArray(record.inheritedShares) && record.inheritedShares.length > 0)
}

function defaultCategoryFolders(view: AppContext['folder'], categoryFolder: Map<DocumentCategory, string>): void {
  const topDirs = new Set([...view.directories].filter(d => !d.includes('/')))
  for (const [category, names] of Object.entries(CATEGORY_NAMES) as Array<[DocumentCategory, string[]]>) {
    if (categoryFolder.has(category)) continue
    const present = [...topDirs].find(d => names.some(n => foldName(n) === foldName(d)))
    categoryFolder.set(category, present ?? names[0])
  }
}

interface MatcherState {
  byRel: Map<string, FolderFile>
  used: Set<string>
  skipDocs: boolean
  categoryFolder: Map<DocumentCategory, string>
  lineById: Map<string, Line>
  exportParentOf: (line: Line) => string | null
}

/**
 * Each file's binary: localArchivePath first, then the exporter's own naming, which is
 * replayed per target directory in index order (hence one call per file, in that order).
 */
function binaryMatcher(context: AppContext, state: MatcherState): (line: Line) => FolderFile | undefined {
  const { byRel, used, lineById, exportParentOf } = state
  // Names met per directory, keyed `<directory number>/<name>`: one compact table for every
  // file name of the index rather than a Map per directory.
  const directories = new Map<string, number>()
  const seen = new StringCounts()
  return line => {
    const parts: string[] = []
    for (let at = exportParentOf(line), guard = 0; at && guard < 256; at = exportParentOf(lineById.get(at) as Line), guard++) {
      parts.unshift(cleanName((lineById.get(at) as Line).name))
    }
    const directory = [state.categoryFolder.get(line.exportCategory) as string, ...parts].join('/')
    let directoryNumber = directories.get(directory)
    if (directoryNumber === undefined) directories.set(directory, (directoryNumber = directories.size))
    const name = cleanName(line.name)
    const repeat = seen.add(`${directoryNumber}/${name}`)
    const computed = `${directory}/${replaceForbiddenCharacters(deduplicatedName(name, repeat))}`
    const lap = line.localArchivePath
    const direct = lap ? byRel.get(lap) ?? byRel.get(lap.normalize('NFC')) : undefined
    let file: FolderFile | undefined
    if (direct && !used.has(direct.rel)) file = direct
    else if (computed !== lap) {
      const byNaming = byRel.get(computed) ?? byRel.get(computed.normalize('NFC'))
      if (byNaming && !used.has(byNaming.rel)) {
        file = byNaming
        context.warn('name-mismatch', `workspace: "${line.name}" is stored as "${byNaming.rel}", not at its localArchivePath "${lap ?? ''}" (exporter renaming).`, byNaming.file.path)
      }
    }
    if (file) used.add(file.rel)
    else if (!state.skipDocs) context.warn('missing-binary', `workspace: the file of "${line.name}" (${line.id}) is not in the archive.`, lap ?? undefined)
    return file
  }
}

/** The files of the index after pass 1, in index order, each with its binary (the naming replayed). */
async function* indexFiles(context: AppContext, analysis: Analysis): AsyncIterable<{ record: Json; line: Line; file: FolderFile | undefined } | { position: number; reason: string }> {
  for await (const event of context.streamArray(analysis.index)) {
    const position = event.kind === 'item' || event.kind === 'too-large' || event.kind === 'malformed' ? event.index : null
    const reason = position === null ? undefined : analysis.rejected.get(position)
    if (position !== null && reason !== undefined) {
      yield { position, reason }
      continue
    }
    if (event.kind !== 'item' || !event.value || typeof event.value !== 'object' || Array.isArray(event.value)) continue
    const record = event.value as Json
    const line = lineOf(record, context.userId)
    if (!line || line.folder) continue
    yield { record, line, file: analysis.binaryOf(line) }
  }
}

async function* readWorkspace(context: AppContext): AsyncIterable<EntItem> {
  const index = workspaceIndexFile(context.folder)
  for (const file of strayTopFiles(context.folder, index)) yield context.rawFile(file, 'unknown-file')
  if (!index) {
    yield* filesWithoutIndex(context)
    return
  }
  const analysis = await analyse(context, index)
  const { folders, lineById, parentOf, byRel, used, rejected } = analysis

  yield* foldersParentsFirst(context, index, lineById, parentOf, rejected, folders)

  // Files with their full records and binaries, and the records that are no document.
  for await (const found of indexFiles(context, analysis)) {
    if ('reason' in found) {
      const { position, reason } = found
      yield { type: 'raw', app: context.app, collection: 'documents', entId: `index-record-${position}`, name: `index record ${position}`, file: null, data: null, reason, shares: [] }
    } else yield node(context, found.record, found.line, parentOf(found.line), found.file ?? null, folders)
  }
  yield* orphans(context, byRel, used)
}

/**
 * Folders, parents first, however deep or disordered the tree, streamed from the index (a
 * pass of its own, so that no folder record is held longer than needed): a folder is emitted
 * once its parent is, or when it has none; one whose parent comes later in the index waits,
 * its record kept, and follows its parent. What still waits at the end hangs off a loop in
 * the parents: each chain of ancestors is collected going up and emitted going down, the
 * folder met twice as if it had no parent.
 */
async function* foldersParentsFirst(
  context: AppContext,
  index: FolderFile,
  lineById: Map<string, Line>,
  parentOf: (line: Line) => string | null,
  rejected: Map<number, string>,
  folders: Map<string, Json>
): AsyncIterable<EntItem> {
  const emitted = new Set<string>()
  const waiting = new Map<string, Json>()
  const waitingFor = new Map<string, string[]>()
  const emit = (id: string, record: Json): DocumentNode => {
    const line = lineById.get(id) as Line
    const parent = parentOf(line)
    const parentId = parent && emitted.has(parent) ? parent : null
    emitted.add(id)
    return node(context, record, line, parentId, null, folders)
  }
  for await (const event of context.streamArray(index)) {
    if (event.kind !== 'item' || rejected.has(event.index) || !event.value || typeof event.value !== 'object') continue
    const record = event.value as Json
    const id = idOf(record._id)
    const line = id ? lineById.get(id) : undefined
    if (!line || !line.folder || emitted.has(line.id) || waiting.has(line.id)) continue
    const parent = parentOf(line)
    if (parent && !emitted.has(parent)) {
      waiting.set(line.id, record)
      waitingFor.set(parent, [...(waitingFor.get(parent) ?? []), line.id])
      continue
    }
    yield emit(line.id, record)
    // Then whatever waited for it, and for those, without recursion.
    const ready = [line.id]
    while (ready.length > 0) {
      const done = ready.pop() as string
      for (const child of waitingFor.get(done) ?? []) {
        const childRecord = waiting.get(child)
        if (!childRecord) continue
        waiting.delete(child)
        yield emit(child, childRecord)
        ready.push(child)
      }
      waitingFor.delete(done)
    }
  }
  for (const start of [...waiting.keys()]) {
    const chain: string[] = []
    const onChain = new Set<string>()
    for (let id: string | null = start; id && waiting.has(id) && !onChain.has(id); id = parentOf(lineById.get(id) as Line)) {
      chain.push(id)
      onChain.add(id)
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const record = waiting.get(chain[i]) as Json
      waiting.delete(chain[i])
      yield emit(chain[i], record)
    }
  }
}

/** Counting without the second pass: what describeArchive needs, with the same warnings. */
async function summarizeWorkspace(context: AppContext): Promise<AppCounts> {
  const index = workspaceIndexFile(context.folder)
  let resources = 0
  for (const file of strayTopFiles(context.folder, index)) {
    context.rawFile(file, 'unknown-file')
    resources++
  }
  if (!index) {
    let stored = 0
    for await (const item of filesWithoutIndex(context)) if (item) stored++
    return { items: resources + stored, resources, shares: 0 }
  }
  const analysis = await analyse(context, index)
  let shares = 0
  for (const line of analysis.lineById.values()) shares += line.shareCount
  // A second reading for the files: their binaries (and warnings) and their own shares.
  for await (const found of indexFiles(context, analysis)) {
    if ('line' in found && hasShares(found.record)) shares += ownShares(context, found.line, found.record.shared, found.record.inheritedShares, analysis.folders).length
  }
  let stored = 0
  for (const item of orphans(context, analysis.byRel, analysis.used)) if (item) stored++
  resources += analysis.accepted + analysis.rejected.size
  return { items: resources + stored, resources, shares }
}

/** The grants a node holds itself: those its parent folder (when exported) already has are the folder's. */
function ownShares(context: AppContext, line: Line, shared: unknown, inheritedShares: unknown, folders: Map<string, Json>) {
  const parent = line.parent ? folders.get(line.parent) : undefined
  if (!parent) return context.shares(line.id, shared, inheritedShares)
  const own = sharesBeyondParent(shared, inheritedShares, parent.inheritedShares)
  return context.shares(line.id, own.shared, own.inheritedShares)
}

function node(context: AppContext, record: Json, line: Line, parentId: string | null, file: FolderFile | null, folders: Map<string, Json>): DocumentNode {
  const owner = context.person(record.owner, record.ownerName)
  const metadata = (record.metadata && typeof record.metadata === 'object' ? record.metadata : {}) as Json
  return {
    type: line.folder ? 'folder' : 'file',
    app: context.app,
    entId: line.id,
    name: line.name,
    parentId,
    category: line.category,
    owner,
    mine: context.mine(owner?.entId),
    created: parseEntDate(record.created),
    modified: parseEntDate(record.modified),
    file: file?.file ?? null,
    size: line.folder ? null : num(metadata.size) ?? file?.file.size ?? null,
    contentType: str(metadata['content-type']),
    shares: ownShares(context, line, record.shared, record.inheritedShares, folders),
    raw: record
  }
}

function* orphans(context: AppContext, byRel: Map<string, FolderFile>, used: Set<string>): Generator<EntItem> {
  for (const file of byRel.values()) {
    if (used.has(file.rel)) continue
    context.warn('unknown-file', `workspace: "${file.rel}" has no record in the index; it is kept as a stored file.`, file.file.path)
    yield { type: 'binary', app: context.app, file: file.file, documentId: null, referenced: false }
  }
}

/** No index (damaged export): the files are listed from the folders, without metadata. */
async function* filesWithoutIndex(context: AppContext): AsyncIterable<EntItem> {
  const view = context.folder
  context.warn('missing-binary', `workspace: the index file "${view.name}/${view.name}" is missing; files are listed from the folders only, without metadata.`, view.name)
  const byRel = new Map<string, FolderFile>()
  for (const file of view.files) if (file.rel.includes('/')) byRel.set(file.rel, file)
  yield* orphans(context, byRel, new Set())
}

/** Share actions of the workspace (entcore workspace controllers). */
const SHARE_ROLES: ShareRoleTable = (() => {
  const base: Array<[ShareRole, string[]]> = [
    ['read', ['getDocument', 'copyDocument', 'copyDocuments', 'copyFolder', 'getPreview', 'getDocumentProperties', 'getRevision', 'listRevisions', 'getDocumentBase64']],
    ['contrib', ['updateDocument']],
    ['manager', ['deleteDocument', 'deleteFolder', 'bulkDelete', 'deleteComment', 'deleteRevision', 'getParentInfos', 'moveDocument', 'moveDocuments', 'moveFolder', 'moveTrash', 'moveTrashFolder', 'transferDocuments', 'renameDocument', 'renameFolder', 'restoreFolder', 'restoreTrash', 'shareJson', 'shareResource', 'shareJsonSubmit', 'removeShare']],
    ['comment', ['commentDocument', 'commentFolder']]
  ]
  // Data from before the 3.3.0 migration names the service class instead of the controller.
  return roleTable(base.flatMap(([role, methods]) => [[role, 'WorkspaceController', methods], [role, 'WorkspaceService', methods]] as Array<[ShareRole, string, string[]]>))
})()

/** Name and content type of the documents some app copied into its Documents/ folder, from the index. */
async function documentNames(context: AppContext): Promise<Map<string, { name: string; contentType: string | null }>> {
  const info = new Map<string, { name: string; contentType: string | null }>()
  const index = workspaceIndexFile(context.folder)
  if (!index) return info
  const copied = context.documentCopyIds()
  for await (const event of context.streamArray(index)) {
    if (event.kind !== 'item' || !event.value || typeof event.value !== 'object') continue
    const record = event.value as Json
    if (typeof record._id !== 'string' || typeof record.name !== 'string') continue
    const metadata = record.metadata as Json | undefined
    const contentType = metadata && typeof metadata['content-type'] === 'string' ? metadata['content-type'] : null
    if (copied.has(record._id.toLowerCase())) info.set(record._id.toLowerCase(), { name: record.name, contentType })
  }
  return info
}

export const workspaceReader: AppReader = {
  app: 'workspace',
  labelKey: 'workspace',
  cozyFolder: 'Espace documentaire',
  shareRoles: SHARE_ROLES,
  importRank: 0,
  provides: ['workspace-documents'],
  folderNames: ['Espace documentaire', 'Workspace'],
  sniff(folder) {
    if (folder.files.some(f => f.rel === folder.name || f.rel === 'skipDocs')) return true
    const dirs = [...folder.directories].filter(d => !d.includes('/')).map(foldName)
    return Object.values(CATEGORY_NAMES).flat().some(n => dirs.includes(foldName(n)))
  },
  isBinary: rel => rel.includes('/'),
  read: readWorkspace,
  summarize: summarizeWorkspace,
  documentNames
}
