/**
 * Zips and folders of the Drive as cozy-client gives them (JSON:API attributes flattened
 * on the document), in the shape the pickers show; the folders the import needs, read and
 * made through cozy-client's FileCollection (docs/files.md).
 */
import type CozyClient from 'cozy-client'
import type { DriveFile } from '../../stack-client/files-upload'
import { toStackError } from '../../stack-client/StackError'
import { buildDriveZipsQuery, FILES_DOCTYPE, TRASH_DIR_ID } from '../../queries'

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The stack writes a file's size as a string in JSON:API (docs/files.md). */
function sizeOf(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

export function driveFileOf(doc: Record<string, unknown>): DriveFile {
  return {
    id: text(doc._id) ?? text(doc.id) ?? '',
    name: text(doc.name) ?? '',
    type: doc.type === 'directory' ? 'directory' : 'file',
    path: text(doc.path),
    dirId: text(doc.dir_id),
    size: sizeOf(doc.size),
    mime: text(doc.mime),
    md5sum: text(doc.md5sum),
    updatedAt: text(doc.updated_at)
  }
}

/** Zips only (the MIME type may lie), newest first. */
export const toZips = (docs: Array<Record<string, unknown>>): DriveFile[] =>
  docs
    .map(driveFileOf)
    .filter(file => /\.zip$/i.test(file.name))
    .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''))

export const toFolders = (docs: Array<Record<string, unknown>>): DriveFile[] => docs.map(driveFileOf).filter(file => file.type === 'directory' && file.id !== TRASH_DIR_ID)

export async function readDriveZips(client: CozyClient): Promise<DriveFile[]> {
  return toZips((await client.queryAll(buildDriveZipsQuery().definition())) as Array<Record<string, unknown>>)
}

/** The part of cozy-stack-client's FileCollection used here (cozy-client types collections loosely). */
interface Files {
  statByPath(path: string): Promise<{ data: Record<string, unknown> }>
  statById(id: string, options?: Record<string, number>): Promise<{ data: Record<string, unknown> }>
  createDirectoryByPath(path: string): Promise<{ data: Record<string, unknown> }>
}

const filesOf = (client: CozyClient): Files => client.collection(FILES_DOCTYPE) as unknown as Files

/** `GET /files/metadata?Path=`: the file or folder at that path, or null when there is none (404). */
export async function statByPath(client: CozyClient, path: string): Promise<DriveFile | null> {
  try {
    return driveFileOf((await filesOf(client).statByPath(path)).data)
  } catch (err) {
    const error = toStackError(err)
    if (error.status === 404) return null
    throw error
  }
}

/** `GET /files/:id`; one child at most, since only the folder itself is read. */
export async function statById(client: CozyClient, id: string): Promise<DriveFile> {
  try {
    return driveFileOf((await filesOf(client).statById(id, { 'page[limit]': 1 })).data)
  } catch (err) {
    throw toStackError(err)
  }
}

/**
 * `/a/b/c`, made level by level where missing (`POST /files/:dir-id?Type=directory`) by
 * FileCollection.createDirectoryByPath, which reads each level by path first.
 */
export async function ensureDirectory(client: CozyClient, path: string): Promise<DriveFile> {
  try {
    return driveFileOf((await filesOf(client).createDirectoryByPath(path)).data)
  } catch (err) {
    throw toStackError(err)
  }
}
