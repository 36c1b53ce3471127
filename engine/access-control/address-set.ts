import ipaddr from "ipaddr.js";
import { ipv4ToUint32 } from "./ipv4";

/**
 * A compiled set of IPv4/IPv6 addresses and CIDR blocks (a listener's Trusted IPs). `has` is the
 * per-connection question "is this peer one of them?".
 */
export interface AddressSet {
  /**
   * True when `address` is in one of the entries. IPv4-mapped IPv6 ("::ffff:a.b.c.d", any spelling) is
   * looked up as its IPv4; anything that is not an address (garbage, "") is in no set.
   */
  has(address: string): boolean;
  /** Distinct networks held (entries that were not addresses are not counted; duplicates count once). */
  readonly size: number;
}

/**
 * Compiles `entries` ("a.b.c.d", "a.b.c.d/n", IPv6 "x::y", "x::/n"; IPv4-mapped IPv6 entries count as
 * IPv4) once into one Set of masked networks per prefix length in use, probed longest first: a lookup
 * costs one Set probe per distinct prefix length (IPv4 ≤ 33, IPv6 ≤ 129; typically 1–3), whatever the
 * number of entries. IPv4 networks are uint32 numbers (an IPv4 lookup allocates nothing), IPv6 networks
 * bigints. A CIDR with host bits set counts as its network; an entry that is not an address is ignored
 * (it trusts no one: the console validates every entry, and a bad one must not widen the set). IPv4 is
 * read in decimal dotted quads only (no 0x/octal forms, as the whitelist). `::/0` holds every IPv6
 * address, not the IPv4 ones (list `0.0.0.0/0` too, as Kong's `0.0.0.0/0,::/0`).
 */
export function compileAddressSet(entries: readonly string[]): AddressSet {
  const v4 = new Map<number, Set<number>>();
  const v6 = new Map<number, Set<bigint>>();
  for (const entry of entries) {
    const parsed = parseEntry(entry.trim());
    if (parsed === null) continue;
    if (parsed.family === "IPv4") addTo(v4, parsed.length, (parsed.network & ipv4Mask(parsed.length)) >>> 0);
    else addTo(v6, parsed.length, parsed.network & ipv6Mask(parsed.length));
  }
  return new CompiledAddressSet(v4, v6);
}

class CompiledAddressSet implements AddressSet {
  private readonly v4Masks: readonly number[];
  private readonly v4Networks: readonly Set<number>[];
  private readonly v6Masks: readonly bigint[];
  private readonly v6Networks: readonly Set<bigint>[];
  readonly size: number;

  constructor(v4: Map<number, Set<number>>, v6: Map<number, Set<bigint>>) {
    const v4Lengths = [...v4.keys()].sort((a, b) => b - a);
    const v6Lengths = [...v6.keys()].sort((a, b) => b - a);
    this.v4Masks = v4Lengths.map(ipv4Mask);
    this.v4Networks = v4Lengths.map((length) => v4.get(length)!);
    this.v6Masks = v6Lengths.map(ipv6Mask);
    this.v6Networks = v6Lengths.map((length) => v6.get(length)!);
    let size = 0;
    for (const set of this.v4Networks) size += set.size;
    for (const set of this.v6Networks) size += set.size;
    this.size = size;
  }

  has(address: string): boolean {
    // IPv4 and the usual spelling of IPv4-mapped IPv6 are read by hand (no allocation).
    if (address.indexOf(":") < 0 || (address.startsWith("::ffff:") && address.indexOf(".") > 0)) return this.hasIpv4(ipv4ToUint32(address));
    if (this.v6Masks.length === 0 && this.v4Masks.length === 0) return false;
    if (!ipaddr.IPv6.isValid(address)) return false;
    const parsed = ipaddr.IPv6.parse(address);
    if (parsed.isIPv4MappedAddress()) return this.hasIpv4(octetsToUint32(parsed.toIPv4Address().octets));
    const masks = this.v6Masks;
    if (masks.length === 0) return false;
    const value = partsToBigint(parsed.parts);
    const networks = this.v6Networks;
    for (let i = 0; i < masks.length; i++) if (networks[i]!.has(value & masks[i]!)) return true;
    return false;
  }

  private hasIpv4(ip: number): boolean {
    if (ip < 0) return false;
    const masks = this.v4Masks;
    const networks = this.v4Networks;
    for (let i = 0; i < masks.length; i++) if (networks[i]!.has((ip & masks[i]!) >>> 0)) return true;
    return false;
  }
}

type ParsedEntry = { family: "IPv4"; network: number; length: number } | { family: "IPv6"; network: bigint; length: number };

/** One entry's network and prefix length (an address alone: /32 or /128), or null when it is not one. */
function parseEntry(text: string): ParsedEntry | null {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const lengthText = slash < 0 ? null : text.slice(slash + 1);
  if (lengthText !== null && !/^\d{1,3}$/.test(lengthText)) return null;
  if (address.indexOf(":") < 0) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return null; // no IPv6 here, no 0x/octal forms
    const length = lengthText === null ? 32 : Number(lengthText);
    if (length > 32) return null;
    return { family: "IPv4", network: octetsToUint32(ipaddr.IPv4.parse(address).octets), length };
  }
  if (!ipaddr.IPv6.isValid(address) || address.includes("%")) return null; // no zone ids in a trust list
  const parsed = ipaddr.IPv6.parse(address);
  const length = lengthText === null ? 128 : Number(lengthText);
  if (length > 128) return null;
  // ::ffff:a.b.c.d/n with n ≥ 96 is the IPv4 block a.b.c.d/(n-96): the form clients are looked up in.
  if (parsed.isIPv4MappedAddress() && length >= 96) return { family: "IPv4", network: octetsToUint32(parsed.toIPv4Address().octets), length: length - 96 };
  return { family: "IPv6", network: partsToBigint(parsed.parts), length };
}

function addTo<T>(byLength: Map<number, Set<T>>, length: number, network: T): void {
  let set = byLength.get(length);
  if (set === undefined) byLength.set(length, (set = new Set()));
  set.add(network);
}

function octetsToUint32(octets: readonly number[]): number {
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

function partsToBigint(parts: readonly number[]): bigint {
  let value = 0n;
  for (const part of parts) value = (value << 16n) | BigInt(part);
  return value;
}

/** Netmask of an IPv4 prefix length as uint32 (0 for /0). */
function ipv4Mask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

const ALL_128 = (1n << 128n) - 1n;

/** Netmask of an IPv6 prefix length as a 128-bit bigint (0n for /0). */
function ipv6Mask(length: number): bigint {
  return (ALL_128 << BigInt(128 - length)) & ALL_128;
}
