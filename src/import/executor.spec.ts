import type { ShareGrant } from '../ent/node'
import { normaliseRecipients, stableId } from './executor'
import { detailOf, kindOfStatus } from './stack/errors'

const grant = (fields: Partial<ShareGrant>): ShareGrant => ({ app: 'blog', resourceId: 'r1', kind: 'user', entId: 'u1', role: 'read', actions: [], inherited: false, ...fields })

describe('pending share recipients', () => {
  it('keeps one recipient per ENT user or group, with the strongest role and a name hint', () => {
    const names = new Map([['u1', 'Alice Martin']])
    const recipients = normaliseRecipients(
      [grant({ entId: 'g1', kind: 'group', role: 'read', inherited: true }), grant({ role: 'read' }), grant({ role: 'manager', inherited: true }), grant({ entId: 'g1', kind: 'group', role: 'contrib', inherited: true }), grant({ entId: 'u2', role: 'comment' })],
      names
    )
    expect(recipients).toEqual([
      { kind: 'user', entId: 'u1', role: 'manager', inherited: false, nameHint: 'Alice Martin' },
      { kind: 'user', entId: 'u2', role: 'comment', inherited: false, nameHint: null },
      { kind: 'group', entId: 'g1', role: 'contrib', inherited: true, nameHint: null }
    ])
  })

  it('derives document ids from the import and the key only', () => {
    expect(stableId('ent', 'imp', 'calendar/event/1')).toBe(stableId('ent', 'imp', 'calendar/event/1'))
    expect(stableId('ent', 'imp', 'calendar/event/1')).not.toBe(stableId('ent', 'imp2', 'calendar/event/1'))
    expect(stableId('share', 'imp', 'k')).toMatch(/^share-[0-9a-f]{32}$/)
  })
})

describe('stack errors', () => {
  it('maps statuses the way the engine reacts to them', () => {
    expect([401, 403, 404, 409, 413, 412, 422, 500, 503].map(kindOfStatus)).toEqual(['forbidden', 'forbidden', 'not-found', 'conflict', 'quota', 'invalid', 'invalid', 'unavailable', 'unavailable'])
  })

  it('reads JSON:API, CouchDB and plain error bodies', () => {
    expect(detailOf('{"errors":[{"status":"409","title":"Conflict","detail":"file already exists"}]}')).toBe('file already exists')
    expect(detailOf('{"error":"conflict","reason":"Document update conflict."}')).toBe('Document update conflict.')
    expect(detailOf('Bad Gateway')).toBe('Bad Gateway')
  })
})
