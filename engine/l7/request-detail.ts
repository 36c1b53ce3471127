import type net from "node:net";
import type { ErrorKind } from "../observe/error-kind.types";
import type { ConnectionContext, RequestDetail, RequestRecord, TlsDetail, UpstreamAttemptRecord } from "../observe/observer.types";
import type { MemberRuntime } from "../pools/pool-runtime.types";
import { equalsLower } from "./http1/bytes";
import { FIELD_STRIDE, F_KIND, F_LINE, F_NAME_END } from "./http1/head-reader";
import { logHost } from "./log-host";
import { H } from "./http1/header-kind";
import type { RequestParser } from "./http1/request-parser";
import type { StreamHead } from "./h2/stream-head";
import { socketFd, tcpRttMicros } from "./tcp-rtt";

/**
 * Filling a request record's access-log detail (`RequestRecord.detail`, table 7-1) — only for a
 * connection whose observer logs requests (`logsRequests`): everywhere else `record.detail` is null
 * and every function here returns at its first line. The detail object is made once per connection
 * (per HTTP/2 stream) and reused; per request the strings the line needs are taken while the head is
 * still readable (the HTTP/1 head lives in a shared read buffer), attempts are stamped as they happen,
 * and the totals are settled when the request is reported.
 */

/** What the detail functions see of an exchange (HTTP/1 `Exchange` or HTTP/2 `StreamExchange`). */
export interface DetailExchange {
  readonly record: RequestRecord;
  readonly timed: boolean;
}

/** A fresh detail (one per connection or stream). */
export function newDetail(tls: TlsDetail | null): RequestDetail {
  return {
    host: "",
    uri: "",
    protocol: "HTTP/1.1",
    userAgent: null,
    referer: null,
    forwardedFor: null,
    requestLength: 0,
    bytesSent: 0,
    headBytes: 0,
    bytesOutMark: 0,
    poolId: null,
    attempts: [],
    attemptCount: 0,
    tls,
    rttMicros: -1,
    rttReadAt: -Infinity,
    clientBytes: null,
  };
}

/**
 * The record's detail for a request that begins, made when the observer started logging since the
 * connection opened (an access log switched on); null when the observer does not log.
 */
export function detailFor(record: RequestRecord, context: ConnectionContext, tls: TlsDetail | null): RequestDetail | null {
  if (context.observer.logsRequests !== true) return (record.detail = null);
  let d = record.detail;
  if (d === null) record.detail = d = newDetail(tls);
  d.attemptCount = 0;
  d.headBytes = 0;
  d.bytesSent = 0;
  d.bytesOutMark = context.bytesOut; // bytes sent before this request: the difference is taken at the end
  return d;
}

/** Takes an HTTP/1 request's strings from its parsed head (called at the start of the request). */
export function captureHttp1Head(d: RequestDetail, req: RequestParser): void {
  d.host = logHost(req.host());
  d.uri = req.target();
  d.protocol = req.versionMinor === 0 ? "HTTP/1.0" : "HTTP/1.1";
  d.requestLength = req.headEnd - req.startLine;
  let ua: string | null = null;
  let referer: string | null = null;
  let xff: string | null = null;
  const f = req.fields;
  const buf = req.headBuf;
  for (let i = 0; i < req.fieldCount; i++) {
    const o = i * FIELD_STRIDE;
    const kind = f[o + F_KIND];
    if (kind === H.X_FORWARDED_FOR) {
      const v = req.value(i);
      xff = xff === null ? v : xff + ", " + v;
      continue;
    }
    if (kind !== H.OTHER) continue;
    const start = f[o + F_LINE]!;
    const len = f[o + F_NAME_END]! - start;
    if (len === 10 && ua === null && equalsLower(buf, start, "user-agent")) ua = req.value(i);
    else if (len === 7 && referer === null && equalsLower(buf, start, "referer")) referer = req.value(i);
  }
  d.userAgent = ua;
  d.referer = referer;
  d.forwardedFor = xff;
}

/**
 * Takes an HTTP/2 stream's strings from its head. Its bytes are counted by the stream itself
 * (`bytesSent`: DATA payload; the HPACK-compressed header block is not counted), and request_length
 * is the head as HTTP/1.1 would carry it (pseudo-headers and fields, uncompressed) plus the body.
 */
export function captureH2Head(d: RequestDetail, head: StreamHead): void {
  d.host = logHost(head.authority);
  d.uri = head.path;
  d.protocol = "HTTP/2.0";
  d.userAgent = head.userAgent;
  d.referer = head.referer;
  d.forwardedFor = head.forwardedFor === "" ? null : head.forwardedFor;
  d.requestLength = head.method.length + head.path.length + head.authority.length + head.fields.length + head.cookie.length + 32;
  d.bytesOutMark = -1;
}

/** A head the engine refused before it was complete: nothing of it is readable any more. */
export function captureRefusedHead(d: RequestDetail): void {
  d.host = d.uri = "";
  d.protocol = "HTTP/1.1";
  d.userAgent = d.referer = d.forwardedFor = null;
  d.requestLength = 0;
}

/** "address:port" of each member ("[v6]:port"), made once per member config (a snapshot's). */
const ADDRESSES = new WeakMap<object, string>();

function addressOf(member: MemberRuntime): string {
  const config = member.config;
  let text = ADDRESSES.get(config);
  if (text === undefined) {
    text = config.address.includes(":") ? `[${config.address}]:${config.port}` : `${config.address}:${config.port}`;
    ADDRESSES.set(config, text);
  }
  return text;
}

/** An attempt on `member` begins (`connected`: a reused keep-alive connection, already established). */
export function attemptStarted(record: RequestRecord, member: MemberRuntime, connected: boolean): void {
  const d = record.detail;
  if (d === null) return;
  let a: UpstreamAttemptRecord | undefined = d.attempts[d.attemptCount];
  if (a === undefined) {
    a = { member: null, address: "", startedAt: 0, connectedAt: -1, headerAt: -1, endedAt: -1, status: 0 };
    d.attempts.push(a);
  }
  d.attemptCount++;
  const now = performance.now();
  a.member = member;
  a.address = addressOf(member);
  a.startedAt = now;
  a.connectedAt = connected ? now : -1;
  a.headerAt = a.endedAt = -1;
  a.status = 0;
}

/** The current attempt's connection was established. */
export function attemptConnected(record: RequestRecord): void {
  const d = record.detail;
  if (d === null || d.attemptCount === 0) return;
  const a = d.attempts[d.attemptCount - 1]!;
  if (a.connectedAt < 0) a.connectedAt = performance.now();
}

/**
 * The current attempt's response head (`status`) arrived, at the record's `responseStartedAt` (stamped
 * just before by request-report.ts `recordResponseStart`: no second clock read).
 */
export function attemptHeader(record: RequestRecord, status: number): void {
  const d = record.detail;
  if (d === null || d.attemptCount === 0) return;
  const a = d.attempts[d.attemptCount - 1]!;
  a.headerAt = record.responseStartedAt;
  a.status = status;
}

/** The current attempt failed before a response: nginx logs 504 for a timeout, 502 otherwise. */
export function attemptFailedDetail(record: RequestRecord, timedOut: boolean): void {
  const d = record.detail;
  if (d === null || d.attemptCount === 0) return;
  const a = d.attempts[d.attemptCount - 1]!;
  a.endedAt = performance.now();
  if (a.headerAt < 0) a.status = timedOut ? 504 : 502;
}

/** Bytes of the response head just written to the client (the rest of the response is its body). */
export function responseHeadWritten(record: RequestRecord, bytes: number): void {
  const d = record.detail;
  if (d !== null) d.headBytes = bytes;
}

/** Head bytes of a whole response the engine generated (`response` = head and body as one latin1 string). */
export function generatedHeadWritten(record: RequestRecord, response: string): void {
  const d = record.detail;
  if (d === null) return;
  const end = response.indexOf("\r\n\r\n");
  d.headBytes = end < 0 ? response.length : end + 4;
}

/** The status nginx logs for an upstream that failed with `kind` (0 = not the backend's doing). */
function backendStatus(kind: ErrorKind): number {
  switch (kind) {
    case "connect_timeout":
    case "response_timeout":
      return 504;
    case "connect_failed":
    case "backend_reset":
    case "bad_response":
      return 502;
    default:
      return 0;
  }
}

/** How long a connection's TCP_INFO RTT is reused before it is read again (ms). */
const RTT_REFRESH_MS = 1000;

/**
 * The request is being reported: the open attempt ends now, bytes sent are this request's (`context`
 * totals minus those at its start), the RTT is read from `socket` (TCP_INFO) when the connection's last
 * read is older than a second.
 */
export function settleDetail(d: RequestDetail, context: ConnectionContext, error: ErrorKind | null, bodyBytesIn: number, socket: net.Socket, now: number): void {
  if (d.attemptCount > 0) {
    const a = d.attempts[d.attemptCount - 1]!;
    if (a.endedAt < 0) a.endedAt = now;
    // A backend that answered no head in time, or broke its response: 504 / 502 as nginx logs it (a client that left: "-").
    if (a.status === 0 && error !== null && error !== "client_closed" && backendStatus(error) !== 0) a.status = backendStatus(error);
  }
  if (d.bytesOutMark >= 0) d.bytesSent = context.bytesOut - d.bytesOutMark;
  if (d.headBytes > d.bytesSent) d.headBytes = d.bytesSent;
  d.requestLength += bodyBytesIn;
  if (now - d.rttReadAt >= RTT_REFRESH_MS) {
    const fd = socketFd(socket);
    d.rttMicros = fd >= 0 ? tcpRttMicros(fd) : -1;
    d.rttReadAt = now;
  }
}
