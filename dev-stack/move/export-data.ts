import { createReadStream, promises as fs } from 'fs'
import readline from 'readline'
import zlib from 'zlib'
import type { Instance } from '../instance/instance'
import { FILES_DOCTYPE, type FileDoc } from '../files/vfs'
import { acceptsDoctype, archivePath, exportErrors, type ExportDoc } from './export-doc'
import type { ArchiveLine } from './export-builder'
import { ZipStreamWriter } from './zip-writer'

/** export.go: ExportDataDir and ExportFilesDir. */
export const EXPORT_DATA_DIR = 'My Cozy/Data'
export const EXPORT_FILES_DIR = 'My Cozy/Files'

/** cursor.go Cursor: part number, doctype and first id of the part. */
export interface Cursor {
  number: number
  doctype: string
  id: string
}

/** cursor.go ParseCursor: no cursor is part 0; any other value must be one of the export's cursors. */
export function parseCursor(doc: Pick<ExportDoc, 'parts_cursors'>, value: string | undefined): Cursor {
  if (!value) return { number: 0, doctype: FILES_DOCTYPE, id: '' }
  const index = doc.parts_cursors.indexOf(value)
  if (index < 0) throw exportErrors.invalidCursor()
  return splitCursor(index + 1, value)
}

function splitCursor(number: number, value: string): Cursor {
  const slash = value.indexOf('/')
  if (slash < 0) throw exportErrors.invalidCursor()
  return { number, doctype: value.slice(0, slash), id: value.slice(slash + 1) }
}

/** web/move/move.go exportDataHandler: "My Cozy.zip" for a single part, else "My Cozy - partNNN.zip". */
export function partFileName(doc: Pick<ExportDoc, 'parts_cursors'>, cursor: Cursor): string {
  return doc.parts_cursors.length > 0 ? `My Cozy - part${String(cursor.number).padStart(3, '0')}.zip` : 'My Cozy.zip'
}

/** cursor.go listFilesFromCursor: the files (not directories) from this cursor's id up to the next cursor's. */
async function filesOfPart(instance: Instance, doc: ExportDoc, start: Cursor): Promise<FileDoc[]> {
  if (start.doctype !== FILES_DOCTYPE) return []
  let endId: string | null = null
  if (start.number < doc.parts_cursors.length) {
    const end = splitCursor(start.number + 1, doc.parts_cursors[start.number])
    if (end.doctype === FILES_DOCTYPE) endId = end.id
  }
  // no end cursor: up to the highest id (couchdb.MaxString)
  const options: PouchDB.Core.AllDocsWithinRangeOptions = { include_docs: true, startkey: start.id, endkey: endId ?? '\ufff0', inclusive_end: endId === null }
  const res = await instance.dbs.allDocs(FILES_DOCTYPE, options)
  return res.rows.map(r => r.doc as unknown as FileDoc).filter(d => d && d.type === 'file')
}

async function* archiveLines(file: string): AsyncGenerator<ArchiveLine> {
  const lines = readline.createInterface({ input: createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line) yield JSON.parse(line) as ArchiveLine
  }
}

/**
 * Fails before anything is sent when part 0's metadata archive is gone (a newer export removed
 * it): 404 "exports: not found". The stack sends its 200 and the zip headers first, then fails
 * while copying, which leaves the client with a broken zip.
 */
export async function checkPartReadable(instance: Instance, doc: ExportDoc, cursor: Cursor): Promise<void> {
  if (cursor.number !== 0) return
  try {
    await fs.access(archivePath(instance, doc._id))
  } catch {
    throw exportErrors.notFound()
  }
}

/**
 * export.go ExportCopyData: part 0 starts with the metadata archive (instance.json, the
 * documents, the directories) under "My Cozy/Data/"; then each file of the part as its
 * metadata "My Cozy/Data/io.cozy.files/<id>.json" immediately followed by its content
 * "My Cozy/Files/<full path>" (the importer relies on that order). Files whose content is
 * missing are skipped, as the stack does.
 */
export async function writePart(instance: Instance, doc: ExportDoc, cursor: Cursor, zip: ZipStreamWriter): Promise<void> {
  const now = new Date()
  if (cursor.number === 0) {
    for await (const line of archiveLines(archivePath(instance, doc._id))) {
      await zip.add(`${EXPORT_DATA_DIR}/${line.name}`, Buffer.from(line.json, 'utf8'), { modified: now, mode: 0o640 })
    }
  }
  if (!acceptsDoctype(doc, FILES_DOCTYPE)) return
  for (const file of await filesOfPart(instance, doc, cursor)) {
    const modified = new Date(file.updated_at)
    const when = Number.isNaN(modified.getTime()) ? now : modified
    await zip.add(`${EXPORT_DATA_DIR}/${FILES_DOCTYPE}/${file._id}.json`, Buffer.from(JSON.stringify(file), 'utf8'), { modified: when, mode: 0o640 })
    let content: AsyncIterable<Buffer>
    try {
      await fs.access(instance.files.contentPath(file._id))
      content = createReadStream(instance.files.contentPath(file._id))
    } catch {
      continue
    }
    const fullPath = await instance.files.fullPath(file)
    await zip.add(`${EXPORT_FILES_DIR}${fullPath}`, content, { modified: when, mode: file.executable ? 0o750 : 0o640 })
  }
}
