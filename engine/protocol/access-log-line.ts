import type { AccessLogEntry } from "./access-log-entry.types";

/**
 * One access-log record as a line (guide chapter 7, table 7-1), shared by the engine (which writes it:
 * observe/access-log/access-log-format.ts) and the console (which reads it back: `parseAccessLogLine`).
 * The fields, in the table's order, separated by single spaces:
 *
 *   msec access_log_topic_id [time_iso8601] log_ver remote_addr:remote_port status
 *   "request_method scheme://host router_request_uri server_protocol" request_length bytes_sent
 *   body_bytes_sent request_time "upstream_status" "upstream_connect_time" "upstream_header_time"
 *   "upstream_response_time" "upstream_addr" "http_user_agent" "http_referer" "http_x_forwarded_for"
 *   lb_name listener_name listener_id pool_name "member_name" tenant_id eip_address:eip_port
 *   "upstream_addr_priv" certificate_id ssl_protocol ssl_cipher sni_domain_name tcpinfo_rtt
 *
 * nginx's conventions: times in seconds with millisecond resolution ("0.003"); "-" for a missing value;
 * values inside quotes (and the client-controlled host/URI) escaped as nginx's `escape=default` does —
 * `"`, `\`, control bytes and bytes ≥ 0x7f become \xHH; a retried request lists one value per attempt
 * joined by ", " ("502, 200"), as nginx's $upstream_status does; status is 499 for a request whose
 * client left before any of the response was sent (nginx's, and the metrics' m12_l7_http_499);
 * host is nginx's $host (the authority without port or trailing dot, lowercase: engine/l7/log-host.ts);
 * request_time runs from the first byte of the request head (table 7-1: "the first request packet";
 * a kept-alive connection's idle time before it is not counted) until the response went out.
 */

/**
 * log_ver written by this engine: "1" is this layout (table 7-1 as above). A later layout gets a new
 * number, so a reader can tell lines apart.
 */
export const ACCESS_LOG_VERSION = "1";

/** The value written for a missing field (nginx's "-"). */
export const NULL_FIELD = "-";

/** Separator of per-attempt values of a retried request (nginx's $upstream_status "502, 200"). */
export const ATTEMPT_SEPARATOR = ", ";

/** Number of space-separated fields of a line (quoted and bracketed fields count as one). */
export const ACCESS_LOG_FIELD_COUNT = 32;

const HEX = "0123456789ABCDEF";

/** True when `value` holds a character nginx's escape=default rewrites (`"`, `\`, < 0x20, ≥ 0x7f). */
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

/**
 * `value` as nginx's `escape=default` writes it: `"`, `\`, control characters and characters ≥ 0x7f
 * as \xHH (a character above 0xff — never in an HTTP/1 head read as latin1 — is written as its UTF-8
 * bytes). The common case (nothing to escape) returns `value` itself without allocating.
 */
export function escapeLogValue(value: string): string {
  if (!needsEscape(value)) return value;
  let out = "";
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += value.slice(from, i);
    from = i + 1;
    if (c <= 0xff) out += "\\x" + HEX[c >> 4] + HEX[c & 15];
    else for (const b of Buffer.from(value[i]!, "utf8")) out += "\\x" + HEX[b >> 4] + HEX[b & 15];
  }
  return out + value.slice(from);
}

/** The reverse of `escapeLogValue`: \xHH back to the character (latin1). */
export function unescapeLogValue(value: string): string {
  if (value.indexOf("\\x") < 0) return value;
  return value.replace(/\\x([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A duration in ms as nginx writes seconds: millisecond resolution, "0.003" (negative → 0). */
export function formatSeconds(ms: number): string {
  const whole = ms > 0 ? Math.round(ms) : 0;
  const s = Math.floor(whole / 1000);
  const rest = whole - s * 1000;
  return s + (rest < 10 ? ".00" : rest < 100 ? ".0" : ".") + rest;
}

/** A time (ms since the epoch) as nginx's $msec: seconds with milliseconds, "1700000000.123". */
export function formatMsec(epochMs: number): string {
  return formatSeconds(epochMs);
}

/** Splits a line into its fields: quoted ("…") and bracketed ([…]) fields are one field each, marks removed. */
function splitFields(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    let end: number;
    if (c === 0x22 || c === 0x5b) {
      const close = line.indexOf(c === 0x22 ? '"' : "]", i + 1); // escaped values never hold a raw quote
      if (close < 0) return null;
      out.push(line.slice(i + 1, close));
      end = close + 1;
    } else {
      end = line.indexOf(" ", i);
      if (end < 0) end = n;
      out.push(line.slice(i, end));
    }
    if (end < n && line.charCodeAt(end) !== 0x20) return null;
    i = end + 1;
  }
  return out;
}

/** "-" → null, else the unescaped value. */
function nullable(value: string): string | null {
  return value === NULL_FIELD ? null : unescapeLogValue(value);
}

/** A decimal number; NaN for anything else. */
function numberOf(value: string): number {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
}

/** "address:port" split at the last colon (IPv6 addresses hold colons); null when there is none. */
function hostPort(value: string): { address: string; port: number } | null {
  const colon = value.lastIndexOf(":");
  if (colon < 0) return null;
  const port = numberOf(value.slice(colon + 1));
  return Number.isInteger(port) ? { address: value.slice(0, colon), port } : null;
}

/**
 * The request line "METHOD scheme://host/uri PROTOCOL": the host ends where the URI starts (its
 * first "/", "*" or "?"; a host never holds them).
 */
function requestLine(value: string): { method: string; scheme: string; host: string; uri: string; protocol: string } | null {
  const first = value.indexOf(" ");
  const last = value.lastIndexOf(" ");
  if (first < 0 || last <= first) return null;
  const url = value.slice(first + 1, last);
  const sep = url.indexOf("://");
  if (sep < 0) return null;
  let u = sep + 3;
  while (u < url.length && url[u] !== "/" && url[u] !== "*" && url[u] !== "?") u++;
  return {
    method: value.slice(0, first),
    scheme: url.slice(0, sep),
    host: unescapeLogValue(url.slice(sep + 3, u)),
    uri: unescapeLogValue(url.slice(u)),
    protocol: value.slice(last + 1),
  };
}

/**
 * Reads one line written by the engine back into its fields (trailing newline allowed); null when the
 * line is not a table 7-1 record of this layout (wrong field count, a number that is not one, …).
 */
export function parseAccessLogLine(line: string): AccessLogEntry | null {
  const text = line.endsWith("\n") ? line.slice(0, line.endsWith("\r\n") ? -2 : -1) : line;
  const f = splitFields(text);
  if (f === null || f.length !== ACCESS_LOG_FIELD_COUNT) return null;
  const remote = hostPort(f[4]!);
  const request = requestLine(f[6]!);
  const eip = hostPort(f[25]!);
  if (remote === null || request === null || eip === null) return null;
  const msec = numberOf(f[0]!);
  const status = numberOf(f[5]!);
  const requestLength = numberOf(f[7]!);
  const bytesSent = numberOf(f[8]!);
  const bodyBytesSent = numberOf(f[9]!);
  const requestTime = numberOf(f[10]!);
  const rtt = f[31] === NULL_FIELD ? null : numberOf(f[31]!);
  const numbers = [msec, status, requestLength, bytesSent, bodyBytesSent, requestTime, rtt ?? 0];
  if (numbers.some((x) => Number.isNaN(x))) return null;
  return {
    msec,
    accessLogTopicId: f[1]!,
    timeIso8601: f[2]!,
    logVer: f[3]!,
    remoteAddr: remote.address,
    remotePort: remote.port,
    status,
    requestMethod: request.method,
    scheme: request.scheme,
    host: request.host,
    routerRequestUri: request.uri,
    serverProtocol: request.protocol,
    requestLength,
    bytesSent,
    bodyBytesSent,
    requestTime,
    upstreamStatus: nullable(f[11]!),
    upstreamConnectTime: nullable(f[12]!),
    upstreamHeaderTime: nullable(f[13]!),
    upstreamResponseTime: nullable(f[14]!),
    upstreamAddr: nullable(f[15]!),
    httpUserAgent: nullable(f[16]!),
    httpReferer: nullable(f[17]!),
    httpXForwardedFor: nullable(f[18]!),
    lbName: f[19]!,
    listenerName: f[20]!,
    listenerId: f[21]!,
    poolName: nullable(f[22]!),
    memberName: nullable(f[23]!),
    tenantId: f[24]!,
    eipAddress: eip.address === NULL_FIELD ? null : eip.address,
    eipPort: eip.port,
    upstreamAddrPriv: nullable(f[26]!),
    certificateId: nullable(f[27]!),
    sslProtocol: nullable(f[28]!),
    sslCipher: nullable(f[29]!),
    sniDomainName: nullable(f[30]!),
    tcpinfoRtt: rtt,
  };
}
