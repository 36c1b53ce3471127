import type { OutgoingHttpHeaders } from "node:http2";
import { closesClient, statusOf, type ProxyErrorKind } from "../errors";
import { generatedBody } from "../generated-response";
import type { PhaseAnswer } from "../phases/phase.types";
import { recordResponseStart, reportRequest } from "../request-report";
import type { AnswerStream } from "./h2.types";
import { NO_ERROR } from "./wire/frames";
import type { H2Stream } from "./wire/h2-stream";

/**
 * How a stream ends when no backend response is relayed, as error-answer.ts does for HTTP/1: a
 * generated page (`server: elb`, status from errors.ts), a request phase's own answer (a redirect),
 * an abort once response bytes went out (RST_STREAM INTERNAL_ERROR: only this stream ends, the
 * session and its other streams go on), or a cancel (the client reset the stream or left). Every
 * error is one `error` event to the observer; the stream's record then gets its outcome.
 *
 * An answer given before the client finished its request body ends with RST_STREAM NO_ERROR once the
 * response is out (RFC 9113 §8.1), so the client stops sending; so does an error kind that closes an
 * HTTP/1 connection (a 408 for a body that stalled).
 */

/** Answers with the generated page of `kind` (nothing was sent to the client yet). */
export function failStream(x: AnswerStream, kind: ProxyErrorKind, cause: unknown): void {
  const context = x.conn.context;
  context.observer.error(context, kind, cause ?? null);
  answerGeneratedStream(x, kind, statusOf(kind));
}

/** Ends the stream with a generated `status` page, its error (`kind`) already reported; the backend connection, if any, is dropped. */
export function answerGeneratedStream(x: AnswerStream, kind: ProxyErrorKind, status: number): void {
  dropUpstream(x);
  x.stage = "done";
  const body = generatedBody(status);
  const headers: OutgoingHttpHeaders = { ":status": status, server: "elb", "content-type": "text/html; charset=utf-8", "content-length": body.length };
  respondWhole(x, headers, body, !x.requestEnded || closesClient(kind));
  recordResponseStart(x, status);
  reportRequest(x, status, kind);
  x.settle();
}

/** A phase answered the stream itself: its answer, or the generated page of its error kind. */
export function answerPhaseStream(x: AnswerStream): void {
  x.member = null; // a phase may have chosen one before a later phase answered: it was never counted
  const answer = x.answer;
  if (answer === null) return failStream(x, x.errorKind ?? "internal", null);
  x.stage = "done";
  respondWhole(x, phaseHeaders(answer), answer.body, !x.requestEnded);
  recordResponseStart(x, answer.status);
  reportRequest(x, answer.status, null);
  x.settle();
}

/** The response already started (or cannot be finished): reports `kind`, releases everything, resets the stream. */
export function abortStream(x: AnswerStream, kind: ProxyErrorKind, cause: unknown): void {
  const context = x.conn.context;
  context.observer.error(context, kind, cause ?? null);
  x.record.error = kind;
  cancelStream(x);
  x.stream.abort(); // RST_STREAM INTERNAL_ERROR now, what was queued dropped: never END_STREAM on a cut body
}

/**
 * Releases everything of the stream's exchange (the client reset the stream, the session went away,
 * or an abort): the backend connection is destroyed — never back in its pool, its response was not
 * complete — the member released, the stream reported as `client_closed` unless an error was recorded.
 */
export function cancelStream(x: AnswerStream): void {
  x.shaper?.drop();
  if (x.stage === "done") return;
  x.stage = "done";
  dropUpstream(x);
  const record = x.record;
  reportRequest(x, record.responseStartedAt !== -1 ? record.status : 0, record.error !== null ? null : "client_closed");
  x.settle();
}

function dropUpstream(x: AnswerStream): void {
  x.shaper?.drop();
  const up = x.upstream;
  x.upstream = null;
  up?.destroy();
  x.releaseMember();
}

/**
 * Sends a whole response (headers, then `body` unless HEAD) on a stream that is still open; with
 * `endEarly` the stream is then reset with NO_ERROR (after the response went out) so the client stops sending.
 */
function respondWhole(x: AnswerStream, headers: OutgoingHttpHeaders, body: string, endEarly: boolean): void {
  const stream: H2Stream = x.stream;
  if (stream.closed || stream.headersSent) return;
  const headOnly = x.head.method === "HEAD" || body === "";
  stream.respond(headers, headOnly);
  if (!headOnly) stream.end(body); // latin1
  const detail = x.record.detail;
  if (detail !== null && !headOnly) detail.bytesSent += body.length; // the access log's bytes_sent (latin1: one char per byte)
  if (endEarly) stream.close(NO_ERROR);
}

/** A phase answer's header block: its status, `server: elb`, its fields (lowercased), its length. */
function phaseHeaders(answer: PhaseAnswer): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ":status": answer.status, server: "elb" };
  const fields = answer.fields;
  let i = 0;
  while (i < fields.length) {
    let end = fields.indexOf("\r\n", i);
    if (end < 0) end = fields.length;
    const colon = fields.indexOf(":", i);
    if (colon > i && colon < end) headers[fields.slice(i, colon).trim().toLowerCase()] = fields.slice(colon + 1, end).trim();
    i = end + 2;
  }
  headers["content-length"] = answer.body.length;
  return headers;
}
