/**
 * The import record's lease: which process writes an import now. A job that dies (killed at its
 * time limit, out of memory, the server restarted) leaves its record `running`; the next job must
 * know at once whether anyone is still writing, and a job that was merely slow must stop writing
 * once another took its place.
 *
 * - The holder renews the lease every RENEW_MS with each record write (RecordStore), and starts
 *   no new operation on a lease it has not confirmed for RENEW_MS.
 * - Another job takes the record over when the lease is its own job's (a retry: the stack runs
 *   the next execution of a job only once the previous one ended, model/job/worker.go task.run),
 *   when the lease expired, or when the stack says the holder's job ended (GET /jobs/:id,
 *   docs/jobs.md: a killed konnector's job is retried under the same id, then `errored`).
 * - Every record write is conditional on its revision: a holder that finds another lease in the
 *   record has been taken over, and stops (LeaseLostError).
 */
import { randomUUID } from 'crypto'
import type { ImportLease, ImportRecord } from './records'
import type { StackClient } from './stack/client'
import { isStackError } from './stack/errors'

/** How long a lease holds without renewal: short, since only the command line's leases need it to end. */
export const LEASE_MS = 30_000
/** How often the holder renews it (three renewals may fail before another job may take over). */
export const RENEW_MS = 10_000

/** This process no longer holds the import: another job took it over. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LeaseLostError'
  }
}

/** A holder id for one run of the engine. */
export function newHolder(): string {
  return randomUUID()
}

export function leaseFor(jobId: string | null, holder: string, now = Date.now()): ImportLease {
  return { jobId, holder, expiresAt: new Date(now + LEASE_MS).toISOString() }
}

/**
 * The lease a record is under: none unless a job is writing it; a record written before leases
 * existed is held by its job until LEASE_MS after its last write.
 */
export function leaseOf(record: ImportRecord): ImportLease | null {
  if (record.state !== 'running' && record.state !== 'checking') return null
  if (record.lease) return record.lease
  const written = Date.parse(record.updatedAt)
  return { jobId: record.jobId, holder: '', expiresAt: new Date((Number.isFinite(written) ? written : 0) + LEASE_MS).toISOString() }
}

export function sameLease(a: ImportLease | null | undefined, b: ImportLease | null | undefined): boolean {
  if (!a || !b) return !a && !b
  return a.holder === b.holder && a.jobId === b.jobId && a.expiresAt === b.expiresAt
}

export type LeaseCheck = { held: false; why: string } | { held: true; why: string; lease: ImportLease }

/** The holder's job as the stack knows it: null when it has none, undefined when it cannot say (no permission, unreachable). */
async function jobStateOf(client: StackClient, jobId: string): Promise<string | null | undefined> {
  try {
    return await client.jobState(jobId)
  } catch (err) {
    if (isStackError(err, 'forbidden') || isStackError(err, 'unavailable') || isStackError(err, 'invalid')) return undefined
    throw err
  }
}

/** Whether another live process holds the record, for a job `jobId` about to run it. */
export async function checkLease(record: ImportRecord, jobId: string | null, client: StackClient | null, now = Date.now()): Promise<LeaseCheck> {
  const lease = leaseOf(record)
  if (!lease) return { held: false, why: `the import is ${record.state}` }
  if (jobId && lease.jobId === jobId) return { held: false, why: `a new execution of job ${jobId}: the one before it ended` }
  if (Date.parse(lease.expiresAt) <= now) return { held: false, why: `the lease of ${lease.jobId ? `job ${lease.jobId}` : 'its last run'} expired at ${lease.expiresAt}` }
  if (lease.jobId && client) {
    const state = await jobStateOf(client, lease.jobId)
    if (state === null || state === 'done' || state === 'errored') return { held: false, why: `job ${lease.jobId} holding it ${state === null ? 'no longer exists' : `is ${state}`}` }
    if (state !== undefined) return { held: true, why: `job ${lease.jobId} is ${state} and holds it until ${lease.expiresAt}`, lease }
  }
  return { held: true, why: `${lease.jobId ? `job ${lease.jobId}` : 'another run'} holds it until ${lease.expiresAt}`, lease }
}
