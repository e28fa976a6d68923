import { lookup } from 'dns/promises'
import { isIP } from 'net'
import { isLoopbackAddress, isPublicAddress } from './address-ranges'
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

/** A Cozy's host name and the one address the wizard checked and will connect to. */
export interface PinnedHost {
  hostname: string
  address: string
  family: 4 | 6
}

export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>

export const systemResolve: Resolve = hostname => lookup(hostname, { all: true, verbatim: true })

/**
 * Resolves a Cozy's host once and checks every address it resolves to: all must be public
 * (address-ranges.ts), or, in dev mode for a loopback name, all loopback. The caller connects
 * to the returned address only (stack-client.ts), so a name that answers a public address to
 * this check and a private one to a second lookup (DNS rebinding) never reaches the private one.
 */
export async function pinPublicHost(
  cozyUrl: string,
  rules: AddressRules,
  resolve: Resolve = systemResolve,
  /** Tests only: which addresses count as public (real loopback servers stand for public hosts). */
  isAllowed: (address: string) => boolean = isPublicAddress
): Promise<PinnedHost> {
  const hostname = new URL(cozyUrl).hostname.replace(/^\[|\]$/g, '')
  const devLoopback = rules.dev && isLoopbackHost(new URL(cozyUrl).hostname)
  let addresses: Array<{ address: string; family: number }>
  try {
    addresses = isIP(hostname) !== 0 ? [{ address: hostname, family: isIP(hostname) }] : await resolve(hostname)
  } catch {
    throw new AddressError('unreachable')
  }
  if (addresses.length === 0) throw new AddressError('unreachable')
  const allowed = (address: string): boolean => (devLoopback ? isLoopbackAddress(address) : isAllowed(address))
  if (!addresses.every(a => allowed(a.address))) throw new AddressError('private')
  const first = addresses[0]
  return { hostname, address: first.address, family: first.family === 6 ? 6 : 4 }
}
