/**
 * Zips and folders of the Drive as cozy-client gives them (JSON:API attributes flattened
 * on the document), in the shape the pickers show.
 */
import type CozyClient from 'cozy-client'
import type { DriveFile } from '../../stack-client/files-upload'
import { buildDriveZipsQuery, TRASH_DIR_ID } from '../../queries'

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
