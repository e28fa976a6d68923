/**
 * The ENT import's own documents (src/import/records.ts is the contract with the engine):
 * import records (io.cozy.mesdonnees.imports) and pending shares
 * (io.cozy.mesdonnees.pendingshares), read defensively since the engine writes them.
 */
import type { StackFetcher } from './fetcher'
import type { CouchDoc } from './couch-docs'
import { asRecord } from './jsonapi'
import { jobsApi, type JobDoc } from './jobs'
import {
  KONNECTOR_SLUG,
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
    notices: Array.isArray(doc.notices) ? doc.notices.map(toItemError) : [],
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
  const jobs = jobsApi(stack)
  return {
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
    }
  }
}

export type EntImportsApi = ReturnType<typeof entImportsApi>
