import { CONTINUE } from "./body-buffer";
import { TOO_LARGE } from "./body-limits";
import { abortExchange, failExchange } from "./error-answer";
import type { BodyExchange, OversizeExchange } from "./exchange.types";
import type { RequestParser } from "./http1/request-parser";
import type { ResolvedOptions } from "./proxy-options";
import { connectChosen } from "./upstream-attempt";

/**
 * The request body of an exchange, client → backend. A Content-Length body of at most
 * `bufferBodyBytes` is read whole before any backend connection is taken (body-buffer.ts; its
 * `Expect: 100-continue` is answered here), then goes out with the head in one write, to the chosen
 * member or — if it became unavailable meanwhile — the balancer's next pick. Any other body streams
 * as it arrives, a full backend buffer pausing the client. Size (`maxBodyBytes` → 413) and rate
 * (`minBodyBytesPerSecond` → 408) limits count both kinds (body-limits.ts).
 */

/**
 * Starts the body rules of a request whose head just arrived: the rate window, and buffering for a
 * small Content-Length body (answering its 100-continue). Returns the index of an `Expect` field the
 * head writer must leave out (-1 = none).
 */
export function beginBody(x: BodyExchange, req: RequestParser, o: ResolvedOptions): number {
  x.limits.begin(o.maxBodyBytes, !x.requestDone); // first body rate window (checked by the sweep)
  if (x.requestDone || req.chunked || req.contentLength > o.bufferBodyBytes) return -1;
  const drop = x.buffer.begin(req);
  if (x.buffer.expectsContinue) x.conn.write(CONTINUE);
  return drop;
}

/** Body bytes buf[start, end) from the client (a shared read buffer: copied before they are kept or written). */
export function forwardBody(x: BodyExchange, buf: Buffer, start: number, end: number): void {
  if (x.stage === "done") return;
  if (x.buffer.active) {
    x.limits.add(end - start); // within Content-Length ≤ bufferBodyBytes: never over the limit
    return x.buffer.add(buf, start, end);
  }
  const up = x.upstream;
  if (up === null) return;
  if (!x.limits.add(end - start)) return bodyTooLarge(x); // chunked past the limit
  if (!up.writeBytes(buf, start, end)) x.conn.socket.pause();
}

/** The client finished sending the request: a buffered body goes out now, else the wait for the response begins. */
export function bodyComplete(x: BodyExchange): void {
  x.requestDone = true;
  if (x.buffer.active && x.stage === "awaiting-head") return sendBuffered(x);
  if (x.stage === "awaiting-head") x.armTimer();
}

/**
 * The buffered body is complete: only now is a backend connection taken, for the chosen member
 * (or the balancer's next pick if it became unavailable meanwhile); head and body go in one write.
 */
function sendBuffered(x: BodyExchange): void {
  x.forwardHead += x.buffer.take();
  x.replayable = true;
  const member = x.chosen!;
  x.chosen = null;
  connectChosen(x, member);
}

/**
 * The request body is over maxBodyBytes: 413 before any response byte (the backend, if any, gets a
 * reset, not a body that looks complete; a member chosen at the head but not yet counted is not
 * released), else the client connection ends (HTTP/2: the stream is reset). HTTP/2 streams use it too.
 */
export function bodyTooLarge(x: OversizeExchange): void {
  const up = x.upstream;
  if (up !== null) {
    if (x.responseSeen) return x.abort("bad_request", null);
    x.upstream = null;
    up.socket.resetAndDestroy();
    up.destroy();
    x.releaseMember();
  }
  x.answer = TOO_LARGE;
  x.sendAnswer();
}

/**
 * Called by the connection's sweep while the request body arrives: true when the body came slower
 * than minBodyBytesPerSecond over a whole window (→ 408, or the connection closes mid-response).
 * A window in which the proxy held the client back (socket paused: backend backpressure) does not count.
 */
export function bodyTooSlow(x: BodyExchange, now: number): boolean {
  if (x.stage === "idle" || x.stage === "done") return false;
  const o = x.conn.proxy.options;
  if (!x.limits.tooSlow(now, o.minBodyBytesPerSecond, o.bodyRateWindowMs, x.conn.socket.isPaused())) return false;
  if (x.stage === "awaiting-head") failExchange(x, "request_timeout", null);
  else abortExchange(x, "request_timeout", null);
  return true;
}
