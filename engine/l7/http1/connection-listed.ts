import { latin1 } from "../../io/bytes";
import { FIELD_STRIDE, F_KIND, F_LINE, F_NAME_END, type HeadReader } from "./head-reader";
import { H } from "./header-kind";

/**
 * Lowercase names that the message's Connection fields list besides close/keep-alive/upgrade:
 * those fields are hop-by-hop and must not be forwarded (RFC 9110 §7.6.1). Rare, so strings are fine.
 */
export function connectionListed(head: HeadReader): Set<string> {
  const names = new Set<string>();
  for (const value of head.values(H.CONNECTION)) {
    for (const token of value.split(",")) {
      const name = token.trim().toLowerCase();
      if (name !== "" && name !== "close" && name !== "keep-alive" && name !== "upgrade") names.add(name);
    }
  }
  return names;
}

/**
 * True when field `index` (a header the proxy does not interpret itself) is named in `listed`.
 * Only OTHER fields are eligible: listing Host, Content-Length or Transfer-Encoding in Connection
 * must never make the proxy strip framing headers (hop-by-hop abuse).
 */
export function isListed(head: HeadReader, index: number, listed: Set<string>): boolean {
  const o = index * FIELD_STRIDE;
  if (head.fields[o + F_KIND] !== H.OTHER || listed.size === 0) return false;
  return listed.has(latin1(head.headBuf, head.fields[o + F_LINE]!, head.fields[o + F_NAME_END]!).toLowerCase());
}
