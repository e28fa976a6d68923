import crypto from 'crypto'
import type { Instance } from '../instance/instance'

/** model/move/request.go Request: what /move/request keeps until /move/go. */
export interface MoveRequest {
  ignoreVault: boolean
  source: { token: string; clientId: string; clientSecret: string }
  target: { token: string; clientId: string; clientSecret: string }
  /** target_url as given */
  target_url: string
}

/** store.go storeTTL: a request lives 5 minutes. */
export const REQUEST_TTL_MS = 5 * 60 * 1000

/**
 * store.go memStore: requests kept in memory under a random 16-hex-digit secret, per
 * instance, forgotten after 5 minutes (the stack's Redis store behaves the same).
 */
const stores = new WeakMap<Instance, Map<string, { request: MoveRequest; expires: number }>>()

export function saveRequest(instance: Instance, request: MoveRequest, now = Date.now()): string {
  const store = stores.get(instance) ?? new Map<string, { request: MoveRequest; expires: number }>()
  stores.set(instance, store)
  const secret = crypto.randomBytes(8).toString('hex')
  store.set(secret, { request, expires: now + REQUEST_TTL_MS })
  return secret
}

export function getRequest(instance: Instance, secret: string, now = Date.now()): MoveRequest | null {
  const store = stores.get(instance)
  const entry = store?.get(secret)
  if (!entry) return null
  if (now > entry.expires) {
    store?.delete(secret)
    return null
  }
  return entry.request
}

/** For tests: makes every stored request of an instance older than its lifetime. */
export function expireRequests(instance: Instance): void {
  for (const entry of stores.get(instance)?.values() ?? []) entry.expires = 0
}
