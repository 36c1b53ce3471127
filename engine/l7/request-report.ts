import type { ProxyErrorKind } from "./errors";
import type { ReportExchange } from "./exchange.types";
import { settleDetail } from "./request-detail";

/**
 * What the connection's observer learns of each request: exactly one `requestDone` per request
 * (relayed, answered by the engine, refused by the parser, or cut short), with method, status,
 * member, error and timings. The record is one object per connection, reused for every request;
 * clocks are read only when the observer asked for requests (`observesRequests`), so production's
 * no-op observer costs no timestamp per request. HTTP/2 streams are reported by the same functions
 * (h2/stream-exchange.ts: one record per stream). When the observer logs requests, the record's
 * access-log detail (request-detail.ts) is settled here too, just before it is handed over.
 */

/** A timestamp for the record (performance.now() ms), 0 when nobody observes requests. */
export function stamp(x: ReportExchange): number {
  return x.timed ? performance.now() : 0;
}

/**
 * A request (method `method`) begins: the record is reset and will be reported once. `receivedAt`: when
 * its first byte arrived (performance.now() ms; 0 = now), where request_time and m14_l7_rt start.
 */
export function beginRecord(x: ReportExchange, method: string, receivedAt = 0): void {
  const record = x.record;
  record.method = method;
  record.status = 0;
  record.startedAt = receivedAt > 0 && x.timed ? receivedAt : stamp(x);
  record.responseStartedAt = -1;
  if (x.timed && !x.recording) x.conn.context.observer.requestStarted(x.conn.context);
  x.recording = true;
}

/** The backend's final response head (status ≥ 200 or 101) arrived. */
export function recordResponseStart(x: ReportExchange, status: number): void {
  const record = x.record;
  record.responseStartedAt = stamp(x);
  record.status = status;
}

/** Hands the finished request to the observer (once per request: later calls do nothing). */
export function reportRequest(x: ReportExchange, status: number, error: ProxyErrorKind | null): void {
  const record = x.record;
  if (!x.recording) return;
  x.recording = false;
  record.status = status;
  if (x.timed) {
    record.member = x.member ?? record.member;
    if (error !== null) record.error = error;
    record.doneAt = performance.now();
    const context = x.conn.context;
    const detail = record.detail;
    if (detail !== null) {
      detail.poolId = x.pool?.config.id ?? null;
      settleDetail(detail, context, record.error, x.requestBodyBytes, x.conn.socket, record.doneAt);
    }
    context.observer.requestDone(context, record);
  }
  record.member = null;
  record.error = null;
}
