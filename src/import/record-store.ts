/**
 * Keeps the import record (io.cozy.mesdonnees.imports) up to date on the stack: created when
 * missing, written at most once a second while work goes on (the app shows it live), and at
 * every step that matters (state changes, checkpoints). The engine is its only writer; if
 * someone else wrote in between (a revision conflict), the engine's version wins.
 */
import type { ImportItemError, ImportRecord, ImportReport } from './records'
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
    errors: Array.isArray(doc.errors) ? doc.errors : []
  }
}

export function reportOf(record: ImportRecord): ImportReport {
  return {
    state: record.state,
    importFolder: record.importFolder,
    apps: record.apps.map(a => ({ app: a.app, folder: a.folder, items: a.total, imported: a.imported, skipped: a.skipped, notSelected: a.notSelected, failed: a.failed, bytes: a.bytes, durationMs: a.durationMs })),
    pendingShares: record.pendingShares,
    errors: record.errors
  }
}

export class RecordStore {
  private lastWrite = 0
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    private readonly client: StackClient | null,
    public record: ImportRecord & { _id: string }
  ) {}

  /** The record with this id, created when missing. `client` null: kept in memory only (dry runs). */
  static async open(client: StackClient | null, id: string, now = new Date()): Promise<RecordStore> {
    if (!client) return new RecordStore(null, { ...emptyImportRecord(now), _id: id })
    const existing = await client.getDoc<Partial<ImportRecord> & { _id: string; _rev?: string }>(IMPORTS_DOCTYPE, id)
    if (existing) return new RecordStore(client, complete(stripType(existing), now))
    const fresh = { ...emptyImportRecord(now), _id: id }
    try {
      const created = await client.createDocWithId(IMPORTS_DOCTYPE, id, fresh as unknown as Record<string, unknown>)
      return new RecordStore(client, { ...fresh, _rev: String(created._rev) })
    } catch (err) {
      if (!isStackError(err, 'conflict')) throw err
      const raced = await client.getDoc<Partial<ImportRecord> & { _id: string }>(IMPORTS_DOCTYPE, id)
      if (!raced) throw err
      return new RecordStore(client, complete(stripType(raced), now))
    }
  }

  addError(error: ImportItemError): void {
    this.record.errorCount++
    if (this.record.errors.length < MAX_RECORDED_ERRORS) this.record.errors.push(error)
  }

  /** Writes now (state changes, checkpoints, the end). */
  async save(): Promise<void> {
    this.writing = this.writing.then(() => this.write())
    await this.writing
  }

  /** Writes when the last write is more than `intervalMs` old (progress). */
  async saveSoon(intervalMs = 1000): Promise<void> {
    if (Date.now() - this.lastWrite < intervalMs) return
    await this.save()
  }

  private async write(): Promise<void> {
    this.lastWrite = Date.now()
    this.record.updatedAt = new Date().toISOString()
    this.refreshProgress()
    if (!this.client) return
    for (let attempt = 0; ; attempt++) {
      try {
        const saved = await this.client.updateDoc(IMPORTS_DOCTYPE, this.record as unknown as Record<string, unknown> & { _id: string })
        this.record._rev = String(saved._rev)
        return
      } catch (err) {
        if (!isStackError(err, 'conflict') || attempt >= 3) throw err
        const current = await this.client.getDoc<{ _id: string; _rev?: string }>(IMPORTS_DOCTYPE, this.record._id)
        this.record._rev = current?._rev
      }
    }
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
