import type { CozySide } from './session'

/** Why the summary refuses to start the move (reference/cozy-stack-api.md §3.2 step 6). */
export type MoveRefusal = 'same' | 'quota'

/**
 * A Cozy's address reduced to what names it: scheme, host in lower case, port (none when it
 * is the scheme's default), no path nor trailing slash. "HTTPS://Alice.example.com:443/" and
 * "https://alice.example.com" are the same Cozy.
 */
export function cozyIdentity(url: string): string {
  const parsed = new URL(url)
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`
}

/** Both addresses name one Cozy (see cozyIdentity); an address that does not parse names none. */
export function sameCozy(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  try {
    return cozyIdentity(a) === cozyIdentity(b)
  } catch {
    return false
  }
}

/**
 * The refusals of the summary: the same Cozy on both sides, or a destination whose quota is
 * smaller than what the source uses. An unknown usage or an unlimited quota never blocks.
 */
export function checkMove(source: CozySide | undefined, target: CozySide | undefined): MoveRefusal | undefined {
  if (!source || !target) return undefined
  if (sameCozy(source.url, target.url)) return 'same'
  if (source.used !== undefined && target.quota !== undefined && source.used > target.quota) return 'quota'
  return undefined
}

/**
 * "Inverser" swaps the two sides. The destination must hold a token (importing needs one),
 * so a source reached through /move/authorize, which only has a code, can never be swapped.
 */
export function canSwap(source: CozySide | undefined, target: CozySide | undefined): boolean {
  if (!source && !target) return false
  if (!source) return Boolean(target?.token)
  return Boolean(source.token)
}

/** Both sides are usable and nothing refuses the move. */
export function isReady(source: CozySide | undefined, target: CozySide | undefined): source is CozySide {
  return Boolean(
    source && (source.token ? source.clientId && source.clientSecret : source.code) &&
      target && target.token && target.clientId && target.clientSecret &&
      checkMove(source, target) === undefined
  )
}

/** Bytes as the stack sends them (a decimal string), or undefined when absent or malformed. */
export function parseBytes(value: string | null | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,18}$/.test(value)) return undefined
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : undefined
}
