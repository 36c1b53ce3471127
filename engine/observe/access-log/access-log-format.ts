import { ACCESS_LOG_VERSION, ATTEMPT_SEPARATOR, NULL_FIELD, escapeLogValue, formatMsec, formatSeconds } from "../../protocol/access-log-line";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestDetail, RequestRecord, UpstreamAttemptRecord } from "../observer.types";

/**
 * Formatting one request as its table 7-1 line (layout: protocol/access-log-line.ts). Everything that
 * is the same for every request of a listener is joined once, when the snapshot is applied
 * (`compileLogListener`); per request the line is one chain of string concatenations of those parts
 * and the request's own values — no JSON, no closure, no array — and time_iso8601 is formatted once
 * per second and msec once per millisecond (`IsoSecondClock`).
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

/**
 * A value written bare (no quotes around it) that a client controls (SNI): escaped, spaces too, and a
 * leading "[" (a reader would take the field for a bracketed one).
 */
function bare(value: string): string {
  let escaped = escapeLogValue(value);
  if (escaped.indexOf(" ") >= 0) escaped = escaped.replace(/ /g, "\\x20");
  return escaped.charCodeAt(0) === 0x5b ? "\\x5B" + escaped.slice(1) : escaped;
}

/** A header value inside quotes: escaped, "-" when absent. */
function quoted(value: string | null): string {
  return value === null ? NULL_FIELD : escapeLogValue(value);
}

/** A step of an attempt in seconds since its start; "-" when not reached. */
function since(a: UpstreamAttemptRecord, at: number): string {
  return at < 0 ? NULL_FIELD : formatSeconds(at - a.startedAt);
}

const STATUS = 0;
const CONNECT = 1;
const HEADER = 2;
const RESPONSE = 3;
const ADDRESS = 4;

/** One field of one attempt. */
function attemptField(a: UpstreamAttemptRecord, field: number): string {
  switch (field) {
    case STATUS:
      return a.status === 0 ? NULL_FIELD : String(a.status);
    case CONNECT:
      return since(a, a.connectedAt);
    case HEADER:
      return since(a, a.headerAt);
    case RESPONSE:
      return since(a, a.endedAt);
    default:
      return a.address;
  }
}

/** A per-attempt field of table 7-1: one value per attempt joined by ", " (nginx's style), "-" without any. */
function attempts(d: RequestDetail, field: number): string {
  const n = d.attemptCount;
  if (n === 0) return NULL_FIELD;
  let out = attemptField(d.attempts[0]!, field);
  for (let i = 1; i < n; i++) out += ATTEMPT_SEPARATOR + attemptField(d.attempts[i]!, field);
  return out;
}

/**
 * The line of one finished request (newline-terminated). `record.detail` must be filled (the
 * observer logs requests); `epochMs` is when the request finished (msec).
 */
export function formatAccessLogLine(l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): string {
  const d = record.detail!;
  const member = record.member;
  const tls = l.https ? d.tls : null;
  const last = d.attemptCount === 0 ? null : d.attempts[d.attemptCount - 1]!;
  const address = context.clientAddress; // nginx writes an IPv6 client without brackets too ("::1:40000")
  return (
    clock.msec(epochMs) +
    l.topic +
    clock.at(epochMs) +
    l.version +
    address +
    ":" +
    context.clientPort +
    " " +
    record.status +
    ' "' +
    (record.method === "" ? NULL_FIELD : record.method) +
    " " +
    l.scheme +
    escapeLogValue(d.host) +
    escapeLogValue(d.uri) +
    " " +
    d.protocol +
    '" ' +
    d.requestLength +
    " " +
    d.bytesSent +
    " " +
    (d.bytesSent - d.headBytes) +
    " " +
    formatSeconds(record.doneAt - record.startedAt) +
    ' "' +
    attempts(d, STATUS) +
    '" "' +
    attempts(d, CONNECT) +
    '" "' +
    attempts(d, HEADER) +
    '" "' +
    attempts(d, RESPONSE) +
    '" "' +
    attempts(d, ADDRESS) +
    '" "' +
    quoted(d.userAgent) +
    '" "' +
    quoted(d.referer) +
    '" "' +
    quoted(d.forwardedFor) +
    l.names +
    (d.poolId === null ? NULL_FIELD : "pool_" + d.poolId) +
    ' "' +
    (member === null ? NULL_FIELD : "member_" + member.config.id) +
    l.tenant +
    (last === null ? NULL_FIELD : last.address) +
    '" ' +
    (tls === null || tls.certificateId === null ? NULL_FIELD : tls.certificateId) +
    " " +
    (tls === null || tls.protocol === "" ? NULL_FIELD : tls.protocol) +
    " " +
    (tls === null || tls.cipher === "" ? NULL_FIELD : tls.cipher) +
    " " +
    (tls === null || tls.sni === null ? NULL_FIELD : bare(tls.sni)) +
    " " +
    (d.rttMicros < 0 ? NULL_FIELD : d.rttMicros) +
    "\n"
  );
}
