import ipaddr from "ipaddr.js";

const MAPPED_PREFIX = "::ffff:";

/**
 * A client address as uint32 when it is IPv4 — dotted quad, or IPv4-mapped IPv6 ("::ffff:a.b.c.d", as a
 * dual-stack socket reports an IPv4 client) — else -1 (IPv6, or not an address). The common forms are read
 * by hand (no allocation: this runs per accepted connection); any other IPv6 spelling goes through ipaddr.js.
 */
export function ipv4ToUint32(address: string): number {
  const start = address.startsWith(MAPPED_PREFIX) ? MAPPED_PREFIX.length : 0;
  const quad = dottedQuad(address, start);
  if (quad >= 0 || address.indexOf(":") < 0) return quad;
  return mappedIpv4(address);
}

/** address[start..] as a dotted quad of decimal octets (no leading zeros), else -1. */
function dottedQuad(address: string, start: number): number {
  const n = address.length;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < n; i++) {
    const c = address.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** The IPv4 of an IPv4-mapped IPv6 address in any spelling ("::ffff:7f00:1"), else -1. */
function mappedIpv4(address: string): number {
  if (!ipaddr.IPv6.isValid(address)) return -1;
  const parsed = ipaddr.IPv6.parse(address);
  if (!parsed.isIPv4MappedAddress()) return -1;
  const [a, b, c, d] = parsed.toIPv4Address().octets as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}
