import crypto from 'crypto'
import { bytes } from '../util/bytes'

/**
 * Token audiences of pkg/consts/consts.go: "app" (webapp token in index.html), "konn"
 * (konnector token in COZY_CREDENTIALS), "cli" (cozy-stack instances token-cli),
 * "access-token" (OAuth clients), "share" (share-by-link codes).
 */
export type Audience = 'app' | 'konn' | 'cli' | 'access-token' | 'refresh-token' | 'share'

export interface Claims {
  aud: Audience
  iss: string
  sub: string
  iat: number
  exp?: number
  scope?: string
  session_id?: string
}

function b64url(input: string): string {
  return Buffer.from(input, 'utf8').toString('base64url')
}

/** A JWT signed with HMAC-SHA512, like crypto.NewJWT in pkg/crypto/jwt.go. */
export function signToken(secret: Buffer, claims: Claims): string {
  const header = b64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }))
  const payload = b64url(JSON.stringify(claims))
  const signature = crypto.createHmac('sha512', bytes(secret)).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

/** Returns the claims when the signature is this instance's, null otherwise (bad, foreign, malformed). */
export function verifyToken(secret: Buffer, token: string): Claims | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const expected = crypto.createHmac('sha512', bytes(secret)).update(`${parts[0]}.${parts[1]}`).digest()
  let given: Buffer
  try {
    given = Buffer.from(parts[2], 'base64url')
  } catch {
    return null
  }
  if (given.length !== expected.length || !crypto.timingSafeEqual(bytes(given), bytes(expected))) return null
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims
    if (typeof claims.aud !== 'string' || typeof claims.iss !== 'string' || typeof claims.sub !== 'string') return null
    return claims
  } catch {
    return null
  }
}
