import { closesClient, statusOf, type ProxyErrorKind } from "./errors";
import type { AnswerExchange } from "./exchange.types";
import { generatedResponse, phaseResponse } from "./generated-response";
import { generatedHeadWritten } from "./request-detail";

/**
 * How an exchange ends when no backend response is relayed: a generated error page (`Server: elb`,
 * status from errors.ts), a request phase's own answer (a redirect), or — once response bytes went
 * out — an abort that closes the client connection. Every error is one `error` event to the
 * connection's observer; the request's record then gets its outcome (`done`). The client connection
 * is kept for another request only when the error kind allows it and the request was read whole.
 */

/** Answers with the generated page of `kind` (nothing was sent to the client yet). */
export function failExchange(x: AnswerExchange, kind: ProxyErrorKind, cause: unknown): void {
  const context = x.conn.context;
  context.observer.error(context, kind, cause ?? null);
  answerGenerated(x, kind, statusOf(kind), closesClient(kind));
}

/**
 * Ends the request with a generated `status` page, its error (`kind`) already reported: the backend
 * connection, if any, is dropped and the member released. `close` forces the client connection to end.
 */
export function answerGenerated(x: AnswerExchange, kind: ProxyErrorKind, status: number, close: boolean): void {
  x.shaper?.drop();
  const up = x.upstream;
  x.upstream = null;
  up?.destroy();
  x.releaseMember();
  x.stage = "done";
  const conn = x.conn;
  const ends = close || !x.requestDone || !conn.keepAlive || conn.proxy.draining || conn.clientEnded;
  const response = generatedResponse(status, ends, x.clientMinor, x.isHead);
  conn.write(response);
  generatedHeadWritten(x.record, response);
  x.done(status, kind);
  conn.exchangeDone(!ends);
}

/** A phase answered the request itself: its answer, or the generated page of its error kind. */
export function answerPhase(x: AnswerExchange): void {
  x.member = null; // a phase may have chosen one before a later phase answered: it was never counted
  const answer = x.answer;
  if (answer === null) return failExchange(x, x.errorKind ?? "internal", null);
  const conn = x.conn;
  x.stage = "done";
  const close = !x.requestDone || !conn.keepAlive || conn.proxy.draining || conn.clientEnded;
  const response = phaseResponse(answer, close, x.clientMinor, x.isHead);
  conn.write(response);
  generatedHeadWritten(x.record, response);
  x.done(answer.status, null);
  conn.exchangeDone(!close);
}

/** The response already started (or cannot be answered any more): reports `kind`, releases everything, closes the client. */
export function abortExchange(x: AnswerExchange, kind: ProxyErrorKind, cause: unknown): void {
  const context = x.conn.context;
  context.observer.error(context, kind, cause ?? null);
  x.record.error = kind;
  cancelExchange(x);
  x.conn.destroy();
}

/**
 * Releases everything of the request in flight (the client left, or an abort): the backend connection
 * is destroyed, the member released, the request reported — as `client_closed` unless it was a tunnel
 * (which ends this way normally) or an error was already recorded.
 */
export function cancelExchange(x: AnswerExchange): void {
  x.shaper?.drop();
  const stage = x.stage;
  if (stage === "idle" || stage === "done") return;
  x.stage = "done";
  const up = x.upstream;
  x.upstream = null;
  if (up !== null) up.destroy();
  x.releaseMember();
  const record = x.record;
  x.done(record.responseStartedAt !== -1 ? record.status : 0, stage === "tunnel" || record.error !== null ? null : "client_closed");
}
