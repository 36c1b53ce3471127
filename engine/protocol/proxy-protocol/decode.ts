import { ABSENT, INCOMPLETE } from "./decode-result";
import { decodeV1 } from "./decode-v1";
import { decodeV2 } from "./decode-v2";
import type { ProxyDecodeResult } from "./proxy-header.types";

const V1_FIRST_BYTE = 0x50; // "P" of "PROXY"
const V2_FIRST_BYTE = 0x0d; // "\r" of the v2 signature

/**
 * Looks at the first bytes of a connection (or at one datagram) in bytes[start, end) and says whether
 * they hold a PROXY protocol header (HAProxy doc/proxy-protocol.txt), version 1 or 2, told apart by
 * the first byte as section 2.2 describes:
 * - `header` with its `length`: a complete, valid header; what follows it is the client's data;
 * - `incomplete`: the bytes so far are a prefix of a valid header (the caller bounds time and size:
 *   a v1 line never exceeds 107 bytes, a v2 header never `PROXY_V2_MAX_LENGTH`);
 * - `absent`: they cannot start either signature (an ordinary client, mostly told by its first byte);
 * - `invalid` with the broken rule: close the connection ("Any sequence which does not exactly match
 *   the protocol must be discarded and cause the receiver to abort the connection", section 2.1).
 * Pure and synchronous; `absent` and `incomplete` are shared objects and the bytes are not kept (TLV
 * values are copied), so it may be called on a shared read buffer once per read.
 */
export function decodeProxyHeader(bytes: Uint8Array, start = 0, end: number = bytes.length): ProxyDecodeResult {
  const from = start > 0 ? start : 0;
  const to = end < bytes.length ? end : bytes.length;
  if (from >= to) return INCOMPLETE;
  const first = bytes[from];
  if (first === V1_FIRST_BYTE) return decodeV1(bytes, from, to);
  if (first === V2_FIRST_BYTE) return decodeV2(bytes, from, to);
  return ABSENT;
}
