/**
 * The ENT import's own documents (src/import/records.ts is the contract with the engine):
 * import records (io.cozy.mesdonnees.imports) and pending shares
 * (io.cozy.mesdonnees.pendingshares), read defensively since the engine writes them.
 */
import type { StackFetcher } from './fetcher'
import { couchDocsApi, type CouchDoc } from './couch-docs'
import { asRecord } from './jsonapi'
import { jobsApi, type JobDoc } from './jobs'
import {
  IMPORTS_DOCTYPE,
  KONNECTOR_SLUG,
  emptyImportRecord,
  PENDING_SHARES_DOCTYPE,
  type ImportAppReport,
  type ImportItemError,
  type ImportJobMessage,
  type ImportRecord,
  type ImportState,
  type PendingShare,
  type PendingShareRecipient
} from '../import/records'

const STATES: ImportState[] = ['queued', 'checking', 'running', 'paused', 'done', 'failed']
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0)
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

function toAppReport(value: unknown): ImportAppReport {
  const a = asRecord(value)
  const state = a.state === 'running' || a.state === 'done' ? a.state : 'pending'
  return {
    app: str(a.app) ?? 'unknown',
    folder: str(a.folder),
    selected: a.selected !== false,
    state,
    total: num(a.total),
    imported: num(a.imported),
    skipped: num(a.skipped),
    notSelected: num(a.notSelected),
    failed: num(a.failed),
    bytes: num(a.bytes),
    plannedBytes: num(a.plannedBytes),
    durationMs: num(a.durationMs)
  }
}

function toItemError(value: unknown): ImportItemError {
  const e = asRecord(value)
  return { app: str(e.app) ?? 'unknown', item: str(e.item) ?? '', reason: str(e.reason) ?? '' }
}

function folderRef(value: unknown): { id: string; path: string } | null {
  const f = asRecord(value)
  return str(f.id) ? { id: str(f.id) as string, path: str(f.path) ?? '' } : null
}

/** An import record as the engine or the app wrote it, with every field present. */
export function toImportRecord(doc: CouchDoc): ImportRecord & { _id: string } {
  const archive = asRecord(doc.archive)
  const progress = asRecord(doc.progress)
  const destination = asRecord(doc.destination)
  const error = asRecord(doc.error)
  const errors = Array.isArray(doc.errors) ? doc.errors.map(toItemError) : []
  return {
    _id: doc._id,
    _rev: doc._rev,
    state: STATES.includes(doc.state as ImportState) ? (doc.state as ImportState) : 'queued',
    archive: {
      fileId: str(archive.fileId),
      name: str(archive.name),
      size: typeof archive.size === 'number' ? archive.size : null,
      exportId: str(archive.exportId),
      exportedAt: str(archive.exportedAt)
    },
    selection: Array.isArray(doc.selection) ? doc.selection.filter((s): s is string => typeof s === 'string') : null,
    includeTrash: doc.includeTrash === true,
    copy: doc.copy === true,
    destination: { id: str(destination.id), path: str(destination.path) ?? '' },
    importFolder: folderRef(doc.importFolder),
    apps: Array.isArray(doc.apps) ? doc.apps.map(toAppReport) : [],
    progress: {
      bytesDone: num(progress.bytesDone),
      bytesPlanned: num(progress.bytesPlanned),
      itemsDone: num(progress.itemsDone),
      itemsPlanned: num(progress.itemsPlanned)
    },
    errors,
    errorCount: Math.max(num(doc.errorCount), errors.length),
    error: str(error.code) ? { code: error.code as NonNullable<ImportRecord['error']>['code'], message: str(error.message) ?? '' } : null,
    pendingShares: num(doc.pendingShares),
    jobs: num(doc.jobs),
    jobId: str(doc.jobId),
    createdAt: str(doc.createdAt) ?? '',
    startedAt: str(doc.startedAt),
    updatedAt: str(doc.updatedAt) ?? '',
    finishedAt: str(doc.finishedAt),
    report: doc.report && typeof doc.report === 'object' ? (doc.report as ImportRecord['report']) : null
  }
}

const ROLES: PendingShareRecipient['role'][] = ['read', 'comment', 'contrib', 'publish', 'manager']

function toRecipient(value: unknown): PendingShareRecipient {
  const r = asRecord(value)
  return {
    // Fields the Share again page adds (several contacts, the sharing made) are kept.
    ...r,
    kind: r.kind === 'group' ? 'group' : 'user',
    entId: str(r.entId) ?? '',
    role: ROLES.includes(r.role as PendingShareRecipient['role']) ? (r.role as PendingShareRecipient['role']) : 'read',
    inherited: r.inherited === true,
    nameHint: str(r.nameHint),
    contactId: str(r.contactId),
    contactDoctype: r.contactDoctype === 'io.cozy.contacts.groups' ? 'io.cozy.contacts.groups' : r.contactDoctype === 'io.cozy.contacts' ? 'io.cozy.contacts' : null
  }
}

export function toPendingShare(doc: CouchDoc): PendingShare & { _id: string } {
  const cozy = asRecord(doc.cozy)
  const resource = asRecord(doc.resource)
  const provenance = asRecord(doc.provenance)
  const type = cozy.type === 'directory' || cozy.type === 'event' ? cozy.type : 'file'
  return {
    ...(doc as Record<string, unknown>),
    _id: doc._id,
    _rev: doc._rev,
    state: doc.state === 'shared' || doc.state === 'dismissed' ? doc.state : 'pending',
    importId: str(doc.importId) ?? '',
    provenance: { app: str(provenance.app) ?? '', entId: str(provenance.entId) ?? '', exportId: str(provenance.exportId) ?? '', key: str(provenance.key) ?? '' },
    resource: { title: str(resource.title) ?? '', collection: str(resource.collection) },
    cozy: { doctype: cozy.doctype === 'io.cozy.calendar.events' ? 'io.cozy.calendar.events' : 'io.cozy.files', id: str(cozy.id) ?? '', path: str(cozy.path), type },
    recipients: Array.isArray(doc.recipients) ? doc.recipients.map(toRecipient).filter(r => r.entId !== '') : [],
    sharingId: str(doc.sharingId),
    createdAt: str(doc.createdAt) ?? '',
    updatedAt: str(doc.updatedAt) ?? ''
  }
}

export interface StartImportRequest {
  fileId: string
  selection: string[]
  includeTrash: boolean
  folderToSave?: string
  importId: string
}

export function entImportsApi(stack: StackFetcher) {
  const records = couchDocsApi(stack, IMPORTS_DOCTYPE)
  const shares = couchDocsApi(stack, PENDING_SHARES_DOCTYPE)
  const jobs = jobsApi(stack)
  return {
    /** Imports of the same ENT export (matched by its export id), newest first. */
    async ofExport(exportId: string): Promise<Array<ImportRecord & { _id: string }>> {
      return (await this.list()).filter(record => record.archive.exportId === exportId)
    },

    /** Every import, newest first. */
    async list(): Promise<Array<ImportRecord & { _id: string }>> {
      const docs = await records.all()
      return docs.map(toImportRecord).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    },

    async get(id: string): Promise<ImportRecord & { _id: string }> {
      return toImportRecord(await records.get(id))
    },

    /** The record the app creates before the first job (state `queued`), so history and progress can follow it at once. */
    async create(fields: Pick<ImportRecord, 'archive' | 'selection' | 'includeTrash' | 'destination' | 'copy'>): Promise<ImportRecord & { _id: string }> {
      const record: Omit<ImportRecord, '_id' | '_rev'> = { ...emptyImportRecord(new Date()), ...fields }
      const created = await records.create(record as unknown as Record<string, unknown>)
      return toImportRecord({ ...(record as unknown as Record<string, unknown>), ...created })
    },

    /** Whether the konnector is installed (`GET /konnectors/:slug`, 404 when not). */
    async konnectorInstalled(): Promise<boolean> {
      try {
        await stack.fetchJSON('GET', `/konnectors/${KONNECTOR_SLUG}`)
        return true
      } catch (err) {
        if (asRecord(err).status === 404) return false
        throw err
      }
    },

    /** Queues the konnector on an import (a first run, or a resume of an unfinished one). */
    async start(request: StartImportRequest): Promise<JobDoc> {
      const message: ImportJobMessage & Record<string, unknown> = {
        konnector: KONNECTOR_SLUG,
        fileId: request.fileId,
        selection: request.selection,
        includeTrash: request.includeTrash,
        importId: request.importId
      }
      if (request.folderToSave) message.folder_to_save = request.folderToSave
      return jobs.queueKonnector(message)
    },

    /**
     * Notes the queued job on a record the engine has not taken yet, so the app can read that
     * job's error when it never runs (a konnector uninstalled meanwhile: the stack accepts the
     * job and errors it). Best effort, as the job is queued already: a 409 means the engine
     * wrote first, with its own COZY_JOB_ID; any other failure only loses that hint.
     */
    async recordJob(importId: string, jobId: string): Promise<boolean> {
      try {
        const current = await records.get(importId)
        if (current.state !== 'queued' || current.jobId === jobId) return false
        await records.update({ ...current, jobId })
        return true
      } catch {
        return false
      }
    },

    async listPendingShares(): Promise<Array<PendingShare & { _id: string }>> {
      return (await shares.all()).map(toPendingShare)
    },

    async updatePendingShare(share: PendingShare & { _id: string }): Promise<PendingShare & { _id: string }> {
      const saved = await shares.update({ ...(share as unknown as CouchDoc), updatedAt: new Date().toISOString() })
      return toPendingShare({ ...(share as unknown as CouchDoc), ...saved })
    }
  }
}

export type EntImportsApi = ReturnType<typeof entImportsApi>
