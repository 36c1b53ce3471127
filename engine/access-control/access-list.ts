import ipaddr from "ipaddr.js";
import type { SnapshotAccessControl } from "../protocol/snapshot.types";
import { ipv4ToUint32 } from "./ipv4";

/**
 * A listener's compiled whitelist (guide 3.6, table 3-6): the IPv4 addresses and CIDR blocks that may
 * reach it. Built once per listener config; `admits` is the per-connection (per new UDP flow) check.
 *
 * Structure: one Set of masked networks (uint32) per distinct prefix length, probed from the longest
 * length down. A lookup costs one Set probe per distinct prefix length in the list (at most 33, typically
 * 1–3: /32 addresses and a /24 or two), whatever the number of entries, and needs no string or object per
 * lookup. Sorted merged ranges with a binary search would cost ~log2(300) ≈ 9 comparisons and grow with
 * the list; the Sets do not. A /0 entry admits every IPv4 client at once.
 */
export class AccessList {
  /** Netmask of each distinct prefix length present, longest first (parallel to `networks`). */
  private readonly masks: readonly number[];
  private readonly networks: readonly Set<number>[];
  private readonly everyIpv4: boolean;

  /** `entries`: "a.b.c.d" or "a.b.c.d/n"; entries that are not IPv4 are ignored (they admit no one). */
  constructor(entries: readonly string[]) {
    const byLength = new Map<number, Set<number>>();
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (parsed === null) continue;
      const [network, length] = parsed;
      let set = byLength.get(length);
      if (set === undefined) byLength.set(length, (set = new Set()));
      set.add((network & maskOf(length)) >>> 0);
    }
    const lengths = [...byLength.keys()].sort((a, b) => b - a);
    this.masks = lengths.map(maskOf);
    this.networks = lengths.map((length) => byLength.get(length)!);
    this.everyIpv4 = byLength.has(0);
  }

  /** Number of distinct prefix lengths: the most Set probes one lookup makes. */
  get probes(): number {
    return this.masks.length;
  }

  /**
   * True when `clientIp` is in the whitelist. IPv4-mapped IPv6 ("::ffff:a.b.c.d") is its IPv4; any other
   * IPv6 address is refused (the whitelist holds IPv4 only).
   */
  admits(clientIp: string): boolean {
    const ip = ipv4ToUint32(clientIp);
    if (ip < 0) return false;
    if (this.everyIpv4) return true;
    const masks = this.masks;
    const networks = this.networks;
    for (let i = 0; i < masks.length; i++) if (networks[i]!.has((ip & masks[i]!) >>> 0)) return true;
    return false;
  }
}

/**
 * The compiled whitelist of an Access Control setting: null when access control is off (everyone is
 * admitted: the hot path pays one null check); enabled with an empty whitelist admits nobody.
 */
export function compileAccessList(accessControl: SnapshotAccessControl | null | undefined): AccessList | null {
  return accessControl == null ? null : new AccessList(accessControl.whitelist);
}

/**
 * Keeps a listener's compiled whitelist across snapshots: `update` recompiles only when the setting
 * changed (enabled/disabled or another list), so applying a snapshot that leaves it alone costs a list
 * comparison and no new Sets.
 */
export class AccessListCache {
  private whitelist: readonly string[] | null = null;
  /** The compiled list now; null = access control off. */
  current: AccessList | null = null;

  /** Takes the listener's setting; returns the compiled list (the same object when nothing changed). */
  update(accessControl: SnapshotAccessControl | null | undefined): AccessList | null {
    const next = accessControl == null ? null : accessControl.whitelist;
    if (!sameList(next, this.whitelist)) {
      this.whitelist = next === null ? null : [...next];
      this.current = compileAccessList(accessControl);
    }
    return this.current;
  }
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Network (uint32) and prefix length of one entry, or null when it is not an IPv4 address or CIDR block. */
function parseEntry(entry: string): [number, number] | null {
  const text = entry.trim();
  try {
    const slash = text.indexOf("/");
    if (!ipaddr.IPv4.isValidFourPartDecimal(slash < 0 ? text : text.slice(0, slash))) return null; // no IPv6, no 0x/octal forms
    if (slash < 0) return [toUint32(ipaddr.IPv4.parse(text)), 32];
    const [address, length] = ipaddr.IPv4.parseCIDR(text);
    return [toUint32(address), length];
  } catch {
    return null; // the console validates every entry; a bad one here admits nobody rather than stopping the listener
  }
}

function toUint32(address: ipaddr.IPv4): number {
  const [a, b, c, d] = address.octets as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** Netmask of a prefix length as uint32 (0 for /0). */
function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}
