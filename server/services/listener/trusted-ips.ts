import ipaddr from "ipaddr.js";

/**
 * Trusted IPs of a listener (issue 10; Kong's `trusted_ips`, nginx's `set_real_ip_from`): the addresses of
 * the proxies in front whose PROXY header or X-Forwarded-For / X-Real-IP is believed. IPv4 and IPv6
 * addresses and CIDR blocks, comma-separated in the form. Pure (no server imports) so the form gives the
 * server's message as you type.
 */

/** Most entries a Trusted IPs list may hold: 300, the same bound as the access control whitelist (table 3-6). */
export const TRUSTED_IPS_LIMIT = 300;

/** The parsed list (normalised, in the order entered), or the first problem found (its message names the entry). */
export type TrustedIpsParse = { ok: true; entries: string[] } | { ok: false; message: string };

const EXAMPLE = "e.g. 192.168.0.10, 10.0.0.0/8 or 2001:db8::/32";

/**
 * Parses Trusted IPs as entered: comma-separated text (spaces and new lines also separate) or a list. Empty
 * entries are skipped. Each entry is stored normalised: IPv6 in its short form (RFC 5952, lower case), an
 * IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, or a block of them from /96) as the IPv4 it maps. A CIDR
 * block with host bits set is refused with the network it meant; an entry entered twice (also in another
 * spelling) is refused, naming both spellings.
 */
export function parseTrustedIps(input: string | readonly string[]): TrustedIpsParse {
  const raw = (typeof input === "string" ? [input] : input).flatMap((part) => part.split(/[\s,]+/)).filter((entry) => entry !== "");
  if (raw.length > TRUSTED_IPS_LIMIT)
    return { ok: false, message: `Trusted IPs: can contain at most ${TRUSTED_IPS_LIMIT} IP addresses or CIDR blocks (${raw.length} entered)` };
  const entries: string[] = [];
  const enteredAs = new Map<string, string>();
  for (const entry of raw) {
    const normalised = normaliseEntry(entry);
    if (!normalised.ok) return { ok: false, message: `Trusted IPs: ${normalised.problem}` };
    const earlier = enteredAs.get(normalised.value);
    if (earlier !== undefined)
      return { ok: false, message: earlier === entry ? `Trusted IPs: ${entry} is entered twice` : `Trusted IPs: ${entry} is the same as ${earlier}, entered before` };
    enteredAs.set(normalised.value, entry);
    entries.push(normalised.value);
  }
  return { ok: true, entries };
}

type Normalised = { ok: true; value: string } | { ok: false; problem: string };

/** One entry normalised, or why it is not an IPv4/IPv6 address or CIDR block network. */
function normaliseEntry(entry: string): Normalised {
  const slash = entry.indexOf("/");
  const text = slash < 0 ? entry : entry.slice(0, slash);
  if (text.includes("%")) return { ok: false, problem: `${entry} has a zone index (%); enter the address without it` };
  const address = parseAddress(text);
  if (!address) return { ok: false, problem: `${entry} is not an IPv4 or IPv6 address or CIDR block (${EXAMPLE})` };
  const max = address.kind() === "ipv4" ? 32 : 128;
  if (slash < 0) return { ok: true, value: plainForm(address, max).text };
  const prefixText = entry.slice(slash + 1);
  const prefix = /^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max))
    return { ok: false, problem: `${entry} is not a CIDR block: the prefix length after / must be 0 to ${max} for an ${address.kind() === "ipv4" ? "IPv4" : "IPv6"} address (${EXAMPLE})` };
  const network = (address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(entry) : ipaddr.IPv6.networkAddressFromCIDR(entry)) as ipaddr.IPv4 | ipaddr.IPv6;
  if (network.toString() !== address.toString()) return { ok: false, problem: `${entry} is not a network address; did you mean ${network.toString()}/${prefix}?` };
  const plain = plainForm(network, prefix);
  return { ok: true, value: `${plain.text}/${plain.prefix}` };
}

/** An IPv4 address in four-part decimal, or any IPv6 address; null otherwise (ipaddr.js alone also takes "10.1" or "0x0a.0.0.1"). */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

/** The stored spelling: IPv4-mapped IPv6 (with a prefix of at least 96) as IPv4, IPv6 short and lower case. */
function plainForm(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): { text: string; prefix: number } {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96)
    return { text: (address as ipaddr.IPv6).toIPv4Address().toString(), prefix: prefix - 96 };
  return { text: address.toString(), prefix };
}
