import { checkLease, LEASE_MS, leaseFor, leaseOf, sameLease } from './lease'
import { emptyImportRecord, type ImportRecord } from './records'

const NOW = Date.parse('2026-12-03T12:00:00Z')

function record(fields: Partial<ImportRecord>): ImportRecord {
  return { ...emptyImportRecord(new Date(NOW - 60_000)), ...fields }
}

describe('the import lease without a stack to ask', () => {
  it('holds a running record until its expiry, for anyone but a new execution of its own job', async () => {
    const running = record({ state: 'running', jobId: 'job-a', lease: leaseFor('job-a', 'process-1', NOW - 5_000) })
    expect(await checkLease(running, 'job-b', null, NOW)).toMatchObject({ held: true })
    expect(await checkLease(running, null, null, NOW)).toMatchObject({ held: true })
    expect(await checkLease(running, 'job-a', null, NOW)).toMatchObject({ held: false })
    expect(await checkLease(running, 'job-b', null, NOW - 5_000 + LEASE_MS)).toMatchObject({ held: false })
  })

  it('holds nothing once the import paused, ended or never started', async () => {
    for (const state of ['queued', 'paused', 'done', 'failed'] as const) {
      expect(await checkLease(record({ state, lease: leaseFor('job-a', 'process-1', NOW) }), 'job-b', null, NOW)).toMatchObject({ held: false })
    }
  })

  it('gives a record written before leases existed a lease ending LEASE_MS after its last write', () => {
    const old = record({ state: 'running', jobId: 'job-a', updatedAt: new Date(NOW).toISOString() })
    expect(leaseOf(old)).toEqual({ jobId: 'job-a', holder: '', expiresAt: new Date(NOW + LEASE_MS).toISOString() })
  })

  it('tells a renewed or another holder’s lease from the one seen', () => {
    const seen = leaseFor('job-a', 'process-1', NOW)
    expect(sameLease(seen, { ...seen })).toBe(true)
    expect(sameLease(seen, leaseFor('job-a', 'process-1', NOW + 1))).toBe(false)
    expect(sameLease(seen, leaseFor('job-a', 'process-2', NOW))).toBe(false)
    expect(sameLease(seen, null)).toBe(false)
    expect(sameLease(null, undefined)).toBe(true)
  })
})
