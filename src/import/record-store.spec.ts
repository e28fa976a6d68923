import { accounted, readCheckpoint, RecordStore } from './record-store'
import type { Op } from './plan'
import type { ImportAppReport } from './records'

function line(app: string, total: number): ImportAppReport {
  return { app, folder: app, selected: true, state: 'pending', total, imported: 0, skipped: 0, notSelected: 0, failed: 0, bytes: 0, plannedBytes: 10, durationMs: 0 }
}

const start = { jobId: 'job-1', archive: { fileId: 'f', name: 'a.zip', size: 3, exportId: 'e', exportedAt: null }, selection: null, includeTrash: false }

describe('the import record’s state changes (in memory: no stack)', () => {
  it('counts each job that begins and keeps the first start date', async () => {
    const store = await RecordStore.open(null, 'ent-import-f')
    store.begin(start)
    const first = store.record.startedAt
    expect(store.record).toMatchObject({ state: 'checking', jobs: 1, jobId: 'job-1', copy: false, error: null })
    await store.pause({ version: 1, apps: ['blog'], appIndex: 0, lowWater: 3 })
    store.begin({ ...start, jobId: 'job-2' })
    expect(store.record).toMatchObject({ state: 'checking', jobs: 2, jobId: 'job-2' })
    expect(store.record.startedAt).toBe(first)
  })

  it('pauses with a checkpoint that a resumed run reads back only for the same apps', async () => {
    const store = await RecordStore.open(null, 'ent-import-f')
    store.begin(start)
    await store.pause({ version: 1, apps: ['workspace', 'blog'], appIndex: 1, lowWater: 7 })
    expect(store.record.state).toBe('paused')
    expect(readCheckpoint(store.record.checkpoint, ['workspace', 'blog'])).toEqual({ version: 1, apps: ['workspace', 'blog'], appIndex: 1, lowWater: 7 })
    expect(readCheckpoint(store.record.checkpoint, ['workspace'])).toBeNull()
  })

  it('folds outcomes into the app’s line and fails what was not reached, so the line adds up', async () => {
    const store = await RecordStore.open(null, 'ent-import-f')
    store.setLedger([line('blog', 5)])
    const report = store.startApp(0)
    const op = { kind: 'file', app: 'blog', label: 'post.html', items: 1 } as unknown as Op
    store.countOutcome(report, op, { status: 'imported', bytes: 4, pendingShare: false })
    store.countOutcome(report, op, { status: 'failed', bytes: 0, reason: 'refused', pendingShare: false })
    store.failUnread(report, { app: 'blog', folder: 'Blog' }, 'truncated')
    expect(report).toMatchObject({ state: 'running', imported: 1, failed: 4, bytes: 4 })
    expect(accounted(report)).toBe(report.total)
    expect(store.record.errors.map(e => e.reason)).toEqual(['refused', '3 items were not reached: truncated'])
    expect(store.record.errorCount).toBe(2)
  })

  it('ends with a report of the ledger, or failed with the code', async () => {
    const done = await RecordStore.open(null, 'ent-import-a')
    done.setLedger([line('blog', 1)])
    await done.appDone(0, { version: 1, apps: ['blog'], appIndex: 1, lowWater: 0 })
    const report = await done.finish()
    expect(done.record.state).toBe('done')
    expect(done.record.finishedAt).not.toBeNull()
    expect(report.apps).toEqual([expect.objectContaining({ app: 'blog', items: 1 })])

    const refused = await RecordStore.open(null, 'ent-import-b')
    await refused.refuse('EMPTY_SELECTION', 'none')
    expect(refused.record).toMatchObject({ state: 'failed', error: { code: 'EMPTY_SELECTION', message: 'none' } })
  })
})
