import { ACCESS_LOG_VERSION, ATTEMPT_SEPARATOR, NULL_FIELD, formatMsec } from "../../protocol/access-log-line";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestDetail, RequestRecord, UpstreamAttemptRecord } from "../observer.types";
import type { LineBuffer } from "./line-buffer";

/**
 * Formatting one request as its table 7-1 line (layout: protocol/access-log-line.ts). Everything that
 * is the same for every request of a listener is joined once, when the snapshot is applied
 * (`compileLogListener`); per request those parts and the request's own values are written as bytes
 * into one reused `LineBuffer` — no string concatenation, no JSON, no closure, no array — and
 * time_iso8601 is formatted once per second and msec once per millisecond (`IsoSecondClock`).
 */

/** The constant parts of one listener's lines, joined at snapshot time. */
export interface CompiledLogListener {
  /** " <topic> [" — after msec. */
  readonly topic: string;
  /** "] <log_ver> " — after time_iso8601. */
  readonly version: string;
  /** "http://" or "https://" — after the method in the request line. */
  readonly scheme: string;
  /** '" loadbalancer_<lb> listener_<id> <id> ' — after http_x_forwarded_for. */
  readonly names: string;
  /** '" <tenant> <eip>:<port> "' — after member_name. */
  readonly tenant: string;
  /** True for HTTPS (ssl_* fields are then the connection's, else "-"). */
  readonly https: boolean;
}

/** Joins the constant parts of a listener's lines (once per snapshot). */
export function compileLogListener(listener: SnapshotListener): CompiledLogListener {
  const log = listener.accessLog!;
  const eip = log.eipAddress ?? NULL_FIELD;
  return {
    topic: ` ${log.streamId} [`,
    version: `] ${ACCESS_LOG_VERSION} `,
    scheme: listener.protocol === "HTTPS" ? "https://" : "http://",
    names: `" loadbalancer_${listener.loadBalancerId} listener_${listener.id} ${listener.id} `,
    tenant: `" ${log.tenantId} ${eip}:${listener.port} "`,
    https: listener.protocol === "HTTPS",
  };
}

/**
 * time_iso8601 (nginx: local time with its UTC offset, "2026-12-01T23:26:11+00:00"), formatted once
 * per second: every request of the same second gets the same string.
 */
export class IsoSecondClock {
  private second = -1;
  private text = "";
  private ms = -1;
  private msText = "";

  /** $msec of `epochMs` ("1764631571.123"), made once per millisecond. */
  msec(epochMs: number): string {
    if (epochMs !== this.ms) {
      this.ms = epochMs;
      this.msText = formatMsec(epochMs);
    }
    return this.msText;
  }

  /** The ISO 8601 local time of `epochMs`, to the second. */
  at(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.text = isoLocal(second * 1000);
    }
    return this.text;
  }
}

function two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** nginx's $time_iso8601 of `epochMs`. */
export function isoLocal(epochMs: number): string {
  const d = new Date(epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/** A step of an attempt in seconds since its start; "-" when not reached. */
function since(out: LineBuffer, a: UpstreamAttemptRecord, at: number): void {
  if (at < 0) out.text(NULL_FIELD);
  else out.seconds(at - a.startedAt);
}

const STATUS = 0;
const CONNECT = 1;
const HEADER = 2;
const RESPONSE = 3;
const ADDRESS = 4;

/** One field of one attempt. */
function attemptField(out: LineBuffer, a: UpstreamAttemptRecord, field: number): void {
  switch (field) {
    case STATUS:
      if (a.status === 0) out.text(NULL_FIELD);
      else out.int(a.status);
      return;
    case CONNECT:
      return since(out, a, a.connectedAt);
    case HEADER:
      return since(out, a, a.headerAt);
    case RESPONSE:
      return since(out, a, a.endedAt);
    default:
      out.text(a.address);
  }
}

/** A per-attempt field of table 7-1 in quotes and a space after: one value per attempt joined by ", " (nginx's style), "-" without any. */
function attempts(out: LineBuffer, d: RequestDetail, field: number): void {
  const n = d.attemptCount;
  out.text('"');
  if (n === 0) out.text(NULL_FIELD);
  else {
    attemptField(out, d.attempts[0]!, field);
    for (let i = 1; i < n; i++) {
      out.text(ATTEMPT_SEPARATOR);
      attemptField(out, d.attempts[i]!, field);
    }
  }
  out.text('" ');
}

/** A header value inside quotes: escaped, "-" when absent; the closing quote and a space after. */
function quoted(out: LineBuffer, value: string | null): void {
  out.text('"');
  if (value === null) out.text(NULL_FIELD);
  else out.escaped(value);
}

/**
 * Writes the line of one finished request (newline-terminated) into `out` (after its `reset`).
 * `record.detail` must be filled (the observer logs requests); `epochMs` is when the request finished (msec).
 */
export function writeAccessLogLine(out: LineBuffer, l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): void {
  const d = record.detail!;
  const member = record.member;
  const tls = l.https ? d.tls : null;
  const last = d.attemptCount === 0 ? null : d.attempts[d.attemptCount - 1]!;
  out.text(clock.msec(epochMs));
  out.text(l.topic);
  out.text(clock.at(epochMs));
  out.text(l.version);
  out.text(context.clientAddress); // nginx writes an IPv6 client without brackets too ("::1:40000")
  out.text(":");
  out.int(context.clientPort);
  out.text(" ");
  out.int(record.status);
  out.text(' "');
  out.text(record.method === "" ? NULL_FIELD : record.method);
  out.text(" ");
  out.text(l.scheme);
  out.escaped(d.host);
  out.escaped(d.uri);
  out.text(" ");
  out.text(d.protocol);
  out.text('" ');
  out.int(d.requestLength);
  out.text(" ");
  out.int(d.bytesSent);
  out.text(" ");
  out.int(d.bytesSent - d.headBytes);
  out.text(" ");
  out.seconds(record.doneAt - record.startedAt);
  out.text(" ");
  attempts(out, d, STATUS);
  attempts(out, d, CONNECT);
  attempts(out, d, HEADER);
  attempts(out, d, RESPONSE);
  attempts(out, d, ADDRESS);
  quoted(out, d.userAgent);
  out.text('" ');
  quoted(out, d.referer);
  out.text('" ');
  quoted(out, d.forwardedFor);
  out.text(l.names);
  if (d.poolId === null) out.text(NULL_FIELD);
  else {
    out.text("pool_");
    out.text(d.poolId);
  }
  out.text(' "');
  if (member === null) out.text(NULL_FIELD);
  else {
    out.text("member_");
    out.text(member.config.id);
  }
  out.text(l.tenant);
  out.text(last === null ? NULL_FIELD : last.address);
  out.text('" ');
  out.text(tls === null || tls.certificateId === null ? NULL_FIELD : tls.certificateId);
  out.text(" ");
  out.text(tls === null || tls.protocol === "" ? NULL_FIELD : tls.protocol);
  out.text(" ");
  out.text(tls === null || tls.cipher === "" ? NULL_FIELD : tls.cipher);
  out.text(" ");
  if (tls === null || tls.sni === null) out.text(NULL_FIELD);
  else out.escaped(tls.sni, true); // written bare: spaces and a leading "[" escaped too
  out.text(" ");
  if (d.rttMicros < 0) out.text(NULL_FIELD);
  else out.int(d.rttMicros);
  out.text("\n");
}
