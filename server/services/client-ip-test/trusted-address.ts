import ipaddr from "ipaddr.js";

/**
 * True when `address` is one of `entries` (IPv4/IPv6 addresses and CIDR blocks, Trusted IPs), an
 * IPv4-mapped IPv6 address counting as its IPv4 address. Entries that do not parse trust no one. The
 * tester asks it once per test (the engine has its own compiled set for traffic).
 */
export function isTrustedAddress(entries: readonly string[], address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return entries.some((entry) => {
    try {
      if (!entry.includes("/")) return ipaddr.isValid(entry) && ipaddr.process(entry).toString() === parsed.toString();
      const [range, bits] = ipaddr.parseCIDR(entry);
      const base = range.kind() === "ipv6" && (range as ipaddr.IPv6).isIPv4MappedAddress() ? [(range as ipaddr.IPv6).toIPv4Address(), bits - 96] as const : [range, bits] as const;
      return base[0].kind() === parsed.kind() && parsed.match(base[0], base[1]);
    } catch {
      return false;
    }
  });
}
