import { importToFollow, REPORT_KEPT_MS } from './ongoing-import'
import type { ImportRecord } from '../../import/records'

const NOW = Date.parse('2026-04-02T10:00:00.000Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()

function record(id: string, state: ImportRecord['state'], updatedMsAgo: number, finishedMsAgo: number | null = null) {
  return { _id: id, state, archive: { fileId: `file-${id}`, name: `${id}.zip`, size: 1, exportId: null, exportedAt: null }, updatedAt: ago(updatedMsAgo), finishedAt: finishedMsAgo === null ? null : ago(finishedMsAgo) }
}

describe('the import the page follows on opening', () => {
  it('is the newest import at work, whichever browser started it', () => {
    const records = [record('new', 'done', 1000, 1000), record('running', 'running', 5000), record('older', 'checking', 8000)]
    expect(importToFollow(records, null, NOW)).toBe('running')
    expect(importToFollow(records, 'new', NOW)).toBe('running')
    // queued (the app made the record, the job is on its way) and paused (a continuation is queued) are at work too
    expect(importToFollow([record('q', 'queued', 30_000)], null, NOW)).toBe('q')
    expect(importToFollow([record('p', 'paused', 60_000)], null, NOW)).toBe('p')
  })

  it('leaves imports idle for long to the "not finished" warning', () => {
    expect(importToFollow([record('stuck', 'running', 11 * 60 * 1000)], null, NOW)).toBeNull()
    expect(importToFollow([record('stuck', 'running', 11 * 60 * 1000)], 'stuck', NOW)).toBeNull()
    expect(importToFollow([record('never', 'queued', 3 * 60 * 1000)], null, NOW)).toBeNull()
  })

  it('shows again, for a day, the report of the import this browser followed', () => {
    const done = record('mine', 'done', 60_000, 60_000)
    expect(importToFollow([done], 'mine', NOW)).toBe('mine')
    expect(importToFollow([record('mine', 'failed', 60_000, 60_000)], 'mine', NOW)).toBe('mine')
    expect(importToFollow([done], null, NOW)).toBeNull()
    expect(importToFollow([done], 'other', NOW)).toBeNull()
    expect(importToFollow([record('mine', 'done', REPORT_KEPT_MS + 1, REPORT_KEPT_MS + 1)], 'mine', NOW)).toBeNull()
  })
})
