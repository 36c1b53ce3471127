import ipaddr from "ipaddr.js";

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  cidr: string;
  /** Network address as a 32-bit unsigned number. */
  first: number;
  /** Last (broadcast) address as a 32-bit unsigned number. */
  last: number;
}

const toNumber = (address: ipaddr.IPv4) => address.toByteArray().reduce((n, byte) => n * 256 + byte, 0);

/** Number → dotted IPv4 string. */
export function ipv4FromNumber(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** True when `value` is a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** Parses "a.b.c.d/n" (IPv4 dotted quad only); throws on anything else. Host bits are normalised away. */
export function parseIpv4Cidr(cidr: string): Ipv4Block {
  // ipaddr.js also takes "10/8" or "0x7f.1/8"; a CIDR block here is always written as a dotted quad.
  if (!isIpv4(cidr.split("/")[0] ?? "")) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(toNumber(address) / size) * size;
  return { cidr: `${ipv4FromNumber(first)}/${prefix}`, first, last: first + size - 1 };
}

/** True when `cidr` is a valid IPv4 CIDR block. */
export function isIpv4Cidr(cidr: string): boolean {
  try {
    parseIpv4Cidr(cidr);
    return true;
  } catch {
    return false;
  }
}

/** Prefix length of a block ("/16" → 16). */
export function prefixLength(block: Ipv4Block): number {
  return 32 - Math.log2(block.last - block.first + 1);
}

/** True when the two blocks share at least one address. */
export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** True when every address of `inner` lies inside `outer` (a block contains itself). */
export function blockContainsBlock(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** Number of usable host addresses (see `isUsableHost`). */
export function usableHostCount(block: Ipv4Block): number {
  const size = block.last - block.first + 1;
  return size <= 4 ? size - 1 : size - 3;
}

/** True when the IPv4 address lies inside the block. */
export function blockContains(block: Ipv4Block, address: string): boolean {
  if (!isIpv4(address)) return false;
  const n = toNumber(ipaddr.IPv4.parse(address));
  return n >= block.first && n <= block.last;
}

/**
 * Usable host addresses of a block, as a cloud VPC reserves them: not the network address, not the
 * first host (the gateway), not the broadcast address.
 */
export function isUsableHost(block: Ipv4Block, address: string): boolean {
  if (!blockContains(block, address)) return false;
  const n = toNumber(ipaddr.IPv4.parse(address));
  if (block.last - block.first < 4) return true; // /30 and smaller: no reservations
  return n > block.first + 1 && n < block.last;
}

/** The lowest usable host address of the block not in `used`, or null when the block is full. */
export function firstFreeHost(block: Ipv4Block, used: ReadonlySet<string>): string | null {
  const reserve = block.last - block.first < 4 ? 0 : 1;
  for (let n = block.first + 1 + reserve; n <= block.last - (reserve ? 1 : 0); n++) {
    const candidate = ipv4FromNumber(n);
    if (!used.has(candidate)) return candidate;
  }
  return null;
}
