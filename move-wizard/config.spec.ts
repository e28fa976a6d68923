import { ConfigError, DEFAULT_PROVIDERS, loadConfig } from './config'

const SECRET = '0123456789abcdef0123456789abcdef'

describe('loadConfig', () => {
  it('reads every setting from the environment', () => {
    const config = loadConfig({
      MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com',
      MOVE_WIZARD_SECRET: SECRET,
      MOVE_WIZARD_ALLOWED_DOMAINS: 'mycozy.cloud, *.cozy.example.org',
      MOVE_WIZARD_DEFAULT_LOCALE: 'en',
      MOVE_WIZARD_PROVIDERS: 'Mon hébergeur|https://host.example/create?lang=%{locale}',
      MOVE_WIZARD_SESSION_TTL: '900',
      MOVE_WIZARD_TRUST_PROXY: 'true'
    })
    expect(config.publicUrl.href).toBe('https://move.example.com/')
    expect(config.allowedDomains).toEqual(['mycozy.cloud', 'cozy.example.org'])
    expect(config.defaultLocale).toBe('en')
    expect(config.providers).toEqual([{ name: 'Mon hébergeur', url: 'https://host.example/create?lang=%{locale}' }])
    expect(config.sessionTtlSeconds).toBe(900)
    expect(config.trustProxy).toBe(true)
    expect(config.dev).toBe(false)
  })

  it('defaults to French, Cozy Cloud, OVH and Gandi, any domain', () => {
    const config = loadConfig({ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: SECRET })
    expect(config.defaultLocale).toBe('fr')
    expect(config.providers).toBe(DEFAULT_PROVIDERS)
    expect(config.providers.map(p => p.name)).toEqual(['Cozy Cloud', 'OVHcloud', 'Gandi'])
    expect(config.allowedDomains).toEqual([])
  })

  it('gives a local public address in dev mode', () => {
    expect(loadConfig({ MOVE_WIZARD_SECRET: SECRET }, { dev: true, port: 9000 }).publicUrl.href).toBe('http://127.0.0.1:9000/')
  })

  it.each([
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: 'short' }, /MOVE_WIZARD_SECRET/],
    [{ MOVE_WIZARD_SECRET: SECRET }, /MOVE_WIZARD_PUBLIC_URL is required/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'http://move.example.com/', MOVE_WIZARD_SECRET: SECRET }, /https/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://example.com/move/', MOVE_WIZARD_SECRET: SECRET }, /root/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_DEFAULT_LOCALE: 'de' }, /LOCALE/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_PROVIDERS: 'NoUrl' }, /PROVIDERS/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_PROVIDERS: 'A|http://a.example/' }, /https/],
    [{ MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_SESSION_TTL: '-1' }, /SESSION_TTL/]
  ])('refuses a bad setting (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
