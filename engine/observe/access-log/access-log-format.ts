import { ACCESS_LOG_VERSION, ATTEMPT_SEPARATOR, NULL_FIELD } from "../../protocol/access-log-line";
import type { MemberRuntime } from "../../pools/pool-runtime.types";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestDetail, RequestRecord, TlsDetail, UpstreamAttemptRecord } from "../observer.types";
import { lineBytes, type LineBuffer } from "./line-buffer";

/**
 * Formatting one request as its table 7-1 line (layout: protocol/access-log-line.ts). Everything that
 * is the same for every request of a listener is joined once, when the snapshot is applied
 * (`compileLogListener`); per request those parts and the request's own values are written as bytes
 * into one reused `LineBuffer` — no string concatenation, no JSON, no closure, no array. Constants are
 * bytes made once (`LineBuffer.bytes`: a byte loop when short, one native `set` when long); what is the
 * same for many lines is made bytes once and kept: time_iso8601 and the seconds of msec once per second
 * (`IsoSecondClock`), "pool_<id>" per listener and pool, "member_<id>" per member, the TLS fields per
 * connection.
 */

/** The constant parts of one listener's lines, joined and made bytes at snapshot time. */
export interface CompiledLogListener {
  /** " <topic> [" — after msec. */
  readonly topic: Uint8Array;
  /** "] <log_ver> " — after time_iso8601. */
  readonly version: Uint8Array;
  /** " http://" or " https://" — after the method in the request line. */
  readonly scheme: Uint8Array;
  /** '" loadbalancer_<lb> listener_<id> <id> ' — after http_x_forwarded_for. */
  readonly names: Uint8Array;
  /** '" <tenant> <eip>:<port> "' — after member_name. */
  readonly tenant: Uint8Array;
  /** True for HTTPS (ssl_* fields are then the connection's, else "-"). */
  readonly https: boolean;
  /** 'pool_<id> "' of each pool id this listener's lines named (filled as they come: a snapshot's pools). */
  readonly pools: Map<string, Uint8Array>;
  /** pool_name through tenant and EIP joined, per member config (filled as lines come; see `poolMemberTenantBytes`). */
  readonly poolMemberTenant: WeakMap<object, { readonly poolId: string; readonly bytes: Uint8Array }>;
}

/** Joins the constant parts of a listener's lines (once per snapshot). */
export function compileLogListener(listener: SnapshotListener): CompiledLogListener {
  const log = listener.accessLog!;
  const eip = log.eipAddress ?? NULL_FIELD;
  return {
    topic: lineBytes(` ${log.streamId} [`),
    version: lineBytes(`] ${ACCESS_LOG_VERSION} `),
    scheme: lineBytes(listener.protocol === "HTTPS" ? " https://" : " http://"),
    names: lineBytes(`" loadbalancer_${listener.loadBalancerId} listener_${listener.id} ${listener.id} `),
    tenant: lineBytes(`" ${log.tenantId} ${eip}:${listener.port} "`),
    https: listener.protocol === "HTTPS",
    pools: new Map(),
    poolMemberTenant: new WeakMap(),
  };
}

/**
 * The parts of a line that change once a second, made once per second: time_iso8601 (nginx: local time
 * with its UTC offset, "2026-12-01T23:26:11+00:00") and the whole seconds of msec ("1764631571").
 */
export class IsoSecondClock {
  private second = NaN;
  private text = "";
  private textBytes: Uint8Array = new Uint8Array(0);
  private secondBytes: Uint8Array = new Uint8Array(0);

  /** The ISO 8601 local time of `epochMs`, to the second. */
  at(epochMs: number): string {
    this.moveTo(Math.floor(epochMs / 1000));
    return this.text;
  }

  /** `at(epochMs)` as bytes. */
  isoBytes(epochMs: number): Uint8Array {
    this.moveTo(Math.floor(epochMs / 1000));
    return this.textBytes;
  }

  /** Writes $msec of `epochMs` ("1764631571.123"), as protocol/access-log-line.ts `formatMsec` does. */
  writeMsec(out: LineBuffer, epochMs: number): void {
    const whole = epochMs > 0 ? Math.round(epochMs) : 0;
    const second = Math.floor(whole / 1000);
    this.moveTo(second);
    out.bytes(this.secondBytes);
    out.fraction(whole - second * 1000);
  }

  private moveTo(second: number): void {
    if (second === this.second) return;
    this.second = second;
    this.text = isoLocal(second * 1000);
    this.textBytes = lineBytes(this.text);
    this.secondBytes = lineBytes(String(second));
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
  if (at < 0) out.byte(DASH);
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
      if (a.status === 0) out.byte(DASH);
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
  if (n === 0) return out.bytes(QUOTED_NULL);
  out.byte(QUOTE);
  attemptField(out, d.attempts[0]!, field);
  for (let i = 1; i < n; i++) {
    out.bytes(SEPARATOR);
    attemptField(out, d.attempts[i]!, field);
  }
  out.bytes(QUOTE_SPACE);
}

/** The five per-attempt fields of a request forwarded once (nearly every request), in one go: what `attempts` writes for one. */
function oneAttempt(out: LineBuffer, a: UpstreamAttemptRecord): void {
  out.byte(QUOTE);
  if (a.status === 0) out.byte(DASH);
  else out.int(a.status);
  out.bytes(BETWEEN_QUOTED);
  since(out, a, a.connectedAt);
  out.bytes(BETWEEN_QUOTED);
  since(out, a, a.headerAt);
  out.bytes(BETWEEN_QUOTED);
  since(out, a, a.endedAt);
  out.bytes(BETWEEN_QUOTED);
  out.text(a.address);
  out.bytes(QUOTE_SPACE);
}

/** A header value in quotes and a space after: escaped, "-" when absent. */
function quoted(out: LineBuffer, value: string | null): void {
  if (value === null) return out.bytes(QUOTED_NULL);
  out.byte(QUOTE);
  out.escaped(value);
  out.bytes(QUOTE_SPACE);
}

/** ' HTTP/1.1" ' and the like: server_protocol closing the request line. */
function protocolBytes(protocol: string): Uint8Array {
  if (protocol === "HTTP/1.1") return HTTP_1_1;
  if (protocol === "HTTP/2.0") return HTTP_2_0;
  if (protocol === "HTTP/1.0") return HTTP_1_0;
  return lineBytes(` ${protocol}" `);
}

/** 'pool_<id> "' of `poolId`, made once per listener and pool. */
function poolBytes(l: CompiledLogListener, poolId: string): Uint8Array {
  let bytes = l.pools.get(poolId);
  if (bytes === undefined) {
    bytes = lineBytes(`pool_${poolId} "`);
    if (l.pools.size < MAX_CACHED) l.pools.set(poolId, bytes);
  }
  return bytes;
}

/**
 * 'pool_<id> "member_<id>" <tenant> <eip>:<port> "' — pool_name to the quote before upstream_addr_priv,
 * joined once per listener and member (config of a snapshot) and written with one copy: the usual case,
 * a request forwarded to a member of its pool.
 */
function poolMemberTenantBytes(l: CompiledLogListener, poolId: string, member: MemberRuntime): Uint8Array {
  const kept = l.poolMemberTenant.get(member.config);
  if (kept !== undefined && kept.poolId === poolId) return kept.bytes;
  const pool = poolBytes(l, poolId);
  const name = memberBytes(member);
  const bytes = Buffer.concat([pool, name, l.tenant]);
  l.poolMemberTenant.set(member.config, { poolId, bytes });
  return bytes;
}

/** "member_<id>" of each member config (a snapshot's), made once. */
const MEMBER_NAMES = new WeakMap<object, Uint8Array>();

function memberBytes(member: MemberRuntime): Uint8Array {
  const config = member.config;
  let bytes = MEMBER_NAMES.get(config);
  if (bytes === undefined) {
    bytes = lineBytes(`member_${config.id}`);
    MEMBER_NAMES.set(config, bytes);
  }
  return bytes;
}

/** '" certificate_id ssl_protocol ssl_cipher sni_domain_name ' of each connection's TLS (made at its first line). */
const TLS_FIELDS = new WeakMap<TlsDetail, Uint8Array>();

function tlsBytes(out: LineBuffer, tls: TlsDetail): Uint8Array {
  let bytes = TLS_FIELDS.get(tls);
  if (bytes === undefined) {
    // Written once through the line buffer (escaping the SNI as the rest), then kept.
    const start = out.length;
    out.bytes(QUOTE_SPACE);
    out.text(tls.certificateId === null ? NULL_FIELD : tls.certificateId);
    out.byte(SPACE);
    out.text(tls.protocol === "" ? NULL_FIELD : tls.protocol);
    out.byte(SPACE);
    out.text(tls.cipher === "" ? NULL_FIELD : tls.cipher);
    out.byte(SPACE);
    if (tls.sni === null) out.byte(DASH);
    else out.escaped(tls.sni, true); // written bare: spaces and a leading "[" escaped too
    out.byte(SPACE);
    bytes = Buffer.from(out.buf.subarray(start, out.length)); // a copy: the line buffer is reused
    out.length = start;
    TLS_FIELDS.set(tls, bytes);
  }
  return bytes;
}

/**
 * Writes the line of one finished request (newline-terminated) into `out` (after its `reset`).
 * `record.detail` must be filled (the observer logs requests); `epochMs` is when the request finished (msec).
 */
export function writeAccessLogLine(out: LineBuffer, l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): void {
  const d = record.detail!;
  const member = record.member;
  const last = d.attemptCount === 0 ? null : d.attempts[d.attemptCount - 1]!;
  clock.writeMsec(out, epochMs);
  out.bytes(l.topic);
  out.bytes(clock.isoBytes(epochMs));
  out.bytes(l.version);
  out.text(context.clientAddress); // nginx writes an IPv6 client without brackets too ("::1:40000")
  out.byte(COLON);
  out.int(context.clientPort);
  out.byte(SPACE);
  // A client that left before any of the response went out: nginx's 499 (ngx_http_terminate_request), as
  // the metrics count it; one that left mid-response keeps the status sent, as in nginx. (bytesOutMark < 0:
  // an HTTP/2 stream, whose bytesSent counts DATA only — there only "no head yet" is known.)
  out.int(record.error === "client_closed" && (record.status === 0 || (d.bytesSent === 0 && d.bytesOutMark >= 0)) ? CLIENT_CLOSED : record.status);
  out.bytes(SPACE_QUOTE);
  if (record.method === "") out.byte(DASH);
  else out.text(record.method);
  out.bytes(l.scheme);
  out.escaped(d.host);
  out.escaped(d.uri);
  out.bytes(protocolBytes(d.protocol));
  out.int(d.requestLength);
  out.byte(SPACE);
  out.int(d.bytesSent);
  out.byte(SPACE);
  out.int(d.bytesSent - d.headBytes);
  out.byte(SPACE);
  out.seconds(record.doneAt - record.startedAt);
  out.byte(SPACE);
  if (d.attemptCount === 1) oneAttempt(out, d.attempts[0]!);
  else {
    attempts(out, d, STATUS);
    attempts(out, d, CONNECT);
    attempts(out, d, HEADER);
    attempts(out, d, RESPONSE);
    attempts(out, d, ADDRESS);
  }
  quoted(out, d.userAgent);
  quoted(out, d.referer);
  if (d.forwardedFor === null) out.bytes(QUOTE_NULL);
  else {
    out.byte(QUOTE);
    out.escaped(d.forwardedFor);
  }
  out.bytes(l.names); // opens with the closing quote of http_x_forwarded_for
  if (member !== null && d.poolId !== null) out.bytes(poolMemberTenantBytes(l, d.poolId, member));
  else {
    if (d.poolId === null) out.bytes(NULL_QUOTE);
    else out.bytes(poolBytes(l, d.poolId));
    if (member === null) out.byte(DASH);
    else out.bytes(memberBytes(member));
    out.bytes(l.tenant);
  }
  if (last === null) out.byte(DASH);
  else out.text(last.address);
  if (l.https && d.tls !== null) out.bytes(tlsBytes(out, d.tls));
  else out.bytes(NO_TLS);
  if (d.rttMicros < 0) out.byte(DASH);
  else out.int(d.rttMicros);
  out.byte(NEWLINE);
}

const SPACE = 0x20;
const QUOTE = 0x22;
const DASH = NULL_FIELD.charCodeAt(0);
const COLON = 0x3a;
const NEWLINE = 0x0a;
/** The status nginx logs for a request whose client left before any response was sent. */
const CLIENT_CLOSED = 499;
const SPACE_QUOTE = lineBytes(' "');
const QUOTE_SPACE = lineBytes('" ');
/** '" "': between two quoted fields. */
const BETWEEN_QUOTED = lineBytes('" "');
const QUOTED_NULL = lineBytes(`"${NULL_FIELD}" `);
const NULL_QUOTE = lineBytes(`${NULL_FIELD} "`);
const QUOTE_NULL = lineBytes(`"${NULL_FIELD}`);
const SEPARATOR = lineBytes(ATTEMPT_SEPARATOR);
const HTTP_1_1 = lineBytes(' HTTP/1.1" ');
const HTTP_1_0 = lineBytes(' HTTP/1.0" ');
const HTTP_2_0 = lineBytes(' HTTP/2.0" ');
/** '" - - - - ': after upstream_addr_priv on a plain HTTP listener (no certificate, protocol, cipher, SNI). */
const NO_TLS = lineBytes(`" ${NULL_FIELD} ${NULL_FIELD} ${NULL_FIELD} ${NULL_FIELD} `);
/** Bound of the pool-name cache of one compiled listener (a snapshot's pools, never more in practice). */
const MAX_CACHED = 1024;
