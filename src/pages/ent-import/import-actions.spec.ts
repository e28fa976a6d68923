import { isResumable, selectionOf } from './import-actions'
import { TRASH_ITEM } from './preview/items'

const at = (iso: string) => new Date(iso).getTime()
const record = (state: 'queued' | 'running' | 'paused' | 'checking' | 'done' | 'failed', updatedAt: string, fileId: string | null = 'f1') => ({
  state,
  updatedAt,
  archive: { fileId, name: 'a.zip', size: 1, exportId: null, exportedAt: null }
})

describe('import actions', () => {
  it('sends app keys and the trash flag, one key per app', () => {
    const items = [
      { id: 'workspace', app: 'workspace' },
      { id: TRASH_ITEM, app: 'trash' },
      { id: 'blog', app: 'blog' },
      { id: 'unknown:Cahier de textes', app: 'unknown' },
      { id: 'unknown:Divers', app: 'unknown' }
    ].map(i => ({ ...i, folder: null, documents: 0, records: 0, items: null, bytes: 0, known: true, defaultSelected: true }))
    expect(selectionOf({ items }, new Set(['workspace', 'unknown:Divers', 'unknown:Cahier de textes']))).toEqual({ selection: ['workspace', 'unknown'], includeTrash: false })
    expect(selectionOf({ items }, new Set(['blog', TRASH_ITEM]))).toEqual({ selection: ['blog'], includeTrash: true })
  })

  it('offers to resume failed and stalled imports only', () => {
    const now = at('2026-04-02T10:00:00Z')
    expect(isResumable(record('failed', '2026-04-02T09:59:00Z'), now)).toBe(true)
    expect(isResumable(record('done', '2026-04-01T09:00:00Z'), now)).toBe(false)
    // Just started: the konnector has not picked it up yet.
    expect(isResumable(record('queued', '2026-04-02T09:59:30Z'), now)).toBe(false)
    expect(isResumable(record('queued', '2026-04-02T09:50:00Z'), now)).toBe(true)
    expect(isResumable(record('running', '2026-04-02T09:55:00Z'), now)).toBe(false)
    expect(isResumable(record('paused', '2026-04-02T09:40:00Z'), now)).toBe(true)
    // A running import follows its lease: held while it lasts (and a minute for the stack's
    // retry of a killed job), waiting for the user once it has run out, however recent the write.
    const leased = (expiresAt: string) => ({ ...record('running', '2026-04-02T09:59:50Z'), lease: { jobId: 'j1', holder: 'h1', expiresAt } })
    expect(isResumable(leased('2026-04-02T10:00:20Z'), now)).toBe(false)
    expect(isResumable(leased('2026-04-02T09:59:30Z'), now)).toBe(false)
    expect(isResumable(leased('2026-04-02T09:58:30Z'), now)).toBe(true)
    // A local archive (command line) cannot be started again from the app.
    expect(isResumable(record('failed', '2026-04-02T09:59:00Z', null), now)).toBe(false)
  })
})
