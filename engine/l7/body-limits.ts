import { coarseClock } from "../io/coarse-clock";
import type { PhaseAnswer } from "./phases/phase.types";

/** The answer to a request body over maxBodyBytes. */
export const TOO_LARGE: PhaseAnswer = { status: 413, reason: "Content Too Large", fields: "Content-Type: text/plain\r\n", body: "413 Content Too Large\n" };

/**
 * The request body limits of one exchange (one object per client connection, reset per request):
 *
 * - size: `maxBodyBytes` (proxy-options.ts). A larger Content-Length is refused (413) before any
 *   backend connection (the exchange checks `contentLength > limit` first); a chunked body is counted
 *   as it arrives and `add` says when it grows past the limit (the exchange then cuts it: 413 before
 *   the response, else the connection closes).
 * - rate (slow POST): the body must arrive at `minBodyBytesPerSecond` at least, averaged over each
 *   window of `bodyRateWindowMs`. The handler's sweep calls `tooSlow` (once per sweep, never per
 *   chunk); a window during which the proxy itself held the client back (its socket paused by backend
 *   backpressure) does not count and a new window starts. The exchange answers 408 before the
 *   response, else closes the connection.
 *
 * Bytes are counted whether they are streamed to the backend or buffered before connecting
 * (body-buffer.ts): a small body trickled into the buffer meets the same rate rule.
 */
export class BodyLimits {
  /** Body bytes received for the current request (streamed or buffered). */
  bytes = 0;
  /** maxBodyBytes of this request (read once per request, compared per body chunk). */
  private limit = 0;
  /** Current rate window: its start (coarse ms; 0 = none yet) and `bytes` at that start. */
  private windowStart = 0;
  private windowBytes = 0;

  /** A new request with body limit `limit`; `bodyExpected` opens the first rate window now. */
  begin(limit: number, bodyExpected: boolean): void {
    this.bytes = this.windowBytes = 0;
    this.limit = limit;
    this.windowStart = bodyExpected ? coarseClock.now : 0;
  }

  /** Counts `n` more body bytes; false when the body is now over the limit. */
  add(n: number): boolean {
    return (this.bytes += n) <= this.limit;
  }

  /**
   * True when the body came slower than `minPerSecond` over a whole window of `windowMs` ending at
   * `now` (`minPerSecond` ≤ 0: never). `held`: the proxy holds the client back now, so this window
   * does not count. When a window is over (or none was open) the next one starts at `now`.
   */
  tooSlow(now: number, minPerSecond: number, windowMs: number, held: boolean): boolean {
    if (minPerSecond <= 0) return false;
    const elapsed = now - this.windowStart;
    if (this.windowStart !== 0 && !held) {
      if (elapsed < windowMs) return false;
      if ((this.bytes - this.windowBytes) * 1000 < minPerSecond * elapsed) return true;
    }
    this.windowStart = now;
    this.windowBytes = this.bytes;
    return false;
  }
}
