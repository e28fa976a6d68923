import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'crypto'
import { isLocale, type WizardLocale } from './i18n'

/** One Cozy of the move, as the wizard knows it. */
export interface CozySide {
  /** Normalised address, "https://alice.example.com/". */
  url: string
  /** A token with the move scope (flow A source, or any target). */
  token?: string
  /** Only a code (source chosen through /move/authorize): it can export but never be a target. */
  code?: string
  clientId?: string
  clientSecret?: string
  /** Bytes used and quota, as the stack reported them; undefined when unknown or unlimited. */
  used?: number
  quota?: number
  vault: boolean
}

/** A trip to a Cozy's authorisation page that has not come back yet. */
export interface PendingAuthorization {
  side: 'source' | 'target'
  url: string
  state: string
  clientId?: string
  clientSecret?: string
}

export interface WizardSession {
  /** Random value every form and swap must send back (the wizard's own state check). */
  csrf: string
  locale: WizardLocale
  source?: CozySide
  target?: CozySide
  pending?: PendingAuthorization
  /** Answer to the "export your passwords" step, when the source has a vault. */
  vaultStep?: 'exported' | 'ignored'
  /** Random id of this move's session, used up at the hand-over (spent-sessions.ts). */
  id: string
  /** Unix time in seconds of the session's start: it is refused past MOVE_WIZARD_SESSION_MAX_AGE after it, whatever the activity. */
  iat: number
  /** Unix time in seconds after which the session is refused (sliding: the last step plus the idle lifetime). */
  exp: number
}

const VERSION = 'v1'

/**
 * A Buffer seen as a plain Uint8Array (no copy): with TypeScript 5.9's generic typed arrays and
 * @types/node 20, Buffer is not assignable to crypto's parameter types, a plain view is.
 */
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
}

function fromBase64url(text: string): Uint8Array {
  return view(Buffer.from(text, 'base64url'))
}

function toBase64url(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url')
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}
/** Browsers drop cookies over 4096 bytes; stay clearly under. */
export const MAX_COOKIE_VALUE = 3800

export class SessionTooLargeError extends Error {}

export function newState(): string {
  return randomBytes(18).toString('base64url')
}

export function newSession(locale: WizardLocale, ttlSeconds: number, now = Date.now()): WizardSession {
  const seconds = Math.floor(now / 1000)
  return { csrf: newState(), id: newState(), locale, iat: seconds, exp: seconds + ttlSeconds }
}

/**
 * Seals sessions into cookie values: AES-256-GCM keeps the tokens unreadable by anyone who
 * sees the cookie, and an HMAC-SHA256 over the sealed bytes (checked first, in constant time)
 * refuses any value the wizard did not write. Both keys derive from the configured secret.
 * Nothing is stored server-side, so dropping the cookie drops the tokens.
 */
export class SessionSealer {
  private readonly encryptionKey: Uint8Array
  private readonly signingKey: Uint8Array

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    /** Absolute lifetime from the session's start, in seconds. */
    private readonly maxAgeSeconds: number
  ) {
    const salt = 'mes-donnees/move-wizard/session'
    this.encryptionKey = new Uint8Array(hkdfSync('sha256', secret, salt, 'encryption', 32))
    this.signingKey = new Uint8Array(hkdfSync('sha256', secret, salt, 'signature', 32))
  }

  seal(session: WizardSession, now = Date.now()): string {
    const refreshed: WizardSession = { ...session, exp: Math.min(Math.floor(now / 1000) + this.ttlSeconds, this.endOf(session)) }
    const iv = view(randomBytes(12))
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv)
    const body = concat([view(cipher.update(JSON.stringify(refreshed), 'utf8')), view(cipher.final()), view(cipher.getAuthTag())])
    const unsigned = `${VERSION}.${toBase64url(iv)}.${toBase64url(body)}`
    const value = `${unsigned}.${toBase64url(this.sign(unsigned))}`
    if (value.length > MAX_COOKIE_VALUE) throw new SessionTooLargeError(`session cookie would be ${value.length} bytes`)
    return value
  }

  /** The session in a cookie value, or undefined when it is forged, damaged or expired. */
  unseal(value: string | undefined, now = Date.now()): WizardSession | undefined {
    if (!value || value.length > MAX_COOKIE_VALUE) return undefined
    const parts = value.split('.')
    if (parts.length !== 4 || parts[0] !== VERSION) return undefined
    const unsigned = parts.slice(0, 3).join('.')
    const given = fromBase64url(parts[3])
    const expected = this.sign(unsigned)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    try {
      const iv = fromBase64url(parts[1])
      const body = fromBase64url(parts[2])
      if (iv.length !== 12 || body.length < 17) return undefined
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv)
      decipher.setAuthTag(body.subarray(body.length - 16))
      const plain = concat([view(decipher.update(body.subarray(0, body.length - 16))), view(decipher.final())])
      const json = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString('utf8')
      const session = JSON.parse(json) as WizardSession
      if (typeof session.csrf !== 'string' || typeof session.id !== 'string' || !isLocale(session.locale)) return undefined
      if (typeof session.exp !== 'number' || typeof session.iat !== 'number') return undefined
      if (session.exp * 1000 <= now || this.endOf(session) * 1000 <= now) return undefined
      return session
    } catch {
      return undefined
    }
  }

  /** Unix time in seconds at which the session ends whatever its activity. */
  endOf(session: WizardSession): number {
    return session.iat + this.maxAgeSeconds
  }

  private sign(data: string): Uint8Array {
    return view(createHmac('sha256', this.signingKey).update(data).digest())
  }
}

/** Constant-time comparison of two strings (states, tokens). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false
  const left = view(Buffer.from(a))
  const right = view(Buffer.from(b))
  return left.length === right.length && timingSafeEqual(left, right)
}
