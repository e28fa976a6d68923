import { AddressError, assertPublicHost, isPrivateAddress, normalizeCozyAddress, type AddressRules } from './cozy-address'

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

describe('isPrivateAddress / assertPublicHost', () => {
  it('knows the private and special ranges', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a)).toBe(true)
    }
    for (const a of ['93.184.216.34', '172.32.0.1', '2a01:4f8::1']) expect(isPrivateAddress(a)).toBe(false)
  })

  it('refuses a name that resolves to loopback outside dev mode, and lets dev mode reach it', async () => {
    await expect(assertPublicHost('https://localhost/', PROD)).rejects.toMatchObject({ reason: 'private' })
    await expect(assertPublicHost('http://localhost:8080/', DEV)).resolves.toBeUndefined()
  })
})
