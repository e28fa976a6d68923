/**
 * Runs planned operations against the stack: folders (created once, found again by path),
 * files and notes (streamed from the archive), calendar events and pending shares (documents
 * with ids derived from their keys, so a second run meets a conflict instead of a duplicate).
 * Each operation answers an outcome; only what must stop the whole import (quota, lost
 * permissions, a stack that stays down) is thrown, as FatalImportError.
 */
import crypto from 'crypto'
import type { EntArchive, ShareGrant } from '../ent/node'
import { emlStream } from './mail'
import type { DirOp, FileContent, FileOp, Op } from './plan'
import { PENDING_SHARES_DOCTYPE, type ImportErrorCode, type PendingShare, type PendingShareRecipient, type Provenance } from './records'
import type { CozyFile, StackClient } from './stack/client'
import { StackClientError, isStackError } from './stack/errors'

export const EVENTS_DOCTYPE = 'io.cozy.calendar.events'

export interface Outcome {
  status: 'imported' | 'skipped' | 'notSelected' | 'failed'
  bytes: number
  reason?: string
  /** A pending share document exists for this operation (created now or by an earlier run). */
  pendingShare: boolean
}

export class FatalImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'FatalImportError'
  }
}

/** A stable document id from an import and a key (events, pending shares). */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${crypto.createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}`
}

function fatalOf(err: unknown): FatalImportError | null {
  if (err instanceof FatalImportError) return err
  if (isStackError(err, 'quota')) return new FatalImportError('DISK_QUOTA_EXCEEDED', err.message)
  if (isStackError(err, 'forbidden')) return new FatalImportError('STACK_ERROR', `The stack refused a request (${err.message}); the konnector's permissions may have changed.`)
  if (isStackError(err, 'unavailable')) return new FatalImportError('STACK_ERROR', `The stack did not answer (${err.message}).`)
  return null
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

const ROLE_ORDER: PendingShareRecipient['role'][] = ['read', 'comment', 'contrib', 'publish', 'manager']

/** One recipient per ENT user or group, with the strongest role they had. */
export function normaliseRecipients(grants: ShareGrant[], names: ReadonlyMap<string, string>): PendingShareRecipient[] {
  const byId = new Map<string, PendingShareRecipient>()
  for (const grant of grants) {
    const id = `${grant.kind}:${grant.entId}`
    const current = byId.get(id)
    if (!current) {
      byId.set(id, { kind: grant.kind, entId: grant.entId, role: grant.role, inherited: grant.inherited, nameHint: names.get(grant.entId) ?? null })
      continue
    }
    if (ROLE_ORDER.indexOf(grant.role) > ROLE_ORDER.indexOf(current.role)) current.role = grant.role
    current.inherited = current.inherited && grant.inherited
  }
  return [...byId.values()].sort((a, b) => (a.kind === b.kind ? a.entId.localeCompare(b.entId) : a.kind === 'user' ? -1 : 1))
}

export interface ExecutorOptions {
  client: StackClient
  archive: EntArchive
  importId: string
  exportId: string
  /**
   * What makes documents with ids (events, pending shares) this import's: the id of the import
   * that created the import folder, so that a later import of the same export into that folder
   * finds them there. Default: the import id.
   */
  identity?: string
  importFolder: { id: string; path: string }
  /** Attempts per upload when the stack or the network fails (default 3). */
  attempts?: number
}

/** A file body that remembers why it failed, if it did. */
class TrackedSource {
  error: unknown = null
  constructor(private readonly content: string | AsyncIterable<Uint8Array>) {}

  body(): string | AsyncIterable<Uint8Array> {
    if (typeof this.content === 'string') return this.content
    const content = this.content
    const track = (err: unknown): void => {
      this.error = err
    }
    return (async function* tracked(): AsyncIterable<Uint8Array> {
      try {
        yield* content
      } catch (err) {
        track(err)
        throw err
      }
    })()
  }
}

export class Executor {
  private readonly client: StackClient
  private readonly archive: EntArchive
  private readonly importId: string
  private readonly exportId: string
  private readonly identity: string
  private readonly root: { id: string; path: string }
  private readonly attempts: number
  /** Import-folder-relative path → directory id (and the pending creations, so concurrent callers share one). */
  private readonly dirs = new Map<string, Promise<string>>()
  /** Folders this process created (the others were there from an earlier run). */
  private readonly createdHere = new Set<string>()

  constructor(options: ExecutorOptions) {
    this.client = options.client
    this.archive = options.archive
    this.importId = options.importId
    this.exportId = options.exportId
    this.identity = options.identity ?? options.importId
    this.root = options.importFolder
    this.attempts = options.attempts ?? 3
    this.dirs.set('', Promise.resolve(this.root.id))
  }

  provenance(op: Op): Provenance {
    return { app: op.app, entId: op.entId, exportId: this.exportId, key: op.key }
  }

  private absolute(path: string[]): string {
    return [this.root.path, ...path].join('/')
  }

  async run(op: Op): Promise<Outcome> {
    try {
      switch (op.kind) {
        case 'fail':
          return { status: 'failed', bytes: 0, reason: op.reason, pendingShare: false }
        case 'account':
          return { status: op.status, bytes: 0, reason: op.reason, pendingShare: false }
        case 'dir':
          return await this.dir(op)
        case 'file': {
          const outcome = await this.file(op)
          // Kept as is but not understood: the bytes are safe, the item still counts as failed.
          return op.keptAs && outcome.status !== 'failed' ? { ...outcome, status: 'failed', reason: op.keptAs } : outcome
        }
        case 'event':
          return await this.event(op)
      }
    } catch (err) {
      const fatal = fatalOf(err)
      if (fatal) throw fatal
      return { status: 'failed', bytes: 0, reason: messageOf(err), pendingShare: false }
    }
  }

  // ---- folders ----

  /**
   * The id of a folder of the import, created (without attributes) when missing. Not async on
   * purpose: the creation is registered before the caller's first await, so that the app runner
   * may start a folder's items while the folder is still being created (they wait for it here).
   */
  ensureDir(path: string[], op?: DirOp): Promise<string> {
    const key = path.join('/')
    const known = this.dirs.get(key)
    if (known) return known
    const pending = this.createDir(path, op)
    this.dirs.set(key, pending)
    pending.catch(() => this.dirs.delete(key))
    return pending
  }

  private async createDir(path: string[], op?: DirOp): Promise<string> {
    const parentId = await this.ensureDir(path.slice(0, -1))
    const name = path[path.length - 1]
    try {
      // Folders no ENT item names (an app's folder, "Partagés avec moi"…) carry the import's provenance.
      const metadata = op ? { mesdonnees: { ...this.provenance(op), importId: this.importId, ...op.extra } } : { mesdonnees: { exportId: this.exportId, importId: this.importId, key: `folder/${path.join('/')}` } }
      const dir = await this.client.createDir(parentId, name, { createdAt: op?.created, updatedAt: op?.modified ?? op?.created, metadata })
      this.createdHere.add(path.join('/'))
      return dir._id
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const existing = await this.client.statByPath(this.absolute(path))
      if (!existing || existing.type !== 'directory') throw new Error(`a file named "${name}" is in the way of this folder`)
      return existing._id
    }
  }

  private async dir(op: DirOp): Promise<Outcome> {
    const id = await this.ensureDir(op.path, op)
    const status: Outcome['status'] = this.createdHere.has(op.path.join('/')) ? 'imported' : 'skipped'
    const pendingShare = op.share ? await this.pendingShare(op, { doctype: 'io.cozy.files', id, path: this.absolute(op.path), type: 'directory' }) : false
    return { status, bytes: 0, pendingShare }
  }

  // ---- files ----

  private content(content: FileContent): string | AsyncIterable<Uint8Array> {
    switch (content.type) {
      case 'archive':
        return this.archive.openFile(content.file)
      case 'text':
        return content.text
      case 'eml':
        return emlStream(content.message, this.archive)
    }
  }

  /** The file at this path when an earlier run created it for the same key, else null. */
  private async mineAt(op: FileOp): Promise<CozyFile | null> {
    const existing = await this.client.statByPath(this.absolute([...op.dir, op.name]))
    if (!existing) return null
    const key = (existing.metadata?.mesdonnees as Provenance | undefined)?.key
    if (key !== op.key) throw new Error(`another file named "${op.name}" is already in this folder`)
    return existing
  }

  private async file(op: FileOp): Promise<Outcome> {
    const dirId = await this.ensureDir(op.dir)
    const metadata = { mesdonnees: { ...this.provenance(op), importId: this.importId } }
    let lastError: unknown = null
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      // A body that fails while streaming (a damaged entry) is this item's failure, not the stack's.
      const source = new TrackedSource(this.content(op.content))
      try {
        const created = await this.client.uploadFile(dirId, op.name, source.body(), {
          size: op.size ?? undefined,
          contentType: op.contentType ?? undefined,
          createdAt: op.created,
          updatedAt: op.modified ?? op.created,
          metadata
        })
        const pendingShare = op.share ? await this.pendingShare(op, { doctype: 'io.cozy.files', id: created._id, path: this.absolute([...op.dir, op.name]), type: 'file' }) : false
        return { status: 'imported', bytes: Number(created.size ?? 0), pendingShare }
      } catch (err) {
        if (source.error) throw new Error(`the archive could not be read: ${messageOf(source.error)}`)
        if (isStackError(err, 'conflict')) {
          const existing = await this.mineAt(op)
          if (!existing) throw err
          const pendingShare = op.share ? await this.pendingShare(op, { doctype: 'io.cozy.files', id: existing._id, path: this.absolute([...op.dir, op.name]), type: 'file' }) : false
          return { status: attempt === 0 ? 'skipped' : 'imported', bytes: attempt === 0 ? 0 : Number(existing.size ?? 0), pendingShare }
        }
        if (!(err instanceof StackClientError) || err.kind !== 'unavailable') throw err
        lastError = err
        await new Promise(resolve => setTimeout(resolve, 300 * 2 ** attempt))
      }
    }
    throw lastError
  }

  // ---- documents ----

  private async event(op: Op & { kind: 'event' }): Promise<Outcome> {
    const id = stableId('ent', this.identity, op.key)
    let status: Outcome['status'] = 'imported'
    try {
      await this.client.createDocWithId(EVENTS_DOCTYPE, id, { ...op.doc, mesdonnees: { ...this.provenance(op), importId: this.importId } })
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      status = 'skipped'
    }
    const pendingShare = op.share ? await this.pendingShare(op, { doctype: EVENTS_DOCTYPE, id, path: null, type: 'event' }) : false
    return { status, bytes: 0, pendingShare }
  }

  private async pendingShare(op: Op, cozy: PendingShare['cozy']): Promise<boolean> {
    if (!op.share) return false
    const now = new Date().toISOString()
    const doc: PendingShare = {
      state: 'pending',
      importId: this.importId,
      provenance: this.provenance(op),
      resource: { title: op.share.title, collection: op.share.collection },
      cozy,
      recipients: normaliseRecipients(op.share.grants, this.archive.names),
      createdAt: now,
      updatedAt: now
    }
    const id = stableId('share', this.identity, op.key)
    try {
      await this.client.createDocWithId(PENDING_SHARES_DOCTYPE, id, doc as unknown as Record<string, unknown>)
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      // Made by an earlier run: point it at the document this run found or made, if that changed.
      const existing = await this.client.getDoc<PendingShare & { _id: string; _rev: string }>(PENDING_SHARES_DOCTYPE, id)
      if (existing && existing.state === 'pending' && existing.cozy?.id !== cozy.id) {
        const { _type: _ignored, ...fields } = existing as typeof existing & { _type?: string }
        await this.client.updateDoc(PENDING_SHARES_DOCTYPE, { ...fields, cozy, updatedAt: now } as unknown as Record<string, unknown> & { _id: string })
      }
    }
    return true
  }
}
