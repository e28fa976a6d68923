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
import type { Outcome } from './executor'
import type { Op } from './plan'
import type { ImportAppReport, ImportErrorCode, ImportItemError, ImportLease, ImportRecord, ImportReport } from './records'
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

/**
 * Where a run stopped: every operation of `apps[appIndex]` below `lowWater` is done, and every
 * app before it. Kept in the record; a run whose app list differs starts again from the top.
 */
export interface ImportCheckpoint {
  version: 1
  apps: string[]
  appIndex: number
  lowWater: number
}

/** The record's checkpoint when it is one for this list of apps. */
export function readCheckpoint(value: unknown, apps: string[]): ImportCheckpoint | null {
  if (!value || typeof value !== 'object') return null
  const c = value as Partial<ImportCheckpoint>
  if (c.version !== 1 || !Array.isArray(c.apps) || c.apps.join('\n') !== apps.join('\n')) return null
  if (typeof c.appIndex !== 'number' || typeof c.lowWater !== 'number') return null
  return { version: 1, apps, appIndex: c.appIndex, lowWater: c.lowWater }
}

/** Items an app's line of the ledger has an outcome for. */
export function accounted(report: ImportAppReport): number {
  return report.imported + report.skipped + report.notSelected + report.failed
}

/** What a job starting on the record knows before reading any app. */
export interface ImportStart {
  jobId: string | null
  archive: ImportRecord['archive']
  selection: string[] | null
  includeTrash: boolean
  /** Asked for (true/false) or left to the record's choice (undefined). */
  copy?: boolean
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

  // ---- the record's state changes: the engine goes through these, never through its fields ----

  /** A job starts (or resumes) the import: `checking`, nothing written to the Cozy yet. */
  begin(start: ImportStart): void {
    const record = this.record
    record.state = 'checking'
    record.jobId = start.jobId
    record.jobs += 1
    record.startedAt ??= new Date().toISOString()
    record.archive = start.archive
    record.selection = start.selection
    record.includeTrash = start.includeTrash
    record.copy = start.copy ?? record.copy ?? false
    record.error = null
  }

  /** The ledger, every app of the archive with its items counted, replaces the record's. */
  setLedger(apps: ImportAppReport[]): void {
    this.record.apps = apps
  }

  /** A refusal before anything was written (empty selection, no room): `failed`, for good. */
  async refuse(code: ImportErrorCode, message: string): Promise<void> {
    this.record.state = 'failed'
    this.record.error = { code, message }
    this.record.finishedAt = new Date().toISOString()
    if (this.client) await this.save()
  }

  /** Checks passed: the import writes from now on. */
  async startWriting(): Promise<void> {
    this.record.state = 'running'
    await this.save()
  }

  /** The import folder went away: nothing the record counts as done is there any more. */
  forgetWritten(): void {
    this.record.pendingShares = 0
    for (const app of this.record.apps) if (app.selected) Object.assign(app, { state: 'pending', imported: 0, skipped: 0, notSelected: 0, failed: 0, bytes: 0 })
  }

  /** Where the import writes, and whose documents that folder holds. */
  async setImportFolder(place: { folder: { id: string; path: string }; destination?: { id: string; path: string }; identity?: string }): Promise<void> {
    if (place.destination) this.record.destination = { id: place.destination.id, path: place.destination.path }
    if (place.identity !== undefined) this.record.identity = place.identity
    this.record.importFolder = place.folder
    await this.save()
  }

  /** The app at `index` of the ledger starts; its line, which outcomes are counted into. */
  startApp(index: number): ImportAppReport {
    const report = this.record.apps[index]
    report.state = 'running'
    return report
  }

  /** The mark moved (written with the next save): the checkpoint and the pending shares it matches. */
  moveMark(checkpoint: ImportCheckpoint, pendingShares: number): void {
    this.record.checkpoint = checkpoint
    this.record.pendingShares = pendingShares
  }

  /** One run of an app ended (done, paused or failed): its time and the shares it left. */
  endAppRun(index: number, durationMs: number, pendingShares: number): void {
    this.record.apps[index].durationMs += durationMs
    this.record.pendingShares = pendingShares
  }

  /** An operation's outcome, folded in operation order. */
  countOutcome(report: ImportAppReport, op: Op, outcome: Outcome): void {
    report[outcome.status] += op.items ?? 0
    report.bytes += outcome.bytes
    if (outcome.status === 'failed') this.addError({ app: op.app, item: op.label, reason: outcome.reason ?? 'unknown reason' })
    else if (op.notice && outcome.status === 'imported') this.addNotice({ app: op.app, item: op.label, reason: op.notice })
  }

  /** An operation of a dry run, counted as the executor would report it. */
  countPlanned(report: ImportAppReport, op: Op): void {
    const items = op.items ?? 0
    if (op.kind === 'fail') {
      report.failed += items
      this.addError({ app: op.app, item: op.label, reason: op.reason })
    } else if (op.kind === 'account') report.notSelected += items
    else if (op.kind === 'file' && op.keptAs) {
      // Kept as is but not understood: the executor reports it failed, so does the plan.
      report.failed += items
      this.addError({ app: op.app, item: op.label, reason: op.keptAs })
    } else {
      report.imported += items
      if (op.notice) this.addNotice({ app: op.app, item: op.label, reason: op.notice })
    }
  }

  /**
   * An app whose data could not be read to its end: the items not reached fail, with the
   * reason, so the report still adds up to what the archive holds.
   */
  failUnread(report: ImportAppReport, item: { app: string; folder: string | null }, reason: string): void {
    const missing = report.total - accounted(report)
    if (missing > 0) report.failed += missing
    else report.total = accounted(report)
    this.addError({ app: item.app, item: item.folder ?? item.app, reason: missing > 0 ? `${missing} items were not reached: ${reason}` : reason })
  }

  /** An app is done (in a dry run, nothing is saved). */
  async appDone(index: number, next?: ImportCheckpoint): Promise<void> {
    this.record.apps[index].state = 'done'
    if (!next) return
    this.record.checkpoint = next
    await this.save()
  }

  /** The time budget is spent: the next job goes on from `checkpoint`. */
  async pause(checkpoint: ImportCheckpoint): Promise<void> {
    this.record.checkpoint = checkpoint
    this.record.state = 'paused'
    await this.save()
  }

  /** A failure that stops the import while writing (quota, permissions, a stack down). */
  async failWriting(checkpoint: ImportCheckpoint, code: ImportErrorCode, message: string): Promise<void> {
    this.record.checkpoint = checkpoint
    this.record.state = 'failed'
    this.record.error = { code, message }
    this.record.report = reportOf(this.record)
    await this.save()
  }

  /** Every selected app done: the report is final. */
  async finish(): Promise<ImportReport> {
    this.record.state = 'done'
    this.record.finishedAt = new Date().toISOString()
    this.record.report = reportOf(this.record)
    await this.save()
    return this.record.report
  }

  /** A dry run's end: nothing was written, nothing is saved. */
  finishDryRun(): void {
    this.record.state = 'done'
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
