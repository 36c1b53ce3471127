import { ACCESS_LOG_VERSION, ATTEMPT_SEPARATOR, NULL_FIELD } from "../../protocol/access-log-line";
import type { MemberRuntime } from "../../pools/pool-runtime.types";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestDetail, RequestRecord, TlsDetail, UpstreamAttemptRecord } from "../observer.types";
import { ESCAPED_BYTES_PER_CHAR, NUMBER_BYTES, lineBytes, putByte, putBytes, putEscaped, putFraction, putInt, putSeconds, putText } from "./line-bytes";

/**
 * Formatting one request as its table 7-1 line (layout: protocol/access-log-line.ts). Everything that
 * is the same for every request of a listener is joined once, when the snapshot is applied
 * (`compileLogListener`); per request those parts and the request's own values are written as bytes
 * straight into the file writer's batch (line-bytes.ts; room made for `lineBound` first) — no string
 * concatenation, no JSON, no closure, no array, no copy. Constants are bytes made once (`putBytes`: a
 * byte loop when short, one native `set` when long); what is the
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
  /** Bytes of every line of this listener beyond its request's own values (`lineBound`): these constants, the table's, the numbers. */
  readonly fixedBytes: number;
  /** 'pool_<id> "' of each pool id this listener's lines named (filled as they come: a snapshot's pools). */
  readonly pools: Map<string, Uint8Array>;
  /** The names through upstream_addr_priv (and on HTTP the TLS dashes) joined, per member config (filled as lines come; see `tailBytes`). */
  readonly tails: WeakMap<object, { readonly poolId: string; readonly bytes: Uint8Array }>;
}

/** Joins the constant parts of a listener's lines (once per snapshot). */
export function compileLogListener(listener: SnapshotListener): CompiledLogListener {
  const log = listener.accessLog!;
  const eip = log.eipAddress ?? NULL_FIELD;
  const topic = lineBytes(` ${log.streamId} [`);
  const version = lineBytes(`] ${ACCESS_LOG_VERSION} `);
  const names = lineBytes(`" loadbalancer_${listener.loadBalancerId} listener_${listener.id} ${listener.id} `);
  const tenant = lineBytes(`" ${log.tenantId} ${eip}:${listener.port} "`);
  return {
    topic,
    version,
    scheme: lineBytes(listener.protocol === "HTTPS" ? " https://" : " http://"),
    names,
    tenant,
    https: listener.protocol === "HTTPS",
    fixedBytes: topic.length + version.length + names.length + tenant.length + ISO_BYTES + FIXED_BYTES,
    pools: new Map(),
    tails: new WeakMap(),
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

  /** Writes $msec of `epochMs` ("1764631571.123") at buf[at], as protocol/access-log-line.ts `formatMsec` does; returns the end. */
  putMsec(buf: Uint8Array, at: number, epochMs: number): number {
    const whole = epochMs > 0 ? Math.round(epochMs) : 0;
    const second = Math.floor(whole / 1000);
    this.moveTo(second);
    return putFraction(buf, putBytes(buf, at, this.secondBytes), whole - second * 1000);
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
function since(buf: Uint8Array, at: number, a: UpstreamAttemptRecord, step: number): number {
  return step < 0 ? putByte(buf, at, DASH) : putSeconds(buf, at, step - a.startedAt);
}

const STATUS = 0;
const CONNECT = 1;
const HEADER = 2;
const RESPONSE = 3;
const ADDRESS = 4;

/** One field of one attempt. */
function attemptField(buf: Uint8Array, at: number, a: UpstreamAttemptRecord, field: number): number {
  switch (field) {
    case STATUS:
      return a.status === 0 ? putByte(buf, at, DASH) : putInt(buf, at, a.status);
    case CONNECT:
      return since(buf, at, a, a.connectedAt);
    case HEADER:
      return since(buf, at, a, a.headerAt);
    case RESPONSE:
      return since(buf, at, a, a.endedAt);
    default:
      return putText(buf, at, a.address);
  }
}

/** A per-attempt field of table 7-1 in quotes and a space after: one value per attempt joined by ", " (nginx's style), "-" without any. */
function attempts(buf: Uint8Array, at: number, d: RequestDetail, field: number): number {
  const n = d.attemptCount;
  if (n === 0) return putBytes(buf, at, QUOTED_NULL);
  at = attemptField(buf, putByte(buf, at, QUOTE), d.attempts[0]!, field);
  for (let i = 1; i < n; i++) at = attemptField(buf, putBytes(buf, at, SEPARATOR), d.attempts[i]!, field);
  return putBytes(buf, at, QUOTE_SPACE);
}

/** The five per-attempt fields of a request forwarded once (nearly every request), in one go: what `attempts` writes for one. */
function oneAttempt(buf: Uint8Array, at: number, a: UpstreamAttemptRecord): number {
  at = putByte(buf, at, QUOTE);
  at = a.status === 0 ? putByte(buf, at, DASH) : putInt(buf, at, a.status);
  at = since(buf, putBytes(buf, at, BETWEEN_QUOTED), a, a.connectedAt);
  at = since(buf, putBytes(buf, at, BETWEEN_QUOTED), a, a.headerAt);
  at = since(buf, putBytes(buf, at, BETWEEN_QUOTED), a, a.endedAt);
  at = putText(buf, putBytes(buf, at, BETWEEN_QUOTED), a.address);
  return putBytes(buf, at, QUOTE_SPACE);
}

/** A header value in quotes and a space after: escaped, "-" when absent. */
function quoted(buf: Uint8Array, at: number, value: string | null): number {
  if (value === null) return putBytes(buf, at, QUOTED_NULL);
  return putBytes(buf, putEscaped(buf, putByte(buf, at, QUOTE), value), QUOTE_SPACE);
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
 * From the quote closing http_x_forwarded_for to the space before tcpinfo_rtt — '" loadbalancer_<lb>
 * listener_<id> <id> pool_<id> "member_<id>" <tenant> <eip>:<port> "<address>' and, on an HTTP listener,
 * '" - - - - ' — for a request its member answered on its last attempt (nearly every request): joined
 * once per listener and member (config of a snapshot; `address` is that member's) and written with one copy.
 */
function tailBytes(l: CompiledLogListener, poolId: string, member: MemberRuntime, address: string): Uint8Array {
  const kept = l.tails.get(member.config);
  if (kept !== undefined && kept.poolId === poolId) return kept.bytes;
  const bytes = Buffer.concat([l.names, poolBytes(l, poolId), memberBytes(member), l.tenant, lineBytes(address), l.https ? NO_BYTES : NO_TLS]);
  l.tails.set(member.config, { poolId, bytes });
  return bytes;
}

/** '] <log_ver> <client>:<port> ' of a connection, made at its first line. */
function clientBytes(l: CompiledLogListener, d: RequestDetail, context: ConnectionContext): Uint8Array {
  let bytes = d.clientBytes;
  if (bytes === null) {
    const buf = Buffer.allocUnsafe(l.version.length + context.clientAddress.length + NUMBER_BYTES + 2);
    // nginx writes an IPv6 client without brackets too ("::1:40000")
    const end = putByte(buf, putInt(buf, putByte(buf, putText(buf, putBytes(buf, 0, l.version), context.clientAddress), COLON), context.clientPort), SPACE);
    d.clientBytes = bytes = buf.subarray(0, end);
  }
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

function tlsBytes(tls: TlsDetail): Uint8Array {
  let bytes = TLS_FIELDS.get(tls);
  if (bytes === undefined) {
    const certificate = tls.certificateId === null ? NULL_FIELD : tls.certificateId;
    const protocol = tls.protocol === "" ? NULL_FIELD : tls.protocol;
    const cipher = tls.cipher === "" ? NULL_FIELD : tls.cipher;
    const sni = tls.sni ?? "";
    const buf = Buffer.allocUnsafe(8 + certificate.length + protocol.length + cipher.length + ESCAPED_BYTES_PER_CHAR * sni.length);
    let at = putBytes(buf, 0, QUOTE_SPACE);
    at = putByte(buf, putText(buf, at, certificate), SPACE);
    at = putByte(buf, putText(buf, at, protocol), SPACE);
    at = putByte(buf, putText(buf, at, cipher), SPACE);
    at = tls.sni === null ? putByte(buf, at, DASH) : putEscaped(buf, at, tls.sni, true); // written bare: spaces and a leading "[" escaped too
    at = putByte(buf, at, SPACE);
    bytes = buf.subarray(0, at);
    TLS_FIELDS.set(tls, bytes);
  }
  return bytes;
}

/**
 * The most bytes `writeAccessLogLine` can write for this request: the room the file writer makes in its
 * batch before the line is written there. Generous (every value escaped at its worst, every number at
 * its longest), never short: the line-format test checks it against what was written.
 */
export function lineBound(l: CompiledLogListener, context: ConnectionContext, record: RequestRecord): number {
  const d = record.detail!;
  let strings = d.host.length + d.uri.length;
  if (d.userAgent !== null) strings += d.userAgent.length;
  if (d.referer !== null) strings += d.referer.length;
  if (d.forwardedFor !== null) strings += d.forwardedFor.length;
  if (d.tls !== null) strings += 8 + (d.tls.certificateId?.length ?? 1) + d.tls.protocol.length + d.tls.cipher.length + (d.tls.sni?.length ?? 1);
  let texts = l.fixedBytes + record.method.length + d.protocol.length + context.clientAddress.length + (d.poolId?.length ?? 0) + (record.member?.config.id.length ?? 0);
  for (let i = 0; i < d.attemptCount; i++) texts += 2 * d.attempts[i]!.address.length + ATTEMPT_BYTES;
  return texts + ESCAPED_BYTES_PER_CHAR * strings;
}

/**
 * Writes the line of one finished request (newline-terminated) at buf[at], which has room for
 * `lineBound`; returns the end. `record.detail` must be filled (the observer logs requests); `epochMs`
 * is when the request finished (msec).
 */
export function writeAccessLogLine(buf: Uint8Array, at: number, l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): number {
  const d = record.detail!;
  const member = record.member;
  const last = d.attemptCount === 0 ? null : d.attempts[d.attemptCount - 1]!;
  at = clock.putMsec(buf, at, epochMs);
  at = putBytes(buf, at, l.topic);
  at = putBytes(buf, at, clock.isoBytes(epochMs));
  at = putBytes(buf, at, clientBytes(l, d, context));
  // A client that left before any of the response went out: nginx's 499 (ngx_http_terminate_request), as
  // the metrics count it; one that left mid-response keeps the status sent, as in nginx. (bytesOutMark < 0:
  // an HTTP/2 stream, whose bytesSent counts DATA only — there only "no head yet" is known.)
  at = putInt(buf, at, record.error === "client_closed" && (record.status === 0 || (d.bytesSent === 0 && d.bytesOutMark >= 0)) ? CLIENT_CLOSED : record.status);
  at = putBytes(buf, at, SPACE_QUOTE);
  at = record.method === "" ? putByte(buf, at, DASH) : putText(buf, at, record.method);
  at = putBytes(buf, at, l.scheme);
  at = putEscaped(buf, at, d.host);
  at = putEscaped(buf, at, d.uri);
  at = putBytes(buf, at, protocolBytes(d.protocol));
  at = putByte(buf, putInt(buf, at, d.requestLength), SPACE);
  at = putByte(buf, putInt(buf, at, d.bytesSent), SPACE);
  at = putByte(buf, putInt(buf, at, d.bytesSent - d.headBytes), SPACE);
  at = putByte(buf, putSeconds(buf, at, record.doneAt - record.startedAt), SPACE);
  if (d.attemptCount === 1) at = oneAttempt(buf, at, d.attempts[0]!);
  else {
    at = attempts(buf, at, d, STATUS);
    at = attempts(buf, at, d, CONNECT);
    at = attempts(buf, at, d, HEADER);
    at = attempts(buf, at, d, RESPONSE);
    at = attempts(buf, at, d, ADDRESS);
  }
  if (d.userAgent === null && d.referer === null && d.forwardedFor === null) at = putBytes(buf, at, THREE_NULLS);
  else {
    at = quoted(buf, at, d.userAgent);
    at = quoted(buf, at, d.referer);
    at = d.forwardedFor === null ? putBytes(buf, at, QUOTE_NULL) : putEscaped(buf, putByte(buf, at, QUOTE), d.forwardedFor);
  }
  if (member !== null && d.poolId !== null && last !== null && last.member === member) {
    at = putBytes(buf, at, tailBytes(l, d.poolId, member, last.address));
    if (l.https) at = putBytes(buf, at, d.tls !== null ? tlsBytes(d.tls) : NO_TLS);
  } else {
    at = putBytes(buf, at, l.names); // opens with the closing quote of http_x_forwarded_for
    at = d.poolId === null ? putBytes(buf, at, NULL_QUOTE) : putBytes(buf, at, poolBytes(l, d.poolId));
    at = member === null ? putByte(buf, at, DASH) : putBytes(buf, at, memberBytes(member));
    at = putBytes(buf, at, l.tenant);
    at = last === null ? putByte(buf, at, DASH) : putText(buf, at, last.address);
    at = putBytes(buf, at, l.https && d.tls !== null ? tlsBytes(d.tls) : NO_TLS);
  }
  at = d.rttMicros < 0 ? putByte(buf, at, DASH) : putInt(buf, at, d.rttMicros);
  return putByte(buf, at, NEWLINE);
}

/** time_iso8601 at its longest ("+275760-09-13T00:00:00+14:00" and more: a margin). */
const ISO_BYTES = 40;
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
/** '"-" "-" "-': http_user_agent, http_referer and http_x_forwarded_for all absent (before the quote `names` opens with). */
const THREE_NULLS = lineBytes(`"${NULL_FIELD}" "${NULL_FIELD}" "${NULL_FIELD}`);
const NO_BYTES = new Uint8Array(0);
const SEPARATOR = lineBytes(ATTEMPT_SEPARATOR);
const HTTP_1_1 = lineBytes(' HTTP/1.1" ');
const HTTP_1_0 = lineBytes(' HTTP/1.0" ');
const HTTP_2_0 = lineBytes(' HTTP/2.0" ');
/** '" - - - - ': after upstream_addr_priv on a plain HTTP listener (no certificate, protocol, cipher, SNI). */
const NO_TLS = lineBytes(`" ${NULL_FIELD} ${NULL_FIELD} ${NULL_FIELD} ${NULL_FIELD} `);
/** Bytes of one attempt beyond its address (twice: upstream_addr and upstream_addr_priv): its numbers, separators and quotes. */
const ATTEMPT_BYTES = 4 * NUMBER_BYTES + 32;
/**
 * Bytes of a line beyond its strings and attempts: the listener's constants, the fixed constants and
 * every number (msec, port, status, lengths, request_time, rtt), with margin.
 */
const FIXED_BYTES = 512;

/** Bound of the pool-name cache of one compiled listener (a snapshot's pools, never more in practice). */
const MAX_CACHED = 1024;
