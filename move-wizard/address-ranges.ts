import ipaddr from 'ipaddr.js'
import { isIP } from 'net'

/**
 * Whether the wizard may connect to an address. Only ipaddr.js's "unicast" range passes: it
 * names every IANA special-purpose block (private, loopback, link-local, carrier-grade NAT
 * 100.64.0.0/10, IETF 192.0.0.0/24, benchmarking 198.18.0.0/15, documentation, multicast,
 * broadcast, reserved 240.0.0.0/4, unique-local, NAT64 64:ff9b::/96 and 64:ff9b:1::/48,
 * 6to4 2002::/16, Teredo, ORCHID, discard…), so a block is refused by being named, not by a
 * list kept here. IPv4-mapped addresses (::ffff:a.b.c.d) are judged as the IPv4 address they
 * carry; the deprecated IPv4-compatible form (::a.b.c.d) is refused.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  // Only the canonical forms getaddrinfo gives (no "1.2.3" or octal spellings).
  if (isIP(bare) === 0 || !ipaddr.isValid(bare)) return false
  // ipaddr.js reads "::a.b.c.d" (IPv4-compatible, deprecated) as if it were "::ffff:a.b.c.d".
  if (isIP(bare) === 6 && bare.includes('.') && !/(^|:)ffff:(\d{1,3}\.){3}\d{1,3}$/i.test(bare)) return false
  let parsed: ipaddr.IPv4 | ipaddr.IPv6
  try {
    parsed = ipaddr.parse(bare)
  } catch {
    return false
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6
    if (v6.range() === 'ipv4Mapped') {
      // ipaddr.js files ::a.b.c.d under the same name; only ::ffff:0:0/96 is a real mapping.
      if (v6.parts[5] !== 0xffff || v6.parts.slice(0, 5).some(part => part !== 0)) return false
      return v6.toIPv4Address().range() === 'unicast'
    }
  }
  return parsed.range() === 'unicast'
}

/** A loopback address (127.0.0.0/8, ::1, ::ffff:127.x), the only kind dev mode connects to. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (isIP(bare) === 0 || !ipaddr.isValid(bare)) return false
  const parsed = ipaddr.process(bare)
  return parsed.range() === 'loopback'
}
