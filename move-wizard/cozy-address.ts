import { lookup } from 'dns/promises'
import { isIP } from 'net'
import { isLoopbackHost } from './config'

/** Why an address was refused; each reason has its message under moveWizard.address.errors. */
export type AddressRefusal = 'invalid' | 'insecure' | 'notAllowed' | 'private' | 'unreachable'

export class AddressError extends Error {
  constructor(readonly reason: AddressRefusal) {
    super(`Cozy address refused: ${reason}`)
  }
}

export interface AddressRules {
  dev: boolean
  allowedDomains: string[]
  defaultCozyDomain: string
}

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * Turns what a user typed ("alice", "alice.example.com", "https://alice.example.com/drive")
 * into the Cozy's root address "https://alice.example.com/", or refuses it. Only the origin
 * is kept: the wizard talks to a Cozy's root and redirects nowhere else.
 */
export function normalizeCozyAddress(input: string, rules: AddressRules): string {
  const typed = input.trim()
  if (typed === '' || typed.length > 300 || /\s/.test(typed)) throw new AddressError('invalid')
  let candidate: string
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(typed)) candidate = typed
  else if (/[.:]/.test(typed)) candidate = `https://${typed}`
  else candidate = `https://${typed}.${rules.defaultCozyDomain}`
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    throw new AddressError('invalid')
  }
  if (url.username || url.password) throw new AddressError('invalid')
  return checkCozyOrigin(url, rules)
}

/** Checks an address that came from a Cozy (cozy_url of /move/initialize) or a user, and returns its root. */
export function checkCozyOrigin(url: URL, rules: AddressRules): string {
  const host = url.hostname.toLowerCase()
  const loopback = isLoopbackHost(host)
  if (url.protocol === 'http:') {
    if (!(rules.dev && loopback)) throw new AddressError('insecure')
  } else if (url.protocol !== 'https:') {
    throw new AddressError('invalid')
  }
  if (rules.dev && loopback) return `${url.protocol}//${url.host}/`
  if (loopback || isIP(host.replace(/^\[|\]$/g, '')) !== 0) throw new AddressError('private')
  const labels = host.split('.')
  if (labels.length < 2 || !labels.every(label => HOST_LABEL.test(label))) throw new AddressError('invalid')
  if (rules.allowedDomains.length > 0 && !rules.allowedDomains.some(d => host === d || host.endsWith(`.${d}`))) {
    throw new AddressError('notAllowed')
  }
  return `${url.protocol}//${url.host}/`
}

/** Private, loopback, link-local, carrier-grade NAT, multicast and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number)
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)
    )
  }
  const v6 = address.toLowerCase()
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7))
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff')
}

/**
 * Refuses a Cozy whose name resolves to an internal address, so the wizard cannot be used
 * to reach the hosting provider's private network (the dev mode's loopback Cozies excepted).
 */
export async function assertPublicHost(cozyUrl: string, rules: AddressRules): Promise<void> {
  const { hostname } = new URL(cozyUrl)
  if (rules.dev && isLoopbackHost(hostname)) return
  let addresses: { address: string }[]
  try {
    addresses = await lookup(hostname, { all: true })
  } catch {
    throw new AddressError('unreachable')
  }
  if (addresses.length === 0 || addresses.some(a => isPrivateAddress(a.address))) throw new AddressError('private')
}
