/**
 * Generators for the scale benchmarks (issue 15): archives whose size is in their counts, not
 * their bytes. Both stream to disk through the fixtures' Java-layout zip writer (deflate level
 * 0, data descriptors, UTF-8 flag, ZIP64 end records past 65,535 entries), and the workspace
 * index is written record by record, so the generator holds no index in memory (only the zip
 * writer's directory records, a few dozen bytes per entry).
 *
 * - `writeManyFilesArchive`: a workspace of N small files in folders of 100, every file with
 *   its binary (the 70,000-entry case);
 * - `writeBigIndexArchive`: a workspace index of N records, as when the exporter skipped the
 *   binaries (`skipDocs`): one record in 1,000 is a folder and one in 1,000 a file whose
 *   binary is there; of the rest, half are in the trash (not selected by default) and half
 *   are files whose binary is missing (they fail). Almost nothing is written to the Cozy, so
 *   the import's cost is the reading, planning and bookkeeping of each record.
 *
 * Record fields follow what the Java exporter writes (see test/fixtures/ent-archive.ts and
 * ent-export-format.md §6).
 */
import { writeZipFile, type ZipStreamWriter } from '../test/fixtures/zip-writer'

const EXPORT_MS = 1775058630583
const USER_ID = '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
const USER_NAME = 'Bernard Junior'
const TOP = `${EXPORT_MS}_${USER_ID}`
const FOLDER = 'Espace documentaire'
const PERSONAL = 'Documents personnels'
const TRASH = 'Corbeille'
const DATE = '2026-04-01 17:44.24.044'
const MANIFEST = `{\n  "org.entcore.workspace" : {\n    "version" : "6.14-SNAPSHOT",\n    "folder" : "${FOLDER}"\n  }\n}`

/** A deterministic UUID per (kind, n): unique, and cheap for a million records. */
function uuid(kind: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0')
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`
}

function record(id: string, name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { _id: id, name, owner: USER_ID, ownerName: USER_NAME, shared: [], inheritedShares: [], isShared: false, ancestors: [], eParent: null, created: DATE, modified: DATE, ...extra }
}

/** The index as a JSON array, in chunks of about 1 MiB, one record produced at a time. */
async function* jsonArray(records: Iterable<Record<string, unknown>>): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder()
  let chunk = '['
  let first = true
  for (const value of records) {
    chunk += `${first ? '' : ','}${JSON.stringify(value)}`
    first = false
    if (chunk.length >= 1024 * 1024) {
      yield encoder.encode(chunk)
      chunk = ''
    }
  }
  yield encoder.encode(`${chunk}]`)
}

async function writeWorkspace(path: string, records: () => Iterable<Record<string, unknown>>, rest: (zip: ZipStreamWriter) => Promise<void>, extraEntries: string[]): Promise<{ bytes: number; entries: number }> {
  return writeZipFile(path, async zip => {
    await zip.file(`${TOP}/Manifest.json`, MANIFEST)
    await zip.directory(`${TOP}/${FOLDER}/${PERSONAL}/`)
    await zip.directory(`${TOP}/${FOLDER}/${TRASH}/`)
    for (const name of extraEntries) await zip.file(`${TOP}/${FOLDER}/${name}`, '')
    await zip.file(`${TOP}/${FOLDER}/${FOLDER}`, jsonArray(records()))
    await rest(zip)
  })
}

/** Entries besides the files: Manifest, two category folders, the index, and one folder entry per 100 files. */
export function manyFilesCount(entries: number): { files: number; folders: number } {
  const folders = Math.ceil((entries - 4) / 101)
  return { files: entries - 4 - folders, folders }
}

export async function writeManyFilesArchive(path: string, entries: number, fileBytes = 120): Promise<{ bytes: number; entries: number; files: number }> {
  const { files, folders } = manyFilesCount(entries)
  const folderName = (k: number): string => `Dossier ${k}`
  const body = new Uint8Array(fileBytes).fill(0x61)
  const records = function* (): Iterable<Record<string, unknown>> {
    for (let k = 0; k < folders; k++) yield record(uuid(1, k), folderName(k), { eType: 'folder', localArchivePath: `${PERSONAL}/${folderName(k)}` })
    for (let i = 0; i < files; i++) {
      const k = i % folders
      const name = `Fichier ${i}.txt`
      yield record(uuid(2, i), name, { eType: 'file', eParent: uuid(1, k), file: uuid(3, i), metadata: { name: 'file', filename: name, 'content-type': 'text/plain', size: fileBytes }, localArchivePath: `${PERSONAL}/${folderName(k)}/${name}` })
    }
  }
  const written = await writeWorkspace(path, records, async zip => {
    for (let k = 0; k < folders; k++) await zip.directory(`${TOP}/${FOLDER}/${PERSONAL}/${folderName(k)}/`)
    for (let i = 0; i < files; i++) await zip.file(`${TOP}/${FOLDER}/${PERSONAL}/${folderName(i % folders)}/Fichier ${i}.txt`, body)
  }, [])
  return { ...written, files }
}

export interface BigIndexShape {
  folders: number
  withBinary: number
  trashed: number
  missing: number
}

export function bigIndexShape(records: number): BigIndexShape {
  const folders = Math.max(1, Math.floor(records / 1000))
  const withBinary = Math.max(1, Math.floor(records / 1000))
  const trashed = Math.floor((records - folders - withBinary) / 2)
  return { folders, withBinary, trashed, missing: records - folders - withBinary - trashed }
}

export async function writeBigIndexArchive(path: string, count: number, fileBytes = 120): Promise<{ bytes: number; entries: number; shape: BigIndexShape }> {
  const shape = bigIndexShape(count)
  const folderName = (k: number): string => `Dossier ${k}`
  const body = new Uint8Array(fileBytes).fill(0x62)
  const fileRecord = (i: number, extra: Record<string, unknown>): Record<string, unknown> => {
    const k = i % shape.folders
    const name = `Fichier ${i}.txt`
    return record(uuid(2, i), name, { eType: 'file', eParent: uuid(1, k), file: uuid(3, i), metadata: { name: 'file', filename: name, 'content-type': 'text/plain', size: fileBytes }, localArchivePath: `${PERSONAL}/${folderName(k)}/${name}`, ...extra })
  }
  const records = function* (): Iterable<Record<string, unknown>> {
    for (let k = 0; k < shape.folders; k++) yield record(uuid(1, k), folderName(k), { eType: 'folder', localArchivePath: `${PERSONAL}/${folderName(k)}` })
    let i = 0
    for (let n = 0; n < shape.withBinary; n++, i++) yield fileRecord(i, {})
    // Trashed and missing interleaved, as an index lists them (by query, not by kind) would not be; either order reads the same.
    for (let n = 0; n < shape.trashed + shape.missing; n++, i++) {
      if (n % 2 === 0 && n / 2 < shape.trashed) yield { ...fileRecord(i, { deleted: true, trasher: USER_ID, eParentOld: null }), eParent: null, localArchivePath: `${TRASH}/Fichier ${i}.txt` }
      else yield fileRecord(i, {})
    }
  }
  const written = await writeWorkspace(path, records, async zip => {
    for (let k = 0; k < shape.folders; k++) await zip.directory(`${TOP}/${FOLDER}/${PERSONAL}/${folderName(k)}/`)
    for (let i = 0; i < shape.withBinary; i++) await zip.file(`${TOP}/${FOLDER}/${PERSONAL}/${folderName(i % shape.folders)}/Fichier ${i}.txt`, body)
  }, [])
  return { ...written, shape }
}
