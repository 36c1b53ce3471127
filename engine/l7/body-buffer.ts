import { latin1 } from "../io/bytes";
import { FIELD_STRIDE, F_KIND, F_LINE, F_NAME_END } from "./http1/head-reader";
import { equalsLower } from "./http1/bytes";
import { H } from "./http1/header-kind";
import type { RequestParser } from "./http1/request-parser";

/** Size of the spare buffers kept for partial bodies (the default `bufferBodyBytes`). */
const SPARE_BYTES = 16 * 1024;
/** Spare buffers kept between requests (at most 1 MiB); beyond that they are left to the GC. */
const MAX_SPARES = 64;
/** What the proxy answers itself to `Expect: 100-continue` on a body it buffers (the backend never sees the Expect). */
export const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
/** Spare buffers, shared by every connection (taken while a body trickles in, given back when it is complete). */
const spares: Buffer[] = [];

/**
 * A small request body read whole before the backend connection is taken (nginx
 * `proxy_request_buffering` for bodies up to `bufferBodyBytes`, proxy-options.ts). One object per
 * client connection, reused per request; nothing is allocated for requests without a body.
 *
 * The common case — the body arrives in one read, usually with its head — is kept as one latin1
 * string and never copied into a buffer. A body arriving in pieces is copied into a 16 KiB spare
 * buffer taken from a shared free list (a larger `bufferBodyBytes` allocates its own) and given back
 * as soon as the body is complete. `take()` hands the body over as a latin1 string: the exchange
 * appends it to the request head, so head and body go out in one write, and a retry on another
 * member after a failed connect can send them again.
 *
 * The backend sees the request only once the body is complete, so it cannot answer an
 * `Expect: 100-continue`: the proxy does (`expectsContinue`; RFC 9110 §10.1.1: an expectation in an
 * HTTP/1.0 request is ignored) and the Expect field is not forwarded, as nginx does.
 */
export class BodyBuffer {
  /** A body is being buffered (from `begin` until `take` or `clear`). */
  active = false;
  /** The request asked for 100 Continue (HTTP/1.1 `Expect: 100-continue`): the caller answers it. */
  expectsContinue = false;
  /** The whole body when it arrived in one piece. */
  private whole = "";
  /** The pieces so far, when it did not. */
  private buf: Buffer | null = null;
  private held = 0;
  private expected = 0;

  /**
   * Starts buffering the body of `req` (its Content-Length bytes). Returns the index of its `Expect`
   * field (-1 = none), which the head writer then leaves out; sets `expectsContinue`.
   */
  begin(req: RequestParser): number {
    this.active = true;
    this.expected = req.contentLength;
    this.held = 0;
    const expect = expectField(req);
    this.expectsContinue = expect >= 0 && req.versionMinor === 1 && req.value(expect).toLowerCase() === "100-continue";
    return expect;
  }

  /** Body bytes src[start, end) (a shared read buffer: copied; the body framer never passes bytes past the body's end). */
  add(src: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.held === 0 && n === this.expected) {
      this.whole = latin1(src, start, end);
      this.held = n;
      return;
    }
    let buf = this.buf;
    if (buf === null) {
      const size = this.expected;
      buf = this.buf = size <= SPARE_BYTES ? (spares.pop() ?? Buffer.allocUnsafe(SPARE_BYTES)) : Buffer.allocUnsafe(size);
    }
    src.copy(buf, this.held, start, end);
    this.held += n;
  }

  /** The complete body as a latin1 string; buffering ends and any spare buffer goes back. */
  take(): string {
    const buf = this.buf;
    const body = buf === null ? this.whole : latin1(buf, 0, this.held);
    this.clear();
    return body;
  }

  /** Ends buffering (request over or failed), giving back any spare buffer. */
  clear(): void {
    this.active = false;
    this.whole = "";
    this.held = 0;
    const buf = this.buf;
    if (buf === null) return;
    this.buf = null;
    if (buf.length === SPARE_BYTES && spares.length < MAX_SPARES) spares.push(buf);
  }
}

/** The index of the request's `Expect` field, or -1 (walks the field records; only for buffered requests). */
function expectField(req: RequestParser): number {
  const f = req.fields;
  const buf = req.headBuf;
  for (let i = 0; i < req.fieldCount; i++) {
    const o = i * FIELD_STRIDE;
    if (f[o + F_KIND] !== H.OTHER) continue;
    const name = f[o + F_LINE]!;
    if (f[o + F_NAME_END]! - name === 6 && equalsLower(buf, name, "expect")) return i;
  }
  return -1;
}
