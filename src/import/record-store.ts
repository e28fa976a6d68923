/**
 * Keeps the import record (io.cozy.mesdonnees.imports) up to date on the stack: created when
 * missing, written at most once a second while work goes on (the app shows it live), and at
 * every step that matters (state changes, checkpoints). Each write also renews the lease of
 * the process writing (lease.ts), and a timer renews it while nothing else is written. If
 * someone else wrote in between (a revision conflict) without touching the lease (the app
 * noting its job), the engine's version wins; if the lease changed, another job took the
 * import over: nothing more is written (LeaseLostError).
 */
import { LeaseLostError, leaseFor, newHolder, RENEW_MS, sameLease } from './lease'
import type { ImportItemError, ImportLease, ImportRecord, ImportReport } from './records'
import { IMPORTS_DOCTYPE, emptyImportRecord } from './records'
import type { StackClient } from './stack/client'
import { isStackError } from './stack/errors'

/** Errors kept in the record (the count goes on). */
export const MAX_RECORDED_ERRORS = 500

/** Fills what an older or app-made record may lack, so the engine can rely on every field. */
function complete(doc: Partial<ImportRecord> & { _id: string }, now: Date): ImportRecord & { _id: string } {
  const base = emptyImportRecord(now)
  return {
    ...base,
    ...doc,
    archive: { ...base.archive, ...(doc.archive ?? {}) },
    destination: { ...base.destination, ...(doc.destination ?? {}) },
    progress: { ...base.progress, ...(doc.progress ?? {}) },
    apps: Array.isArray(doc.apps) ? doc.apps.map(a => ({ ...a, selected: a.selected ?? true, notSelected: a.notSelected ?? 0 })) : [],
    errors: Array.isArray(doc.errors) ? doc.errors : [],
    notices: Array.isArray(doc.notices) ? doc.notices : []
  }
}

export function reportOf(record: ImportRecord): ImportReport {
  return {
    state: record.state,
    importFolder: record.importFolder,
    apps: record.apps.map(a => ({ app: a.app, folder: a.folder, items: a.total, imported: a.imported, skipped: a.skipped, notSelected: a.notSelected, failed: a.failed, bytes: a.bytes, durationMs: a.durationMs })),
    pendingShares: record.pendingShares,
    errors: record.errors,
    notices: record.notices
  }
}

export interface RecordStoreOptions {
  /** The konnector job writing (COZY_JOB_ID), recorded in the lease. */
  jobId?: string | null
  log?: (line: string) => void
}

export class RecordStore {
  private lastWrite = 0
  private writing: Promise<void> = Promise.resolve()
  /** This run's id in the lease. */
  readonly holder = newHolder()
  /** The lease as the stack has it since our last read or write: a different one means a takeover. */
  private knownLease: ImportLease | null
  /** Until when the stack has confirmed our lease (ms), 0 when we hold none. */
  private confirmedUntil = 0
  private renewal: NodeJS.Timeout | null = null
  private lost: LeaseLostError | null = null

  private constructor(
    private readonly client: StackClient | null,
    public record: ImportRecord & { _id: string },
    private readonly options: RecordStoreOptions = {}
  ) {
    this.knownLease = record.lease ?? null
  }

  /** The record with this id, created when missing. `client` null: kept in memory only (dry runs). */
  static async open(client: StackClient | null, id: string, now = new Date(), options: RecordStoreOptions = {}): Promise<RecordStore> {
    if (!client) return new RecordStore(null, { ...emptyImportRecord(now), _id: id }, options)
    const existing = await client.getDoc<Partial<ImportRecord> & { _id: string; _rev?: string }>(IMPORTS_DOCTYPE, id)
    if (existing) return new RecordStore(client, complete(stripType(existing), now), options)
    const fresh = { ...emptyImportRecord(now), _id: id }
    try {
      const created = await client.createDocWithId(IMPORTS_DOCTYPE, id, fresh as unknown as Record<string, unknown>)
      return new RecordStore(client, { ...fresh, _rev: String(created._rev) }, options)
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const raced = await client.getDoc<Partial<ImportRecord> & { _id: string }>(IMPORTS_DOCTYPE, id)
      if (!raced) throw err
      return new RecordStore(client, complete(stripType(raced), now), options)
    }
  }

  addError(error: ImportItemError): void {
    this.record.errorCount++
    if (this.record.errors.length < MAX_RECORDED_ERRORS) this.record.errors.push(error)
  }

  addNotice(notice: ImportItemError): void {
    if (this.record.notices.length < MAX_RECORDED_ERRORS) this.record.notices.push(notice)
  }

  /** Writes now (state changes, checkpoints, the end). */
  async save(): Promise<void> {
    // A failed write must not stop the ones after it.
    this.writing = this.writing.catch(() => undefined).then(() => this.write())
    await this.writing
  }

  /** Writes when the last write is more than `intervalMs` old (progress). */
  async saveSoon(intervalMs = 1000): Promise<void> {
    if (this.lost) throw this.lost
    if (Date.now() - this.lastWrite < intervalMs) return
    await this.save()
  }

  /**
   * Before new work: throws once the import was taken over, and renews the lease first when
   * the stack has not confirmed it for RENEW_MS (after a stall, the process may have lost it).
   */
  async guard(): Promise<void> {
    if (this.lost) throw this.lost
    if (this.client && this.record.lease && Date.now() > this.confirmedUntil - RENEW_MS * 2) await this.save()
  }

  /** Stops renewing (the run ended, whatever its outcome). */
  close(): void {
    if (this.renewal) clearInterval(this.renewal)
    this.renewal = null
  }

  private async write(): Promise<void> {
    if (this.lost) throw this.lost
    const startedAt = Date.now()
    this.lastWrite = startedAt
    this.record.updatedAt = new Date(startedAt).toISOString()
    // Writing a record means working on it; a job that ends (paused, done, failed) frees it.
    const holding = this.record.state === 'running' || this.record.state === 'checking'
    this.record.lease = holding ? leaseFor(this.options.jobId ?? null, this.holder, startedAt) : null
    this.refreshProgress()
    if (!this.client) return
    for (let attempt = 0; ; attempt++) {
      try {
        const saved = await this.client.updateDoc(IMPORTS_DOCTYPE, this.record as unknown as Record<string, unknown> & { _id: string })
        this.record._rev = String(saved._rev)
        this.knownLease = this.record.lease
        this.confirmedUntil = holding ? Date.parse(this.record.lease?.expiresAt ?? '') : 0
        this.renewWhileHolding(holding)
        return
      } catch (err) {
        if (!isStackError(err, 'conflict') || attempt >= 3) throw err
        const current = await this.client.getDoc<{ _id: string; _rev?: string; lease?: ImportLease | null }>(IMPORTS_DOCTYPE, this.record._id)
        const lease = current?.lease ?? null
        // Our own lease there: a write of ours whose answer was lost. The one we last saw: someone
        // wrote besides the lease (the app noting its job). Anything else, even no lease (another
        // run took the import over and ended it), means this run no longer holds it.
        if (lease?.holder !== this.holder && !sameLease(lease, this.knownLease)) {
          this.close()
          this.lost = new LeaseLostError(`The import was taken over by ${lease?.jobId ? `job ${lease.jobId}` : 'another run'}; this run stopped writing.`)
          throw this.lost
        }
        this.record._rev = current?._rev
      }
    }
  }

  private renewWhileHolding(holding: boolean): void {
    if (!holding) return this.close()
    if (this.renewal) return
    this.renewal = setInterval(() => {
      if (Date.now() - this.lastWrite < RENEW_MS / 2) return
      this.save().catch(err => {
        if (!(err instanceof LeaseLostError)) this.options.log?.(`the import's lease was not renewed: ${err instanceof Error ? err.message : String(err)}`)
      })
    }, RENEW_MS / 2)
    this.renewal.unref()
  }

  private refreshProgress(): void {
    const p = this.record.progress
    p.bytesDone = 0
    p.bytesPlanned = 0
    p.itemsDone = 0
    p.itemsPlanned = 0
    // Apps left out are in the report, not in the progress of what is being imported.
    for (const a of this.record.apps) {
      if (!a.selected) continue
      p.bytesDone += a.bytes
      p.bytesPlanned += a.plannedBytes
      p.itemsDone += a.imported + a.skipped + a.notSelected + a.failed
      p.itemsPlanned += a.total
    }
  }
}

function stripType<T extends object>(doc: T): T {
  const { _type: _ignored, ...rest } = doc as T & { _type?: unknown }
  return rest as T
}
