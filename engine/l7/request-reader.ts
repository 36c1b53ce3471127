import { copyOf } from "../io/bytes";
import { requestParseErrorKind } from "./errors";
import type { RequestReaderConnection } from "./exchange.types";
import { BodyMode } from "./http1/body-framer";
import { INVALID, NEED_MORE } from "./http1/head-reader";
import { isClosing, type ClientState } from "./connection-state";

/** Pipelined bytes buffered while a request is in flight before the socket stops reading. */
const MAX_PIPELINED_BYTES = 64 * 1024;

/**
 * The request half of a client connection, as functions over its state: feed bytes to the strict
 * head parser, start an exchange per complete head, stream its body through the body framer, and
 * keep pipelined bytes until the exchange in flight is over (strictly one request at a time).
 */

/** Parses requests from buf[start..] while the connection waits for a head; stashes the rest. */
export function feedRequests(conn: RequestReaderConnection, buf: Buffer, start: number): void {
  conn.feeding = true;
  for (;;) {
    while (start < buf.length) {
      if (conn.state !== "head") {
        stashPipelined(conn, buf, start);
        break;
      }
      if (!conn.headStarted) {
        conn.headStarted = true;
        conn.headStartedAt = conn.context.observer.observesRequests ? performance.now() : 0;
        // A new connection keeps its accept-time head deadline; a kept-alive one starts one now.
        if (conn.timerKind !== "head") conn.setTimer("head", conn.proxy.options.headTimeoutMs);
      }
      const r = conn.parser.execute(buf, start);
      if (r === NEED_MORE) break;
      if (r === INVALID) {
        conn.reject(requestParseErrorKind(conn.parser.error));
        break;
      }
      start = r;
      beginRequest(conn);
      if ((conn.state as ClientState) === "body") start = forwardRequestBody(conn, buf, start); // start() may have answered already
    }
    // An exchange that completed synchronously (e.g. 503) leaves the next pipelined request here.
    const pending = conn.pending;
    if (conn.state !== "head" || pending === null) break;
    conn.pending = null;
    buf = pending;
    start = 0;
  }
  conn.feeding = false;
}

/** Forwards request body bytes of buf[start..]; returns where the body ended. */
export function forwardRequestBody(conn: RequestReaderConnection, buf: Buffer, start: number): number {
  const body = conn.body;
  const stop = body.consume(buf, start, buf.length);
  if (body.error !== 0) {
    conn.exchange.clientFailed("bad_request");
    return buf.length;
  }
  if (stop > start) conn.exchange.sendBody(buf, start, stop);
  if (body.done && conn.state === "body") {
    conn.state = "wait";
    conn.exchange.requestSent();
  }
  return stop;
}

/** Keeps a private copy of buf[start..] for after the exchange in flight; stops reading past a bound. */
export function stashPipelined(conn: RequestReaderConnection, buf: Buffer, start: number): void {
  if (isClosing(conn.state)) return;
  const part = copyOf(buf, start, buf.length);
  conn.pending = conn.pending === null ? part : Buffer.concat([conn.pending, part]);
  if (conn.pending.length > MAX_PIPELINED_BYTES) conn.socket.pause();
}

function beginRequest(conn: RequestReaderConnection): void {
  const p = conn.parser;
  conn.keepAlive = p.keepAlive;
  const body = conn.body;
  if (p.chunked) body.start(BodyMode.CHUNKED);
  else if (p.contentLength > 0) body.start(BodyMode.LENGTH, p.contentLength);
  else body.start(BodyMode.NONE);
  conn.state = body.done ? "wait" : "body";
  conn.exchange.start();
}
