import { createWriteStream, promises as fs } from 'fs'
import { once } from 'events'
import path from 'path'
import zlib from 'zlib'
import type { Instance } from '../instance/instance'
import { FILES_DOCTYPE, ROOT_DIR_ID, type FileDoc } from '../files/vfs'
import { EXPORTS_DOCTYPE, acceptsDoctype, archivePath, exportErrors, listExports, prepareExportDoc, removeArchive, type ExportDoc, type ExportOptions } from './export-doc'

const VERSIONS_DOCTYPE = 'io.cozy.files.versions'

/** One line of the metadata archive: an entry name under "My Cozy/Data/" and its JSON. */
export interface ArchiveLine {
  name: string
  json: string
}

/**
 * cursor.go splitFiles: ids in byte order, a new part starts (its cursor is
 * "<doctype>/<first id>") when the next file does not fit in what is left of the current
 * one, unless the part is still empty, so a file bigger than parts_size gets a part alone.
 */
export function splitFiles(partsSize: number, remaining: number, sizesById: Map<string, number>, doctype: string): { cursors: string[]; remaining: number } {
  const ids = [...sizesById.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const cursors: string[] = []
  for (const id of ids) {
    const size = sizesById.get(id) ?? 0
    if (size > remaining && remaining !== partsSize) {
      remaining = partsSize
      cursors.push(`${doctype}/${id}`)
    }
    remaining -= size
  }
  return { cursors, remaining }
}

/** export.go writeInstanceDoc: the instance document without its secrets. */
function instanceDocument(instance: Instance): Record<string, unknown> {
  const { secret: _secret, passphraseHash: _hash, apps: _apps, konnectors: _konnectors, extra: _extra, ...rest } = instance.state
  return { domain: instance.domain, ...rest }
}

/**
 * Entry names as export.go writes them: path.Join(doctype, id + ".json"). Ids may hold a
 * slash (io.cozy.apps/<slug>); an id that would climb out of its doctype folder is escaped
 * instead (the stack would let path.Join clean it away).
 */
export function documentEntryName(doctype: string, id: string): string {
  const joined = path.posix.join(doctype, `${id}.json`)
  if (joined.startsWith(`${doctype}/`) && !joined.split('/').includes('..')) return joined
  return `${doctype}/${encodeURIComponent(id)}.json`
}

class ArchiveWriter {
  private readonly gzip = zlib.createGzip({ level: zlib.constants.Z_BEST_COMPRESSION })
  private readonly done: Promise<unknown>
  /** total_size: bytes of the JSON written, not of the files (writeDocuments; cozy-doctypes says "with all the parts") */
  size = 0

  constructor(file: string) {
    const out = createWriteStream(file)
    this.gzip.pipe(out)
    this.done = once(out, 'close')
  }

  async add(name: string, doc: unknown): Promise<void> {
    const json = JSON.stringify(doc)
    this.size += Buffer.byteLength(json)
    const line: ArchiveLine = { name, json }
    if (!this.gzip.write(JSON.stringify(line) + '\n')) await once(this.gzip, 'drain')
  }

  async close(): Promise<void> {
    this.gzip.end()
    await this.done
  }
}

/**
 * export.go exportFiles: the directories are written with the documents (a walk from the
 * root, parents first, trash included); the files are only measured, to cut the parts.
 */
async function exportFiles(instance: Instance, exportDoc: Omit<ExportDoc, '_id'>, out: ArchiveWriter): Promise<string[]> {
  await instance.files.init()
  const all = (await instance.dbs.list(FILES_DOCTYPE)) as FileDoc[]
  const children = new Map<string, FileDoc[]>()
  for (const d of all) {
    if (!d.dir_id || d._id === ROOT_DIR_ID) continue
    const list = children.get(d.dir_id) ?? []
    list.push(d)
    children.set(d.dir_id, list)
  }
  const sizes = new Map<string, number>()
  const root = all.find(d => d._id === ROOT_DIR_ID)
  const stack: FileDoc[] = root ? [root] : []
  while (stack.length) {
    const node = stack.pop() as FileDoc
    if (node.type === 'directory') {
      await out.add(documentEntryName(FILES_DOCTYPE, node._id), node)
      const kids = (children.get(node._id) ?? []).sort((a, b) => b.name.localeCompare(a.name))
      stack.push(...kids)
    } else {
      sizes.set(node._id, Number(node.size ?? 0))
    }
  }
  const partsSize = Number(exportDoc.parts_size) || 0
  const files = splitFiles(partsSize, partsSize, sizes, FILES_DOCTYPE)
  // the stand-in keeps no old versions (file_versioning is false): nothing to add after the files
  const versions = splitFiles(partsSize, files.remaining, new Map(), VERSIONS_DOCTYPE)
  return [...files.cursors, ...versions.cursors]
}

/** export.go exportDocuments: every document of every accepted doctype, in id order. */
async function exportDocuments(instance: Instance, exportDoc: Omit<ExportDoc, '_id'>, out: ArchiveWriter): Promise<void> {
  for (const doctype of await instance.dbs.doctypes()) {
    if (!acceptsDoctype(exportDoc, doctype)) continue
    // files have their own code; exports live in the stack's global database, not the instance's
    if (doctype === FILES_DOCTYPE || doctype === VERSIONS_DOCTYPE || doctype === EXPORTS_DOCTYPE) continue
    for (const doc of await instance.dbs.list(doctype)) await out.add(documentEntryName(doctype, doc._id), doc)
  }
}

/**
 * model/move/export.go CreateExport: refuse while another export is running (less than
 * 24 h old), drop the archives of previous exports, create the io.cozy.exports document
 * (realtime CREATED), write the metadata archive and the parts' cursors, then mark it done
 * or errored (realtime UPDATED).
 */
export async function createExport(instance: Instance, options: ExportOptions, minimalPartsSize: number): Promise<ExportDoc> {
  const usage = (await instance.files.diskUsage()).used
  const prepared = prepareExportDoc(instance.domain, options, usage, minimalPartsSize)
  const previous = await listExports(instance)
  for (const e of previous) {
    if (e.state === 'exporting' && Date.now() - Date.parse(e.created_at) < 24 * 3600 * 1000) throw exportErrors.conflict()
  }
  for (const e of previous) await removeArchive(instance, e._id)

  let doc = (await instance.dbs.create(EXPORTS_DOCTYPE, prepared)) as ExportDoc
  const started = Date.now()
  const file = archivePath(instance, doc._id)
  let failure: Error | null = null
  let size = 0
  let cursors: string[] = []
  try {
    await fs.mkdir(path.dirname(file), { recursive: true })
    const out = new ArchiveWriter(file)
    try {
      await out.add('instance.json', instanceDocument(instance))
      await exportDocuments(instance, doc, out)
      if (acceptsDoctype(doc, FILES_DOCTYPE)) cursors = await exportFiles(instance, doc, out)
    } finally {
      await out.close()
    }
    size = out.size
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err))
  }
  const current = ((await instance.dbs.getOrNull(EXPORTS_DOCTYPE, doc._id)) as ExportDoc | null) ?? doc
  const finished: ExportDoc = { ...current, creation_duration: (Date.now() - started) * 1e6, parts_cursors: cursors }
  if (failure) {
    finished.state = 'error'
    finished.error = failure.message
  } else {
    finished.state = 'done'
    finished.total_size = size
  }
  doc = (await instance.dbs.put(EXPORTS_DOCTYPE, finished)) as ExportDoc
  if (failure) throw failure
  return doc
}
