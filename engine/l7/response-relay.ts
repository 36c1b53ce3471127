import { copyOf } from "../io/bytes";
import type { ResponseExchange, UntilCloseExchange } from "./exchange.types";
import { BodyMode, type BodyFramer } from "./http1/body-framer";
import { INVALID, NEED_MORE } from "./http1/head-reader";
import type { ResponseParser } from "./http1/response-parser";
import { buildResponseHead } from "./response-head-writer";

/**
 * The response half of an exchange, as functions over its state: parse the backend's head
 * (forwarding 1xx, turning an expected 101 into a tunnel), decide the body framing (HEAD, 204 and
 * 304 have none; chunked or Content-Length; else until close), rewrite the head once, then relay
 * body bytes as they arrive with backpressure, until the framer says the message ended. The framing
 * rules (`startFraming`, `endUntilClose`) serve HTTP/2 streams too (h2/stream-relay.ts).
 */

/**
 * Sets `framer` for the response whose head `res` holds (RFC 9112 §6.3): no body for HEAD, 204 and
 * 304; chunked; a Content-Length; else until the backend closes.
 */
export function startFraming(framer: BodyFramer, res: ResponseParser, isHead: boolean): void {
  const status = res.status;
  if (isHead || status === 204 || status === 304) framer.start(BodyMode.NONE);
  else if (res.hasEncoding) framer.start(res.chunked ? BodyMode.CHUNKED : BodyMode.UNTIL_CLOSE);
  else if (res.contentLength >= 0) framer.start(BodyMode.LENGTH, res.contentLength);
  else framer.start(BodyMode.UNTIL_CLOSE);
}

/**
 * The backend closed its connection: for a body framed until close that is the end of the response —
 * it finishes, the connection is not reused — and the answer is true. Anything else (an error, the
 * end of a tunnel) is the caller's.
 */
export function endUntilClose(x: UntilCloseExchange): boolean {
  if (x.stage !== "body" || x.framer.mode !== BodyMode.UNTIL_CLOSE) return false;
  x.framer.finishOnClose();
  x.reusable = false;
  x.finish();
  return true;
}

/** Backend bytes while the response head is incomplete. */
export function readResponseHead(x: ResponseExchange, chunk: Buffer): void {
  const res = x.upstream!.response;
  let i = 0;
  for (;;) {
    const r = res.execute(chunk, i);
    if (r === NEED_MORE) return;
    if (r === INVALID) return x.fail("bad_response");
    if (res.status >= 200) return startResponse(x, chunk, r);
    if (res.status === 101) return x.upgrade ? startTunnel(x, chunk, r) : x.fail("bad_response");
    // 1xx (100 Continue, 103 Early Hints): forwarded to HTTP/1.1 clients, then the real head follows.
    if (x.clientMinor === 1) x.conn.write(buildResponseHead(res, false, 1, ""));
    x.armTimer(); // the backend is alive: the response timeout starts again (102 Processing every 20 s is no 504)
    res.reset();
    i = r;
    if (i >= chunk.length) return;
  }
}

/** Backend bytes of the response body. */
export function relayResponseBody(x: ResponseExchange, chunk: Buffer): void {
  if (x.framer.dechunk) return afterDechunked(x, relayDechunked(x, chunk, 0, ""), chunk.length);
  const stop = x.framer.consume(chunk, 0, chunk.length);
  const ok = stop > 0 ? x.conn.writeBytes("", chunk, 0, stop) : true;
  afterWrite(x, ok, stop, chunk.length);
}

function startResponse(x: ResponseExchange, chunk: Buffer, start: number): void {
  const conn = x.conn;
  const res = x.upstream!.response;
  const status = res.status;
  const framer = x.framer;
  startFraming(framer, res, x.isHead);
  const untilClose = framer.mode === BodyMode.UNTIL_CLOSE;
  // An HTTP/1.0 client knows no chunked coding (RFC 9112 §6.1): body bytes alone, then close.
  const dechunk = x.clientMinor === 0 && res.chunked;
  if (dechunk && framer.mode === BodyMode.CHUNKED) framer.dechunk = true;
  x.reusable = res.keepAlive && !untilClose;
  x.closeClient = !conn.keepAlive || untilClose || framer.dechunk || !x.requestDone || conn.proxy.draining || conn.clientEnded;
  const sticky = x.sticky;
  const extra = sticky === null ? "" : sticky.onResponse(res, x.member!, x.stuck);
  const head = buildResponseHead(res, x.closeClient, x.clientMinor, extra, dechunk);
  x.responseStarted(status, head.length);
  x.stage = "body";
  x.armTimer();
  if (framer.dechunk) return afterDechunked(x, relayDechunked(x, chunk, start, head), chunk.length);
  const stop = framer.consume(chunk, start, chunk.length);
  const ok = stop === start ? conn.write(head) : conn.writeBytes(head, chunk, start, stop);
  afterWrite(x, ok, stop, chunk.length);
}

/**
 * Writes `head` (if any) and the chunk-data runs of chunk[start..], dropping the chunk framing and
 * trailers (HTTP/1.0 clients; rare, so a copy per run is fine). Returns where the body ended.
 */
function relayDechunked(x: ResponseExchange, chunk: Buffer, start: number, head: string): number {
  const conn = x.conn;
  const framer = x.framer;
  const end = chunk.length;
  conn.socket.cork();
  if (head !== "") conn.write(head);
  let i = start;
  while (i < end && !framer.done) {
    const j = framer.consumeData(chunk, i, end);
    if (framer.error !== 0 || j === i) break;
    if (framer.inData) conn.write(copyOf(chunk, i, j));
    i = j;
  }
  conn.socket.uncork();
  return i;
}

function afterDechunked(x: ResponseExchange, stop: number, end: number): void {
  afterWrite(x, !x.conn.socket.writableNeedDrain, stop, end);
}

function afterWrite(x: ResponseExchange, ok: boolean, stop: number, end: number): void {
  const framer = x.framer;
  if (framer.error !== 0) return x.abort("bad_response");
  if (!ok) x.upstream?.socket.pause();
  if (!framer.done) return;
  if (stop < end) x.reusable = false; // bytes after the response: the backend is out of step
  x.finish();
}

function startTunnel(x: ResponseExchange, chunk: Buffer, start: number): void {
  const conn = x.conn;
  const res = x.upstream!.response;
  const head = buildResponseHead(res, false, x.clientMinor, "");
  conn.writeBytes(head, chunk, start, chunk.length);
  x.responseStarted(res.status, head.length);
  x.stage = "tunnel";
  x.armTimer();
  conn.startTunnel();
}
