import { newSession, sameSecret, SessionSealer, SessionTooLargeError, MAX_COOKIE_VALUE } from './session'

const SECRET = 'another-test-secret-0123456789abcdef'

describe('SessionSealer', () => {
  const sealer = new SessionSealer(SECRET, 600, 3600)
  const session = {
    ...newSession('fr', 600),
    source: { url: 'https://alice.mycozy.cloud/', token: 'tok-secret-value', clientId: 'c1', clientSecret: 's1', used: 12, vault: false }
  }

  it('gives back the session it sealed, with a fresh expiry', () => {
    const now = Date.now()
    const opened = sealer.unseal(sealer.seal(session, now), now)
    expect(opened?.source).toEqual(session.source)
    expect(opened?.csrf).toBe(session.csrf)
    expect(opened?.exp).toBe(Math.floor(now / 1000) + 600)
  })

  it('keeps the tokens unreadable in the cookie', () => {
    const value = sealer.seal(session)
    expect(value).not.toContain('tok-secret-value')
    expect(Buffer.from(value.split('.')[2], 'base64url').toString('latin1')).not.toContain('tok-secret-value')
  })

  it('refuses a value changed anywhere, signed with another secret, or expired', () => {
    const now = Date.now()
    const value = sealer.seal(session, now)
    const parts = value.split('.')
    for (let i = 1; i < 4; i++) {
      const changed = [...parts]
      changed[i] = (changed[i][0] === 'A' ? 'B' : 'A') + changed[i].slice(1)
      expect(sealer.unseal(changed.join('.'), now)).toBeUndefined()
    }
    expect(new SessionSealer(`${SECRET}-other`, 600, 3600).unseal(value, now)).toBeUndefined()
    expect(sealer.unseal(value, now + 601_000)).toBeUndefined()
    expect(sealer.unseal('v1.a.b', now)).toBeUndefined()
    expect(sealer.unseal(undefined, now)).toBeUndefined()
  })

  it('ends a session at its absolute lifetime however active it is', () => {
    const start = Date.now()
    const fresh = newSession('en', 600, start)
    let value = sealer.seal(fresh, start)
    // A step every 9 minutes keeps it alive (idle lifetime 10 min)…
    for (let minute = 9; minute < 60; minute += 9) {
      const opened = sealer.unseal(value, start + minute * 60_000)
      expect(opened?.id).toBe(fresh.id)
      value = sealer.seal(opened!, start + minute * 60_000)
    }
    // …until one hour after its start, where the cookie's own expiry stops too.
    expect(sealer.unseal(value, start + 3599_000)?.id).toBe(fresh.id)
    expect(sealer.unseal(value, start + 3600_000)).toBeUndefined()
    expect(sealer.unseal(sealer.seal(fresh, start + 3599_000), start + 3601_000)).toBeUndefined()
  })

  it('refuses a session without an id or a start (sealed by an older wizard)', () => {
    const now = Date.now()
    const old = { ...newSession('fr', 600, now), id: undefined, iat: undefined }
    expect(sealer.unseal(sealer.seal(old as never, now), now)).toBeUndefined()
  })

  it('refuses to write a cookie browsers would drop', () => {
    const huge = { ...session, source: { ...session.source, token: 'x'.repeat(MAX_COOKIE_VALUE) } }
    expect(() => sealer.seal(huge)).toThrow(SessionTooLargeError)
  })

  it('holds two real-sized move tokens and their clients', () => {
    const jwt = `${'e'.repeat(36)}.${'p'.repeat(280)}.${'s'.repeat(86)}`
    const side = { token: jwt, clientId: 'c'.repeat(32), clientSecret: 's'.repeat(44), used: 1e12, quota: 2e12, vault: true }
    const full = { ...session, source: { url: 'https://alice-longer-name.mycozy.cloud/', ...side }, target: { url: 'https://alice.cozy.example.org/', ...side } }
    expect(sealer.unseal(sealer.seal(full))?.target?.token).toBe(jwt)
  })
})

describe('sameSecret', () => {
  it('compares in constant time and refuses missing values', () => {
    expect(sameSecret('abc', 'abc')).toBe(true)
    expect(sameSecret('abc', 'abd')).toBe(false)
    expect(sameSecret('abc', 'abcd')).toBe(false)
    expect(sameSecret(undefined, 'abc')).toBe(false)
  })
})
