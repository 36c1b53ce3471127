import type { ProxyErrorKind } from "../errors";
import type { ReportStream } from "./h2.types";

/**
 * What the session's observer learns of each HTTP/2 stream, as request-report.ts does for HTTP/1:
 * exactly one `requestDone` per stream (relayed, answered by the engine, or cut short by a reset),
 * with method, status, member, error and timings. Clocks are read only when the observer asked for
 * requests (`observesRequests`).
 */

/** A timestamp for the record (performance.now() ms), 0 when nobody observes requests. */
function stamp(x: ReportStream): number {
  return x.timed ? performance.now() : 0;
}

/** The stream's request begins (its head arrived). */
export function beginStreamRecord(x: ReportStream, method: string): void {
  const record = x.record;
  record.method = method;
  record.status = 0;
  record.startedAt = stamp(x);
  record.responseStartedAt = -1;
  x.recording = true;
}

/** The backend's final response head arrived (or the engine answered with `status`). */
export function recordStreamResponse(x: ReportStream, status: number): void {
  const record = x.record;
  record.responseStartedAt = stamp(x);
  record.status = status;
}

/** Hands the finished stream to the observer (once: later calls do nothing). */
export function reportStream(x: ReportStream, status: number, error: ProxyErrorKind | null): void {
  if (!x.recording) return;
  x.recording = false;
  const record = x.record;
  record.status = status;
  if (!x.timed) return;
  record.member = x.member ?? record.member;
  if (error !== null) record.error = error;
  record.doneAt = performance.now();
  const context = x.session.context;
  context.observer.requestDone(context, record);
}
