import { copyOf } from "../../io/bytes";
import { BodyMode } from "../http1/body-framer";
import { INVALID, NEED_MORE } from "../http1/head-reader";
import { attemptHeader } from "../request-detail";
import { recordResponseStart } from "../request-report";
import { startFraming } from "../response-relay";
import type { RelayStream } from "./h2.types";
import { responseHeaders } from "./response-headers";

/**
 * The response half of a stream's exchange, as response-relay.ts is for HTTP/1: the backend's
 * HTTP/1.x head is parsed by the engine's own `ResponseParser` (1xx forwarded as informational
 * header blocks; 101 is refused: HTTP/2 has no Upgrade), its framing decided by the `BodyFramer`
 * (HEAD, 204 and 304 have none; chunked is de-chunked into DATA, trailers dropped; Content-Length;
 * else until the backend closes), the head turned into one HTTP/2 header block (response-headers.ts),
 * then body bytes relayed as DATA as they arrive. A write the stream cannot take at once (HTTP/2 flow
 * control: the client's window is shut and the stream holds its high-water mark, or the socket is
 * full) pauses the backend until the stream drains.
 */

/** Backend bytes while the response head is incomplete. */
export function readStreamResponseHead(x: RelayStream, chunk: Buffer): void {
  const res = x.upstream!.response;
  let i = 0;
  for (;;) {
    const r = res.execute(chunk, i);
    if (r === NEED_MORE) return;
    if (r === INVALID) return x.fail("bad_response");
    if (res.status >= 200) return startStreamResponse(x, chunk, r);
    if (res.status === 101) return x.fail("bad_response"); // no Upgrade over HTTP/2 (RFC 9113 §8.6)
    informational(x, res.status);
    x.armTimer(); // the backend is alive: the response timeout starts again
    res.reset();
    i = r;
    if (i >= chunk.length) return;
  }
}

/** Backend bytes of the response body. */
export function relayStreamBody(x: RelayStream, chunk: Buffer): void {
  relayFrom(x, chunk, 0);
}

/** 100 Continue, 102, 103 Early Hints: an informational header block on the stream (RFC 9113 §8.1). */
function informational(x: RelayStream, status: number): void {
  x.stream.informational(status); // ignored once the response head went out, or on a closed stream
}

function startStreamResponse(x: RelayStream, chunk: Buffer, start: number): void {
  const res = x.upstream!.response;
  const status = res.status;
  const framer = x.framer;
  startFraming(framer, res, x.isHead);
  x.reusable = res.keepAlive && framer.mode !== BodyMode.UNTIL_CLOSE;
  const sticky = x.sticky;
  const extra = sticky === null ? "" : sticky.onResponse(res, x.member!, x.stuck);
  const headers = responseHeaders(res, extra);
  recordResponseStart(x, status);
  attemptHeader(x.record, status);
  x.stage = "body";
  x.armTimer();
  const stream = x.stream;
  if (stream.closed) return; // the client reset it: its close cancels the exchange
  try {
    stream.respond(headers, framer.done);
  } catch (err) {
    return x.fail("bad_response", err); // a field the encoder refuses: never a crash of the engine
  }
  if (framer.done) {
    if (start < chunk.length) x.reusable = false; // bytes after a bodiless response: the backend is out of step
    return x.finish();
  }
  relayFrom(x, chunk, start);
}

/** Relays the body bytes of chunk[start..] as DATA (chunk framing dropped), then finishes or waits for more. */
function relayFrom(x: RelayStream, chunk: Buffer, start: number): void {
  const framer = x.framer;
  const end = chunk.length;
  let ok = true;
  let stop: number;
  if (framer.mode === BodyMode.CHUNKED) {
    let i = start;
    while (i < end && !framer.done) {
      const j = framer.consumeData(chunk, i, end);
      if (framer.error !== 0 || j === i) break;
      if (framer.inData) ok = x.sendData(copyOf(chunk, i, j));
      i = j;
    }
    stop = i;
  } else {
    stop = framer.consume(chunk, start, end);
    if (stop > start) {
      if (framer.done) x.endData(copyOf(chunk, start, stop));
      else ok = x.sendData(copyOf(chunk, start, stop));
    }
  }
  if (framer.error !== 0) return x.abort("bad_response");
  if (framer.done) {
    if (stop < end) x.reusable = false; // bytes after the response: the backend is out of step
    return x.finish();
  }
  if (!ok) x.streamFull();
}
