import ipaddr from "ipaddr.js";
import type { AddressMatcher, ClientIpHeaders } from "./client-ip-headers";

/**
 * The real client a trusted peer's request names by the route's Real IP Header: X_FORWARDED_FOR reads
 * `chain` (its X-Forwarded-For fields joined with ", "; "" = none), X_REAL_IP `realIp` (its first X-Real-IP
 * value; null = none). Nothing usable → `connection`, the connection's client address.
 */
export function claimedRealIp(h: ClientIpHeaders, chain: string, realIp: string | null, connection: string): string {
  if (h.realIp === "X_REAL_IP") return realIp === null ? connection : realIpFromValue(realIp, connection);
  if (h.realIp === "X_FORWARDED_FOR" && chain !== "") return realIpFromChain(chain, connection, h.trusted, h.recursive);
  return connection;
}

/**
 * The real client of a request whose trusted peer sent an X-Forwarded-For chain (all its fields joined
 * with ", "), as nginx's realip module (`real_ip_header X-Forwarded-For`) and Kong read it:
 * - not `recursive`: the right-most address of the chain;
 * - `recursive` (`real_ip_recursive on`): walking from the right, the first address that is not in
 *   `trusted`; when every address is trusted, the left-most one.
 * An element that is not an address ends the walk: the last address taken before it is kept, or
 * `connection` (the connection's own client address) when none was (nginx keeps `$remote_addr`).
 * Empty elements are skipped. The caller has checked that the TCP peer is trusted.
 */
export function realIpFromChain(chain: string, connection: string, trusted: AddressMatcher, recursive: boolean): string {
  let found = connection;
  let end = chain.length;
  while (end > 0) {
    const comma = chain.lastIndexOf(",", end - 1);
    const element = chain.slice(comma + 1, end).trim();
    end = comma < 0 ? 0 : comma;
    if (element === "") continue;
    const address = parseForwardedAddress(element);
    if (address === null) return found;
    found = address;
    if (!recursive || !trusted.has(address)) return address;
  }
  return found;
}

/** The real client from a trusted peer's X-Real-IP value; `connection` when it is not an address. */
export function realIpFromValue(value: string, connection: string): string {
  return parseForwardedAddress(value.trim()) ?? connection;
}

/**
 * One address as proxies write it in X-Forwarded-For / X-Real-IP: IPv4 as a dotted quad (no 0x/octal
 * forms), IPv6 (no zone id), `[IPv6]`, and either with a `:port` after it (`a.b.c.d:port`,
 * `[IPv6]:port`: the port is dropped). Returned normalised: IPv4-mapped IPv6 as plain IPv4, IPv6 in its
 * canonical short form (as the engine writes client addresses). null = not an address.
 */
export function parseForwardedAddress(text: string): string | null {
  let host = text;
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    const close = host.indexOf("]");
    if (close < 0 || !isPortSuffix(host, close + 1)) return null;
    host = host.slice(1, close);
    if (host.indexOf(":") < 0) return null; // brackets hold IPv6 only
  } else {
    const colon = host.indexOf(":");
    if (colon >= 0 && host.indexOf(":", colon + 1) < 0) {
      if (!isPortSuffix(host, colon)) return null;
      host = host.slice(0, colon); // a.b.c.d:port
    }
  }
  if (host.indexOf(":") < 0) return ipaddr.IPv4.isValidFourPartDecimal(host) ? host : null;
  if (host.indexOf("%") >= 0 || !ipaddr.IPv6.isValid(host)) return null;
  const parsed = ipaddr.IPv6.parse(host);
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
}

/** text[from…] is empty or `:` followed by 1–5 digits. */
function isPortSuffix(text: string, from: number): boolean {
  if (from === text.length) return true;
  if (text.charCodeAt(from) !== 0x3a) return false;
  const digits = text.length - from - 1;
  if (digits < 1 || digits > 5) return false;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
