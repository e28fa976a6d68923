/**
 * Workspace ("Espace documentaire", format notes §6): the JSON index (an array of `documents`
 * records, each with `localArchivePath`) and the binaries sorted into category folders.
 *
 * Two passes over the index keep memory small: the first keeps folders and a compact line per
 * file (for the tree and the exporter's naming rules), the second yields files with their raw
 * record. Binaries are found through `localArchivePath`, then by re-running the exporter's
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
import { workspaceIndexFile } from './workspace-index'
import { IdSet } from '../id-set'

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
  /** The binary found for a file record. */
  file?: FolderFile
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
    localArchivePath: str(record.localArchivePath)
  }
}

/**
 * What the two readings of the index need from the first: every folder (with its record, for
 * the tree and its shares), the binary found for each file record by its position in the index,
 * and the positions that are no document. No line per file is kept (a million of them took
 * 700 MB): what a file needs is read again from its record.
 */
interface Analysis {
  index: FolderFile
  /** Documents accepted (first record of each id). */
  documents: number
  folders: Map<string, Json>
  folderLines: Map<string, Line>
  parentOf: (line: Line) => string | null
  byRel: Map<string, FolderFile>
  used: Set<string>
  /** Index position of a file record → its binary. */
  binaries: Map<number, FolderFile>
  /** Share grants of all documents (counted only when asked). */
  shares: number
  /** Index records that are not documents (unreadable, no id, an id seen before), by position: each is an item that fails. */
  rejected: Map<number, string>
}

/** Top-level files other than the index and skipDocs: kept raw (and reported). */
function strayTopFiles(view: AppContext['folder'], index: FolderFile | undefined): FolderFile[] {
  return view.files.filter(file => !file.rel.includes('/') && file !== index && file.rel !== 'skipDocs')
}

/** The accepted document records of the index, with their positions, in index order. */
async function* documentsOf(context: AppContext, index: FolderFile, rejected: Map<number, string>): AsyncIterable<{ position: number; record: Json; line: Line }> {
  for await (const event of context.streamArray(index)) {
    if (event.kind !== 'item' || rejected.has(event.index)) continue
    const record = event.value as Json
    const line = lineOf(record, context.userId) as Line
    yield { position: event.index, record, line }
  }
}

/**
 * Pass 1 over the index: the folders, which records are no document, the category folders,
 * owners' names and the names of documents other apps copied.
 */
async function firstPass(context: AppContext, index: FolderFile) {
  const ids = new IdSet()
  const folderLines = new Map<string, Line>()
  const folders = new Map<string, Json>()
  const rejected = new Map<number, string>()
  // Names only for documents some app copied into its Documents/ folder.
  const copied = context.documentCopyIds()
  const documentInfo = new Map<string, { name: string; contentType: string | null }>()
  const categoryFolder = new Map<DocumentCategory, string>()
  let documents = 0
  for await (const event of context.streamArray(index)) {
    if (event.kind === 'too-large' || event.kind === 'malformed') {
      const problem = event.kind === 'too-large' ? `${event.bytes} bytes, above the limit` : `not valid JSON (${event.message})`
      context.warn(event.kind === 'too-large' ? 'record-too-large' : 'malformed-json', `workspace: index record ${event.index} is ${problem}; skipped.`, index.file.path)
      if (event.index !== null) rejected.set(event.index, `the index record is ${problem}`)
      continue
    }
    if (event.kind !== 'item') continue
    const record = event.value && typeof event.value === 'object' && !Array.isArray(event.value) ? (event.value as Json) : null
    const line = record ? lineOf(record, context.userId) : null
    if (!record || !line) {
      context.warn('malformed-json', `workspace: index record ${event.index} has no _id; skipped.`, index.file.path)
      rejected.set(event.index, 'the index record is not a document (no _id)')
      continue
    }
    if (!ids.add(line.id)) {
      context.warn('malformed-json', `workspace: index record ${event.index} repeats the id ${line.id}; only the first is imported.`, index.file.path)
      rejected.set(event.index, `the index record repeats the id ${line.id} of an earlier one`)
      continue
    }
    documents++
    context.person(record.owner, record.ownerName)
    if (line.folder) {
      folderLines.set(line.id, line)
      folders.set(line.id, record)
    }
    const metadata = record.metadata as Json | undefined
    if (copied.has(line.id.toLowerCase())) documentInfo.set(line.id.toLowerCase(), { name: line.name, contentType: metadata ? str(metadata['content-type']) : null })
    if (line.localArchivePath && line.localArchivePath.includes('/') && !categoryFolder.has(line.exportCategory)) {
      categoryFolder.set(line.exportCategory, line.localArchivePath.slice(0, line.localArchivePath.indexOf('/')))
    }
  }
  context.rememberWorkspaceDocuments(documentInfo)
  return { documents, folderLines, folders, rejected, categoryFolder }
}

/**
 * Pass 1, then a second reading of the index for everything that needs all folders known: the
 * exporter's naming, each file's binary (with its warnings), share counts (for summaries).
 */
async function analyse(context: AppContext, index: FolderFile, countShares = false): Promise<Analysis> {
  const view = context.folder
  const skipDocs = view.files.some(f => f.rel === 'skipDocs')
  const byRel = new Map<string, FolderFile>()
  for (const file of view.files) if (file.rel.includes('/')) byRel.set(file.rel, file)
  const used = new Set<string>()
  const { documents, folderLines, folders, rejected, categoryFolder } = await firstPass(context, index)
  const topDirs = new Set([...view.directories].filter(d => !d.includes('/')))
  for (const [category, names] of Object.entries(CATEGORY_NAMES) as Array<[DocumentCategory, string[]]>) {
    if (categoryFolder.has(category)) continue
    const present = [...topDirs].find(d => names.some(n => foldName(n) === foldName(d)))
    categoryFolder.set(category, present ?? names[0])
  }
  // The Cozy tree nests a node under its parent when both land in the same place; the
  // exporter only found parents among the rows of the same query.
  const parentIn = (key: 'category' | 'exportCategory') => (line: Line): string | null => {
    const parent = line.parent ? folderLines.get(line.parent) : undefined
    return parent && parent.folder && parent[key] === line[key] ? parent.id : null
  }
  const parentOf = parentIn('category')
  const exportParentOf = parentIn('exportCategory')

  // Each file's binary: localArchivePath first, then the exporter's own naming, which is
  // replayed per target directory in index order.
  const binaries = new Map<number, FolderFile>()
  const seenInDirectory = new Map<string, Map<string, number>>()
  let shares = 0
  for await (const { position, record, line } of documentsOf(context, index, rejected)) {
    if (countShares && ((Array.isArray(record.shared) && record.shared.length > 0) || (Array.isArray(record.inheritedShares) && record.inheritedShares.length > 0))) {
      shares += ownShares(context, line, record.shared, record.inheritedShares, folders).length
    }
    if (line.folder) continue
    const parts: string[] = []
    for (let at = exportParentOf(line), guard = 0; at && guard < 256; at = exportParentOf(folderLines.get(at) as Line), guard++) {
      parts.unshift(cleanName((folderLines.get(at) as Line).name))
    }
    const directory = [categoryFolder.get(line.exportCategory) as string, ...parts].join('/')
    const counts = seenInDirectory.get(directory) ?? new Map<string, number>()
    seenInDirectory.set(directory, counts)
    const name = cleanName(line.name)
    const repeat = counts.get(name) ?? 0
    counts.set(name, repeat + 1)
    const computed = `${directory}/${replaceForbiddenCharacters(deduplicatedName(name, repeat))}`
    const lap = line.localArchivePath
    const direct = lap ? byRel.get(lap) ?? byRel.get(lap.normalize('NFC')) : undefined
    if (direct && !used.has(direct.rel)) line.file = direct
    else if (computed !== lap) {
      const byNaming = byRel.get(computed) ?? byRel.get(computed.normalize('NFC'))
      if (byNaming && !used.has(byNaming.rel)) {
        line.file = byNaming
        context.warn('name-mismatch', `workspace: "${line.name}" is stored as "${byNaming.rel}", not at its localArchivePath "${lap ?? ''}" (exporter renaming).`, byNaming.file.path)
      }
    }
    if (line.file) {
      used.add(line.file.rel)
      binaries.set(position, line.file)
    } else if (!skipDocs) context.warn('missing-binary', `workspace: the file of "${line.name}" (${line.id}) is not in the archive.`, lap ?? undefined)
  }
  return { index, documents, folders, folderLines, parentOf, byRel, used, binaries, shares, rejected }
}

async function* readWorkspace(context: AppContext): AsyncIterable<EntItem> {
  const index = workspaceIndexFile(context.folder)
  for (const file of strayTopFiles(context.folder, index)) yield context.rawFile(file, 'unknown-file')
  if (!index) {
    yield* filesWithoutIndex(context)
    return
  }
  const { folders, folderLines, parentOf, byRel, used, binaries, rejected } = await analyse(context, index)

  // Folders, parents first, however deep the tree: each folder's chain of ancestors not yet
  // emitted is collected going up, then emitted going down. A loop in the parents stops at
  // the folder met twice, which is then emitted as if it had no parent.
  const emitted = new Set<string>()
  for (const start of folders.keys()) {
    const chain: string[] = []
    const onChain = new Set<string>()
    for (let id: string | null = start; id && !emitted.has(id) && !onChain.has(id) && folders.has(id); id = parentOf(folderLines.get(id) as Line)) {
      chain.push(id)
      onChain.add(id)
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const id = chain[i]
      const line = folderLines.get(id) as Line
      const parent = parentOf(line)
      emitted.add(id)
      yield node(context, folders.get(id) as Json, line, parent && emitted.has(parent) ? parent : null, null, folders)
    }
  }

  // Pass 2: files with their full records, and the records that are no document.
  for await (const event of context.streamArray(index)) {
    const position = event.kind === 'item' || event.kind === 'too-large' || event.kind === 'malformed' ? event.index : null
    const reason = position === null ? undefined : rejected.get(position)
    if (reason !== undefined) {
      yield { type: 'raw', app: context.app, collection: 'documents', entId: `index-record-${position}`, name: `index record ${position}`, file: null, data: null, reason, shares: [] }
      continue
    }
    if (event.kind !== 'item' || !event.value || typeof event.value !== 'object') continue
    const record = event.value as Json
    const line = lineOf(record, context.userId)
    if (!line || line.folder) continue
    const file = binaries.get(event.index) ?? null
    yield node(context, record, line, parentOf(line), file, folders)
  }
  yield* orphans(context, byRel, used)
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
  const { documents, byRel, used, shares, rejected } = await analyse(context, index, true)
  let stored = 0
  for (const item of orphans(context, byRel, used)) if (item) stored++
  resources += documents + rejected.size
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
