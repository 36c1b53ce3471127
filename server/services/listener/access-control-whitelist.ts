import ipaddr from "ipaddr.js";

/**
 * The Whitelist of Access Control (guide 3.6, table 3-6): IPv4 addresses and CIDR blocks, comma-separated
 * in the form, at most 300. Pure (no server imports) so the form gives the server's message as you type.
 */

/** Most entries a whitelist may hold (table 3-6). */
export const WHITELIST_LIMIT = 300;

/** The parsed whitelist, or the first problem found in it (its message names the entry). */
export type WhitelistParse = { ok: true; entries: string[] } | { ok: false; message: string };

const EXAMPLE = "e.g. 10.168.2.24 or 10.168.16.0/24";

/**
 * Parses the whitelist as entered: comma-separated text (spaces and new lines also separate) or a list.
 * Empty entries are skipped, duplicates removed (first one kept, order kept). IPv6 is refused, naming the
 * entry; so is a CIDR block with host bits set, with the network address it meant.
 */
export function parseWhitelist(input: string | readonly string[]): WhitelistParse {
  const raw = (typeof input === "string" ? [input] : input).flatMap((part) => part.split(/[\s,]+/)).filter((entry) => entry !== "");
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    const problem = entryProblem(entry);
    if (problem) return { ok: false, message: `Whitelist: ${problem}` };
    if (seen.has(entry)) continue;
    seen.add(entry);
    entries.push(entry);
  }
  if (entries.length > WHITELIST_LIMIT)
    return { ok: false, message: `Whitelist: can contain at most ${WHITELIST_LIMIT} IP addresses or CIDR blocks (${entries.length} entered)` };
  return { ok: true, entries };
}

/** Why one entry is not an IPv4 address or CIDR block network, or null. */
function entryProblem(entry: string): string | null {
  const slash = entry.indexOf("/");
  const address = slash < 0 ? entry : entry.slice(0, slash);
  if (address.includes(":") && ipaddr.IPv6.isValid(address))
    return `${entry} is an IPv6 ${slash < 0 ? "address" : "CIDR block"}; the whitelist supports IPv4 addresses and CIDR blocks only`;
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return `${entry} is not an IPv4 address or CIDR block (${EXAMPLE})`;
  if (slash < 0) return null;
  const prefix = entry.slice(slash + 1);
  if (!/^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefix)) return `${entry} is not an IPv4 CIDR block: the prefix length after / must be 0 to 32 (${EXAMPLE})`;
  const network = ipaddr.IPv4.networkAddressFromCIDR(entry).toString();
  if (network !== address) return `${entry} is not a network address; did you mean ${network}/${prefix}?`;
  return null;
}
