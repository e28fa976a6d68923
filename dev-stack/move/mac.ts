import crypto from 'crypto'
import { bytes } from '../util/bytes'

/**
 * The credential of an export link (model/move/doc.go GenerateLink, pkg/crypto/mac.go): an
 * authenticated message "timestamp | export id | HMAC" keyed with an instance secret, encoded
 * in base64url without padding, then encoded AGAIN with padded base64url for the URL (the
 * stack does both, and web/move/move.go decodes the outer layer with base64.URLEncoding).
 * The stand-in keeps the layout (8-byte big-endian Unix time, the id, a SHA-256 HMAC over the
 * name "exports" + message) but not the stack's exact key derivation.
 */
const NAME = 'exports'
const TIME_LEN = 8
const MAC_LEN = 32
/** archiveMACConfig: MaxAge 7 days, MaxLen 256. */
export const EXPORT_MAX_AGE_MS = 7 * 24 * 3600 * 1000
const MAX_LEN = 256

function key(secretHex: string): Buffer {
  return crypto.createHmac('sha256', bytes(Buffer.from(secretHex, 'hex'))).update('move-exports-mac').digest()
}

function sign(secretHex: string, message: Buffer): Buffer {
  return crypto.createHmac('sha256', bytes(key(secretHex))).update(NAME).update(bytes(message)).digest()
}

export function encodeExportMac(secretHex: string, exportId: string, now = Date.now()): string {
  const time = Buffer.alloc(TIME_LEN)
  time.writeBigUInt64BE(BigInt(Math.floor(now / 1000)))
  const message = Buffer.concat([bytes(time), bytes(Buffer.from(exportId, 'utf8'))])
  const inner = Buffer.concat([bytes(message), bytes(sign(secretHex, message))]).toString('base64url')
  return Buffer.from(inner, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/** Go's base64.URLEncoding.DecodeString: URL alphabet, padding required, nothing else. */
export function strictBase64UrlDecode(value: string): Buffer | null {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9_-]*={0,2}$/.test(value)) return null
  const decoded = Buffer.from(value, 'base64url')
  // a round trip rejects non-canonical trailing bits and misplaced padding, as Go does
  const again = decoded.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
  return again === value ? decoded : null
}

export type MacCheck = { ok: true; exportId: string } | { ok: false; reason: 'malformed' | 'invalid' }

/**
 * web/move/move.go exportHandler + crypto.DecodeAuthMessage: a value that is not padded
 * base64url is "malformed" (400), a value that does not authenticate or is older than 7 days
 * is "invalid" (401 "exports: invalid mac").
 */
export function decodeExportMac(secretHex: string, outer: string, now = Date.now()): MacCheck {
  const innerBytes = strictBase64UrlDecode(outer)
  if (!innerBytes) return { ok: false, reason: 'malformed' }
  const inner = innerBytes.toString('latin1')
  if (inner.length > MAX_LEN || !/^[A-Za-z0-9_-]+$/.test(inner)) return { ok: false, reason: 'invalid' }
  const raw = Buffer.from(inner, 'base64url')
  if (raw.length < TIME_LEN + MAC_LEN) return { ok: false, reason: 'invalid' }
  const message = raw.subarray(0, raw.length - MAC_LEN)
  const given = raw.subarray(raw.length - MAC_LEN)
  const expected = sign(secretHex, message)
  if (!crypto.timingSafeEqual(bytes(given), bytes(expected))) return { ok: false, reason: 'invalid' }
  const issuedAt = Number(message.readBigUInt64BE(0)) * 1000
  if (now - issuedAt > EXPORT_MAX_AGE_MS || issuedAt - now > 60_000) return { ok: false, reason: 'invalid' }
  return { ok: true, exportId: message.subarray(TIME_LEN).toString('utf8') }
}
