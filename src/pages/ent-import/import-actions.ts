/**
 * Starting (or resuming) an import once the archive is in the Drive: the import record first,
 * so history and progress can follow it at once, then the konnector job with the file id and
 * the selection (src/import/records.ts). The konnector must be installed by the Store.
 */
import type CozyClient from 'cozy-client'
import type { StackApi } from '../../stack-client'
import type { ImportRecord } from '../../import/records'
import { TRASH_ITEM, type ArchivePreview } from './preview/items'
import { createImportRecord, recordJob } from './import-docs'
import { isKonnectorInstalled } from './konnector'

export type StartOutcome = { kind: 'started'; importId: string } | { kind: 'konnector-missing'; importId: string }

export interface NewImport {
  fileId: string
  fileName: string
  fileSize: number
  preview: Pick<ArchivePreview, 'exportId' | 'exportedAt' | 'items'>
  /** A copy of an export imported before, into a folder of its own. */
  copy?: boolean
  selected: Set<string>
  destination: { id: string; path: string }
}

/** The konnector's `selection` (app keys) and `includeTrash` from the ticked preview items. */
export function selectionOf(preview: Pick<ArchivePreview, 'items'>, selected: Set<string>): { selection: string[]; includeTrash: boolean } {
  const apps = new Set<string>()
  for (const item of preview.items) {
    if (!selected.has(item.id) || item.id === TRASH_ITEM) continue
    apps.add(item.app)
  }
  return { selection: [...apps], includeTrash: selected.has(TRASH_ITEM) }
}

/** Queues the konnector for an existing record, after checking it is installed. */
export async function runImport(api: StackApi, client: CozyClient, record: Pick<ImportRecord, 'archive' | 'selection' | 'includeTrash' | 'destination'> & { _id: string }): Promise<StartOutcome> {
  if (!(await isKonnectorInstalled(client))) return { kind: 'konnector-missing', importId: record._id }
  const job = await api.entImports.start({
    fileId: record.archive.fileId ?? '',
    selection: record.selection ?? [],
    includeTrash: record.includeTrash,
    folderToSave: record.destination.id ?? undefined,
    importId: record._id
  })
  await recordJob(client, record._id, job.id)
  return { kind: 'started', importId: record._id }
}

export async function createAndRunImport(api: StackApi, client: CozyClient, request: NewImport): Promise<StartOutcome> {
  const { selection, includeTrash } = selectionOf(request.preview, request.selected)
  const record = await createImportRecord(client, {
    archive: {
      fileId: request.fileId,
      name: request.fileName,
      size: request.fileSize,
      exportId: request.preview.exportId,
      exportedAt: request.preview.exportedAt ? request.preview.exportedAt.toISOString() : null
    },
    selection,
    includeTrash,
    destination: { id: request.destination.id, path: request.destination.path },
    copy: request.copy === true
  })
  return runImport(api, client, record)
}

/** Imports that stopped before the end and can be started again (the engine resumes from its checkpoint). */
/** Past a lease's end, the time left for the stack's own retry of a killed job to take it over. */
const LEASE_GRACE_MS = 60 * 1000

export function isResumable(record: Pick<ImportRecord, 'state' | 'archive' | 'updatedAt' | 'lease'>, now = Date.now()): boolean {
  if (!record.archive.fileId) return false
  if (record.state === 'failed') return true
  const idle = now - new Date(record.updatedAt).getTime()
  // A queued record no job picked up (konnector missing, job refused) is waiting for the user.
  if (record.state === 'queued') return idle > 2 * 60 * 1000
  if (record.state === 'running' || record.state === 'checking') {
    // The job writing it renews its lease (src/import/lease.ts): past its end, the job is gone.
    const expires = record.lease ? Date.parse(record.lease.expiresAt) : NaN
    if (!Number.isNaN(expires)) return now > expires + LEASE_GRACE_MS
    return idle > 10 * 60 * 1000
  }
  // Paused: its continuation job has not started it again.
  return record.state === 'paused' && idle > 10 * 60 * 1000
}
