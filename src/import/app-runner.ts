/**
 * Runs one app of an import: plans it item by item and runs its operations with at most
 * `concurrency` in flight (an item waits for its folder's creation in the executor). Outcomes are folded
 * into the record in operation order, so the record's counts and the low-water mark always
 * agree.
 */
import type { AppLocation, EntArchive } from '../ent/node'
import { FatalImportError, type Executor, type Outcome } from './executor'
import { TimeBudgetError } from './html'
import { LeaseLostError } from './lease'
import type { Op, Planner } from './plan'
import { accounted, type RecordStore } from './record-store'
import type { ImportAppReport } from './records'

export interface AppRun {
  location: AppLocation
  /** The app's line of the ledger. */
  report: ImportAppReport
  planner: Planner
  executor: Executor
  store: RecordStore
  archive: EntArchive
  lowWater: number
  concurrency: number
  deadline: number | null
  log: (line: string) => void
  /** Called as the low-water mark moves, with the pending shares folded so far in this run of the app. */
  onLowWater: (lowWater: number, pendingShares: number) => void
}

export interface AppResult {
  /** Every operation below this is done. */
  lowWater: number
  stopped: boolean
  fatal: FatalImportError | null
  pendingShares: number
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export class AppRunner {
  private readonly done = new Map<number, { op: Op; outcome: Outcome }>()
  private readonly inFlight = new Set<Promise<void>>()
  private lowWater: number
  private seq = 0
  private stopped = false
  private fatal: FatalImportError | null = null
  private pendingShares = 0

  constructor(private readonly app: AppRun) {
    this.lowWater = app.lowWater
  }

  async run(): Promise<AppResult> {
    const { location, planner, store, report } = this.app
    planner.startApp(location)
    let going = true
    let unread: string | null = null
    let lost: LeaseLostError | null = null
    try {
      for await (const item of this.app.archive.readApp(location)) {
        // Items an earlier job wrote are planned again without a deadline (stopping there would
        // never move on); past them, a long conversion stops the job before its item.
        if (this.seq >= this.lowWater) planner.setDeadline(this.app.deadline)
        going = await this.dispatch(planner.plan(item))
        if (!going) break
      }
      if (going) going = await this.dispatch(planner.finishApp())
    } catch (err) {
      // The app's data could not be read past this point: keep what was imported, fail the rest.
      if (err instanceof LeaseLostError) lost = err
      else if (err instanceof TimeBudgetError) this.stopped = true
      else if (err instanceof FatalImportError) this.fatal ??= err
      else unread = `the rest of this application could not be read (${messageOf(err)})`
    }
    await Promise.allSettled([...this.inFlight])
    if (lost) throw lost
    this.fold()
    if (!this.stopped && !this.fatal && (unread !== null || (going && accounted(report) !== report.total))) {
      store.failUnread(report, location, unread ?? 'the application yielded a different number of items than counted')
    }
    // Operations after a gap (one still running when the process stopped) are redone next time.
    this.done.clear()
    return { lowWater: this.lowWater, stopped: this.stopped, fatal: this.fatal, pendingShares: this.pendingShares }
  }

  private fold(): void {
    const before = this.lowWater
    while (this.done.has(this.lowWater)) {
      const { op, outcome } = this.done.get(this.lowWater) as { op: Op; outcome: Outcome }
      this.done.delete(this.lowWater)
      this.lowWater++
      this.app.store.countOutcome(this.app.report, op, outcome)
      if (outcome.pendingShare) this.pendingShares++
    }
    // The record's next write carries the mark with the counts it matches: a process killed
    // between two checkpoints loses at most a second of bookkeeping, never data.
    if (this.lowWater !== before) this.app.onLowWater(this.lowWater, this.pendingShares)
  }

  private async execute(op: Op, at: number): Promise<void> {
    try {
      const outcome = await this.app.executor.run(op)
      this.done.set(at, { op, outcome })
    } catch (err) {
      this.fatal ??= err instanceof FatalImportError ? err : new FatalImportError('UNKNOWN_ERROR', messageOf(err))
    }
    this.fold()
  }

  /** Starts the operations of one planned item; false once the run must stop. */
  private async dispatch(ops: Op[]): Promise<boolean> {
    for (const op of ops) {
      const at = this.seq++
      if (at < this.lowWater) continue
      if (this.fatal) return false
      if (this.app.deadline !== null && Date.now() >= this.app.deadline) {
        this.stopped = true
        return false
      }
      // No new write on a lease another job may have taken over.
      await this.app.store.guard()
      // Folders too run beside the other operations: the executor registers a folder's creation
      // before its first await, so the items planned after it wait for that creation, not the plan.
      while (this.inFlight.size >= this.app.concurrency) await Promise.race(this.inFlight)
      const p = this.execute(op, at).finally(() => this.inFlight.delete(p))
      this.inFlight.add(p)
      await this.app.store.saveSoon().catch(err => {
        if (err instanceof LeaseLostError) throw err
        this.app.log(`record not saved: ${messageOf(err)}`)
      })
    }
    return true
  }
}
