/**
 * The import records the page writes, through cozy-client (client.save, client.collection)
 * so the store, and with it every open query, sees each write at once.
 */
import type CozyClient from 'cozy-client'
import { emptyImportRecord, IMPORTS_DOCTYPE, type ImportRecord } from '../../import/records'
import { toImportRecord } from '../../stack-client/ent-imports'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { buildImportRecordsQuery } from '../../queries'

type StoredRecord = ImportRecord & { _id: string }

export async function readImportRecord(client: CozyClient, id: string): Promise<StoredRecord> {
  const { data } = (await client.collection(IMPORTS_DOCTYPE).get(id)) as { data: CouchDoc }
  return toImportRecord(data)
}

/** Every import, newest first (imports of the same export are found among them). */
export async function readImportRecords(client: CozyClient): Promise<StoredRecord[]> {
  const docs = (await client.queryAll(buildImportRecordsQuery().definition())) as CouchDoc[]
  return docs.map(toImportRecord).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/** The record the app creates before the first job (state `queued`), so history and progress can follow it at once. */
export async function createImportRecord(client: CozyClient, fields: Pick<ImportRecord, 'archive' | 'selection' | 'includeTrash' | 'destination' | 'copy'>): Promise<StoredRecord> {
  const record: Omit<ImportRecord, '_id' | '_rev'> = { ...emptyImportRecord(new Date()), ...fields }
  const { data } = (await client.save({ _type: IMPORTS_DOCTYPE, ...record })) as { data: CouchDoc }
  return toImportRecord({ ...(record as unknown as Record<string, unknown>), ...data })
}

/**
 * Notes the queued job on a record the engine has not taken yet, so the app can read that
 * job's error when it never runs (a konnector uninstalled meanwhile: the stack accepts the
 * job and errors it). Best effort, as the job is queued already: a 409 means the engine
 * wrote first, with its own COZY_JOB_ID; any other failure only loses that hint.
 */
export async function recordJob(client: CozyClient, importId: string, jobId: string): Promise<boolean> {
  try {
    const { data: current } = (await client.collection(IMPORTS_DOCTYPE).get(importId)) as { data: CouchDoc }
    if (current.state !== 'queued' || current.jobId === jobId) return false
    await client.save({ ...current, _type: IMPORTS_DOCTYPE, jobId })
    return true
  } catch {
    return false
  }
}
