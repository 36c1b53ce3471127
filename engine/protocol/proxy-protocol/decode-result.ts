import type { ProxyDecodeResult } from "./proxy-header.types";

/**
 * The decoder's non-header outcomes as shared frozen objects: the accept path calls the decoder once
 * per read, and an ordinary client or a partial header must not cost an allocation each time.
 */

/** Read more: the bytes so far are a valid prefix of a header. */
export const INCOMPLETE: ProxyDecodeResult = Object.freeze({ status: "incomplete" });

/** Not a PROXY header: the first bytes cannot start either signature. */
export const ABSENT: ProxyDecodeResult = Object.freeze({ status: "absent" });

/** An `invalid` outcome naming the rule that was broken; build them once, at module load. */
export function invalid(reason: string): ProxyDecodeResult {
  return Object.freeze({ status: "invalid", reason });
}
