import { canSwap, checkMove, cozyIdentity, isReady, parseBytes, sameCozy } from './move-checks'
import type { CozySide } from './session'

const GB = 1e9
const withToken = (url: string, extra: Partial<CozySide> = {}): CozySide => ({ url, token: 't', clientId: 'c', clientSecret: 's', vault: false, ...extra })
const withCode = (url: string, extra: Partial<CozySide> = {}): CozySide => ({ url, code: 'code', vault: false, ...extra })

describe('checkMove', () => {
  it('refuses the same Cozy, whatever the case of its address', () => {
    expect(checkMove(withToken('https://alice.example.com/'), withToken('https://ALICE.example.com/'))).toBe('same')
  })
  it('tells two Cozies on two ports apart', () => {
    expect(checkMove(withToken('http://127.0.0.1:8080/'), withToken('http://127.0.0.1:8090/'))).toBeUndefined()
  })
  it('refuses a destination smaller than the used space, and only then', () => {
    expect(checkMove(withToken('https://a.example/', { used: 6 * GB }), withToken('https://b.example/', { quota: 5 * GB }))).toBe('quota')
    expect(checkMove(withToken('https://a.example/', { used: 5 * GB }), withToken('https://b.example/', { quota: 5 * GB }))).toBeUndefined()
    expect(checkMove(withToken('https://a.example/'), withToken('https://b.example/', { quota: 5 * GB }))).toBeUndefined()
    expect(checkMove(withToken('https://a.example/', { used: 6 * GB }), withToken('https://b.example/'))).toBeUndefined()
  })
})

describe('sameCozy', () => {
  it('compares scheme, host whatever its case, and port, without path nor trailing slash', () => {
    expect(sameCozy('https://alice.example.com/', 'HTTPS://Alice.Example.com')).toBe(true)
    expect(sameCozy('https://alice.example.com/', 'https://alice.example.com:443/drive/')).toBe(true)
    expect(sameCozy('https://alice.example.com/', 'https://alice.example.com:8443/')).toBe(false)
    expect(sameCozy('https://alice.example.com/', 'http://alice.example.com/')).toBe(false)
    expect(sameCozy('https://alice.example.com/', 'https://bob.example.com/')).toBe(false)
    expect(sameCozy(undefined, 'https://alice.example.com/')).toBe(false)
    expect(sameCozy('not an address', 'not an address')).toBe(false)
    expect(cozyIdentity('https://Alice.example.com:443/settings')).toBe('https://alice.example.com')
  })
})

describe('canSwap', () => {
  it('needs a token on the side that would become the destination', () => {
    expect(canSwap(withToken('https://a.example/'), withToken('https://b.example/'))).toBe(true)
    expect(canSwap(withToken('https://a.example/'), undefined)).toBe(true)
    expect(canSwap(withCode('https://a.example/'), withToken('https://b.example/'))).toBe(false)
    expect(canSwap(withCode('https://a.example/'), undefined)).toBe(false)
    expect(canSwap(undefined, withToken('https://b.example/'))).toBe(true)
    expect(canSwap(undefined, undefined)).toBe(false)
  })
})

describe('isReady', () => {
  it('needs usable credentials on both sides and no refusal', () => {
    expect(isReady(withCode('https://a.example/'), withToken('https://b.example/'))).toBe(true)
    expect(isReady(withToken('https://a.example/'), withCode('https://b.example/'))).toBe(false)
    expect(isReady(withToken('https://a.example/', { clientSecret: undefined }), withToken('https://b.example/'))).toBe(false)
    expect(isReady(withToken('https://a.example/'), withToken('https://a.example/'))).toBe(false)
    expect(isReady(undefined, withToken('https://b.example/'))).toBe(false)
  })
})

describe('parseBytes', () => {
  it('reads the decimal strings the stack sends', () => {
    expect(parseBytes('123456789')).toBe(123456789)
    expect(parseBytes('')).toBeUndefined()
    expect(parseBytes('-1')).toBeUndefined()
    expect(parseBytes('1e9')).toBeUndefined()
    expect(parseBytes(null)).toBeUndefined()
    expect(parseBytes('9'.repeat(19))).toBeUndefined()
  })
})
