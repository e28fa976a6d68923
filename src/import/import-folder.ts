/**
 * The folders an import writes into before any operation runs: the destination (created
 * level by level when missing) and the import folder `<destination>/<export date>`.
 */
import { ImportError } from './import-error'
import { exportDateName } from './names'
import { DEFAULT_DESTINATION_PATH, type ImportRecord } from './records'
import type { StackClient } from './stack/client'
import { isStackError } from './stack/errors'

export interface ImportFolderPlace {
  folder: { id: string; path: string }
  /** The parent the folder was found or created in; absent when the record's folder was still there. */
  destination?: { id: string; path: string }
  /** The import whose documents the folder holds (record.identity), when it was just found or made. */
  identity?: string
}

export interface ImportFolderRequest {
  importId: string
  exportId: string
  exportedAt: Date | null
  destination?: { id?: string; path?: string }
  /** A copy: a folder that another import of the same export made is not this one's. */
  copy: boolean
}

/**
 * `<destination>/<export date>`, or `… (2)` when that name belongs to another import. Unless
 * this import is a copy, a folder that an import of the same export made is this import's
 * too: what is there already is found there and not written twice.
 */
export async function ensureImportFolder(client: StackClient, record: Pick<ImportRecord, 'importFolder'>, request: ImportFolderRequest): Promise<ImportFolderPlace> {
  if (record.importFolder) {
    const existing = await client.statById(record.importFolder.id)
    if (existing && existing.type === 'directory' && existing.path && !existing.path.startsWith('/.cozy_trash')) return { folder: { id: existing._id, path: existing.path } }
  }
  const parent = await destinationFolder(client, request.destination)
  const { importId, exportId, exportedAt } = request
  const base = exportDateName(exportedAt, new Date())
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base} (${n})`
    const full = parent.path === '/' ? `/${name}` : `${parent.path}/${name}`
    try {
      const dir = await client.createDir(parent.id, name, { createdAt: exportedAt, metadata: { mesdonnees: { importId, exportId, key: 'import-folder' } } })
      return { folder: { id: dir._id, path: full }, destination: parent, identity: importId }
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const existing = await client.statByPath(full)
      const owner = existing?.metadata?.mesdonnees as { importId?: string; exportId?: string } | undefined
      if (existing && existing.type === 'directory' && (owner?.importId === importId || (!request.copy && owner?.exportId === exportId))) {
        return { folder: { id: existing._id, path: full }, destination: parent, identity: owner?.importId ?? importId }
      }
    }
  }
  throw new ImportError('UNKNOWN_ERROR', `No free name for the import folder in ${parent.path}.`)
}

async function destinationFolder(client: StackClient, destination: ImportFolderRequest['destination']): Promise<{ id: string; path: string }> {
  if (!destination?.id) return ensurePath(client, destination?.path ?? DEFAULT_DESTINATION_PATH)
  const dir = await client.statById(destination.id)
  if (!dir || dir.type !== 'directory' || !dir.path) throw new ImportError('UNKNOWN_ERROR', `The destination folder ${destination.id} does not exist.`)
  return { id: dir._id, path: dir.path }
}

/** A folder path, created level by level when missing. */
export async function ensurePath(client: StackClient, fullPath: string): Promise<{ id: string; path: string }> {
  const existing = await client.statByPath(fullPath)
  if (existing && existing.type === 'directory') return { id: existing._id, path: fullPath }
  let current = { id: 'io.cozy.files.root-dir', path: '/' }
  for (const part of fullPath.split('/').filter(Boolean)) {
    const next = current.path === '/' ? `/${part}` : `${current.path}/${part}`
    try {
      const dir = await client.createDir(current.id, part)
      current = { id: dir._id, path: next }
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const found = await client.statByPath(next)
      if (!found || found.type !== 'directory') throw new ImportError('UNKNOWN_ERROR', `${next} exists and is not a folder.`)
      current = { id: found._id, path: next }
    }
  }
  return current
}
