import { SUPPORTED_LOCALES, type WizardLocale } from './i18n'

/** A hosting provider whose "create a Cozy" page the wizard links to. */
export interface HostingProvider {
  name: string
  /** Creation page; `%{locale}` is replaced by the user's locale. */
  url: string
}

export interface WizardConfig {
  /** The address browsers use to reach the wizard, always ending with "/", served at its host root. */
  publicUrl: URL
  /** Secret the session cookies are sealed with (at least 32 characters). */
  secret: string
  /**
   * Domains the Cozies may live under ("mycozy.cloud" accepts alice.mycozy.cloud). Empty
   * means any public domain.
   */
  allowedDomains: string[]
  /** Appended to a bare name typed by the user ("alice" becomes alice.<defaultCozyDomain>). */
  defaultCozyDomain: string
  defaultLocale: WizardLocale
  providers: HostingProvider[]
  /** Development mode: http is accepted, but only for localhost and 127.0.0.1. */
  dev: boolean
  /** Lifetime of a session after its last step, in seconds. */
  sessionTtlSeconds: number
  /** Lifetime of a session from its start, in seconds, however active it is. */
  sessionMaxAgeSeconds: number
  /** A directory shared by every replica, where used-up sessions are remembered; unset: in memory (one process). */
  stateDir?: string
  /** Requests a client may make per minute (pages), and per minute for steps calling a Cozy. */
  rateLimitPerMinute: number
  outboundRateLimitPerMinute: number
  /** Read the client address from X-Forwarded-For (only behind a reverse proxy you run). */
  trustProxy: boolean
  /** Timeout of each call to a Cozy, in milliseconds. */
  stackTimeoutMs: number
}

export class ConfigError extends Error {}

export const DEFAULT_PROVIDERS: HostingProvider[] = [
  { name: 'Cozy Cloud', url: 'https://manager.cozycloud.cc/cozy/create?lang=%{locale}' },
  // The providers' home pages: a provider deploying the wizard points these at its own offer.
  { name: 'OVHcloud', url: 'https://www.ovhcloud.com/%{locale}/' },
  { name: 'Gandi', url: 'https://www.gandi.net/%{locale}' }
]

type Env = Record<string, string | undefined>

function flag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase())
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`)
  return n
}

/** A local address the dev mode may reach over http. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost')
}

function parsePublicUrl(raw: string | undefined, dev: boolean, port: number): URL {
  const value = raw?.trim() || (dev ? `http://127.0.0.1:${port}/` : '')
  if (!value) throw new ConfigError('MOVE_WIZARD_PUBLIC_URL is required (the https address users reach the wizard at)')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`MOVE_WIZARD_PUBLIC_URL is not a URL: "${value}"`)
  }
  if (url.protocol !== 'https:' && !(dev && url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError('MOVE_WIZARD_PUBLIC_URL must use https (http is accepted for localhost in dev mode only)')
  }
  // The stack always sends the browser to <move.url host>/initialize: the wizard must own its host root.
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError('MOVE_WIZARD_PUBLIC_URL must be an origin served at its root, like https://move.example.com/')
  }
  return url
}

/** Providers as "Name|https://url,Other|https://url" (names may not contain "|" or ","). */
function parseProviders(raw: string | undefined, dev: boolean): HostingProvider[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_PROVIDERS
  return raw.split(',').map(item => {
    const [name, url] = item.split('|').map(s => s.trim())
    if (!name || !url) throw new ConfigError(`MOVE_WIZARD_PROVIDERS: "${item}" is not "Name|https://…"`)
    let parsed: URL
    try {
      parsed = new URL(url.replace('%{locale}', 'fr'))
    } catch {
      throw new ConfigError(`MOVE_WIZARD_PROVIDERS: "${url}" is not a URL`)
    }
    if (parsed.protocol !== 'https:' && !(dev && parsed.protocol === 'http:')) {
      throw new ConfigError(`MOVE_WIZARD_PROVIDERS: "${url}" must use https`)
    }
    return { name, url }
  })
}

function parseDomains(raw: string | undefined): string[] {
  if (raw === undefined) return []
  return raw
    .split(',')
    .map(d => d.trim().toLowerCase().replace(/^\*?\./, ''))
    .filter(d => d !== '' && d !== '*')
}

/** Reads the wizard's configuration from environment variables (see README, "Move wizard for hosting providers"). */
export function loadConfig(env: Env, options: { port?: number; dev?: boolean } = {}): WizardConfig {
  const dev = options.dev ?? flag(env.MOVE_WIZARD_DEV)
  const port = options.port ?? 8090
  const secret = env.MOVE_WIZARD_SECRET ?? ''
  if (secret.length < 32) {
    throw new ConfigError('MOVE_WIZARD_SECRET must hold at least 32 characters (for example: openssl rand -hex 32)')
  }
  const locale = (env.MOVE_WIZARD_DEFAULT_LOCALE ?? 'fr').trim()
  if (!(SUPPORTED_LOCALES as readonly string[]).includes(locale)) {
    throw new ConfigError(`MOVE_WIZARD_DEFAULT_LOCALE must be one of ${SUPPORTED_LOCALES.join(', ')}`)
  }
  const defaultCozyDomain = (env.MOVE_WIZARD_COZY_DOMAIN ?? 'mycozy.cloud').trim().toLowerCase().replace(/^\./, '')
  return {
    publicUrl: parsePublicUrl(env.MOVE_WIZARD_PUBLIC_URL, dev, port),
    secret,
    allowedDomains: parseDomains(env.MOVE_WIZARD_ALLOWED_DOMAINS),
    defaultCozyDomain,
    defaultLocale: locale as WizardLocale,
    providers: parseProviders(env.MOVE_WIZARD_PROVIDERS, dev),
    dev,
    sessionTtlSeconds: positiveInt(env, 'MOVE_WIZARD_SESSION_TTL', 1800),
    sessionMaxAgeSeconds: positiveInt(env, 'MOVE_WIZARD_SESSION_MAX_AGE', 7200),
    stateDir: env.MOVE_WIZARD_STATE_DIR?.trim() || undefined,
    rateLimitPerMinute: positiveInt(env, 'MOVE_WIZARD_RATE_LIMIT', 120),
    outboundRateLimitPerMinute: positiveInt(env, 'MOVE_WIZARD_OUTBOUND_RATE_LIMIT', 20),
    trustProxy: flag(env.MOVE_WIZARD_TRUST_PROXY),
    stackTimeoutMs: positiveInt(env, 'MOVE_WIZARD_STACK_TIMEOUT_MS', 10000)
  }
}
