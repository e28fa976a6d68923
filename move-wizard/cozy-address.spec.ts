import { AddressError, normalizeCozyAddress, pinPublicHost, type AddressRules, type Resolve } from './cozy-address'

const PROD: AddressRules = { dev: false, allowedDomains: [], defaultCozyDomain: 'mycozy.cloud' }
const DEV: AddressRules = { ...PROD, dev: true }

function refusal(input: string, rules: AddressRules): string | undefined {
  try {
    normalizeCozyAddress(input, rules)
    return undefined
  } catch (err) {
    return err instanceof AddressError ? err.reason : 'other'
  }
}

describe('normalizeCozyAddress', () => {
  it('turns what users type into the Cozy root address', () => {
    expect(normalizeCozyAddress('claude', PROD)).toBe('https://claude.mycozy.cloud/')
    expect(normalizeCozyAddress('  Claude.Example.COM ', PROD)).toBe('https://claude.example.com/')
    expect(normalizeCozyAddress('https://claude.example.com/drive/#/folder?x=1', PROD)).toBe('https://claude.example.com/')
    expect(normalizeCozyAddress('https://claude.example.com:8443', PROD)).toBe('https://claude.example.com:8443/')
  })

  it('accepts http only for localhost and 127.0.0.1 in dev mode', () => {
    expect(normalizeCozyAddress('http://127.0.0.1:8080', DEV)).toBe('http://127.0.0.1:8080/')
    expect(normalizeCozyAddress('http://alice.localhost:8080/', DEV)).toBe('http://alice.localhost:8080/')
    expect(refusal('http://claude.example.com', DEV)).toBe('insecure')
    expect(refusal('http://127.0.0.1:8080', PROD)).toBe('insecure')
  })

  it('refuses loopback, IP literals, odd schemes and credentials in production', () => {
    expect(refusal('https://127.0.0.1/', PROD)).toBe('private')
    expect(refusal('https://localhost/', PROD)).toBe('private')
    expect(refusal('https://10.0.0.5/', PROD)).toBe('private')
    expect(refusal('https://[::1]/', PROD)).toBe('private')
    expect(refusal('javascript://alert(1)', PROD)).toBe('invalid')
    expect(refusal('ftp://claude.example.com', PROD)).toBe('invalid')
    expect(refusal('https://user:pw@claude.example.com', PROD)).toBe('invalid')
    expect(refusal('claude example', PROD)).toBe('invalid')
    expect(refusal('', PROD)).toBe('invalid')
    expect(refusal('https://under_score.example.com', PROD)).toBe('invalid')
  })

  it('keeps to the allowed domains, on label boundaries', () => {
    const rules = { ...PROD, allowedDomains: ['mycozy.cloud', 'cozy.example.org'] }
    expect(normalizeCozyAddress('claude', rules)).toBe('https://claude.mycozy.cloud/')
    expect(normalizeCozyAddress('claude-drive.cozy.example.org', rules)).toBe('https://claude-drive.cozy.example.org/')
    expect(refusal('claude.evilmycozy.cloud', rules)).toBe('notAllowed')
    expect(refusal('mycozy.cloud.evil.example', rules)).toBe('notAllowed')
  })
})

describe('pinPublicHost', () => {
  const resolveTo = (...addresses: string[]): Resolve => async () => addresses.map(address => ({ address, family: address.includes(':') ? 6 : 4 }))

  it('pins the one checked address of a public name', async () => {
    await expect(pinPublicHost('https://alice.example.com/', PROD, resolveTo('93.184.216.34', '2a01:4f8::1'))).resolves.toEqual({
      hostname: 'alice.example.com',
      address: '93.184.216.34',
      family: 4
    })
  })

  it('refuses a name of which any address is not public', async () => {
    for (const bad of ['127.0.0.1', '10.0.0.1', '100.64.1.1', '192.0.0.8', '198.18.5.5', '::1', '64:ff9b::a00:1', '2002:a00:1::1', '::ffff:10.0.0.1']) {
      await expect(pinPublicHost('https://alice.example.com/', PROD, resolveTo('93.184.216.34', bad))).rejects.toMatchObject({ reason: 'private' })
    }
  })

  it('says unreachable when the name does not resolve', async () => {
    const failing: Resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })
    }
    await expect(pinPublicHost('https://nowhere.example.com/', PROD, failing)).rejects.toMatchObject({ reason: 'unreachable' })
    await expect(pinPublicHost('https://nowhere.example.com/', PROD, resolveTo())).rejects.toMatchObject({ reason: 'unreachable' })
  })

  it('lets dev mode reach loopback names only, at a loopback address', async () => {
    await expect(pinPublicHost('https://localhost/', PROD)).rejects.toMatchObject({ reason: 'private' })
    await expect(pinPublicHost('http://localhost:8080/', DEV)).resolves.toMatchObject({ hostname: 'localhost' })
    await expect(pinPublicHost('http://127.0.0.1:8080/', DEV)).resolves.toEqual({ hostname: '127.0.0.1', address: '127.0.0.1', family: 4 })
    await expect(pinPublicHost('http://alice.localhost:8080/', DEV, resolveTo('93.184.216.34'))).rejects.toMatchObject({ reason: 'private' })
  })
})
