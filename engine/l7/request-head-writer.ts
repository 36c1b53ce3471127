import { latin1 } from "../io/bytes";
import { clientIpLines, type ClientIpHeaders } from "./client-ip-headers";
import { connectionListed, isListed } from "./http1/connection-listed";
import { FIELD_STRIDE, F_KIND, F_LINE, F_LINE_END } from "./http1/head-reader";
import { H } from "./http1/header-kind";
import type { RequestParser } from "./http1/request-parser";

/**
 * Builds the head sent to the backend, as one latin1 string (one write, no Buffer juggling):
 * the client's request line and fields byte for byte, minus hop-by-hop fields (Connection and what
 * it lists, Keep-Alive, Proxy-Connection, TE, Upgrade unless upgrading), the client's X-Forwarded-For,
 * X-Forwarded-Proto/-Port/-Host and X-Real-IP (always: only our own lines go out) and fields whose names
 * contain `_`; plus the client lines of `h` (client-ip-headers.ts): X-Forwarded-For (`client` after the
 * client's chain when `keepChain`, else alone; none in REMOVE mode), X-Real-IP and X-Forwarded-Proto/-Port
 * as switched on, and X-Forwarded-Host (the request's host) when on and the request names a host.
 * `cached` is those client lines for the connection's own address without a chain, cached per connection
 * (the common case pays no string building); null when `client` is another address (a real IP header).
 * When nothing is dropped the kept part is a single slice. An absolute-form target goes out in
 * origin-form with its authority as Host (the client's Host is dropped, RFC 9112 §3.2.2).
 *
 * The request line always carries our own version, HTTP/1.1 (RFC 9110 §6.2: the backend connection
 * is ours and stays keep-alive; the client's HTTP/1.0 semantics are kept on the client side). So an
 * HTTP/1.0 request's line is rewritten, its Upgrade is not forwarded (RFC 9110 §7.8: ignored in 1.0),
 * and one without Host (or absolute-form authority) gets `Host: <defaultHost>` (RFC 9112 §3.2: an
 * HTTP/1.1 request must carry Host; the caller passes the address:port the client reached, as
 * nginx's `$host` falls back to the server name, or "" for an empty Host when it has none).
 * `dropField` (a field index, -1 = none) is left out too: an `Expect` the proxy answered itself.
 */
export function buildRequestHead(
  req: RequestParser,
  h: ClientIpHeaders,
  client: string,
  cached: string | null,
  keepChain: boolean,
  dropField = -1,
  defaultHost = "",
): string {
  const buf = req.headBuf;
  const old = req.versionMinor === 0;
  const upgrade = req.upgrade && !old;
  const last = req.headEnd - 2; // keep the last field's CRLF, drop the empty line
  let head: string;
  let chain = "";
  if (req.forwardedCount === 0 && req.hopCount === 0 && !req.lineRewrite && !old && dropField < 0) {
    head = latin1(buf, req.startLine, last);
  } else {
    const listed = req.connectionOther ? connectionListed(req) : null;
    const absolute = req.absoluteForm;
    let run = req.startLine;
    head = "";
    if (req.lineRewrite || old) {
      head = requestLine(req, defaultHost);
      run = req.startLineEnd + 2;
    }
    const f = req.fields;
    for (let i = 0; i < req.fieldCount; i++) {
      const o = i * FIELD_STRIDE;
      const kind = f[o + F_KIND]!;
      let drop: boolean;
      switch (kind) {
        case H.X_FORWARDED_FOR:
          if (keepChain) chain = chain === "" ? req.value(i) : `${chain}, ${req.value(i)}`;
          drop = true;
          break;
        case H.CONNECTION:
        case H.KEEP_ALIVE:
        case H.PROXY_CONNECTION:
        case H.TE:
        case H.X_FORWARDED_PROTO:
        case H.X_FORWARDED_PORT:
        case H.X_FORWARDED_HOST:
        case H.X_REAL_IP:
        case H.UNDERSCORE:
          drop = true;
          break;
        case H.HOST:
          drop = absolute;
          break;
        case H.UPGRADE:
          drop = !upgrade;
          break;
        default:
          drop = i === dropField || (listed !== null && isListed(req, i, listed));
      }
      if (drop) {
        head += latin1(buf, run, f[o + F_LINE]!);
        run = f[o + F_LINE_END]!;
      }
    }
    head += latin1(buf, run, last);
  }
  head += chain === "" && cached !== null ? cached : clientIpLines(h, chain, client);
  if (h.sendHost && (req.absoluteForm || req.hostField >= 0)) head += `X-Forwarded-Host: ${req.host()}\r\n`;
  if (upgrade) head += "Connection: upgrade\r\n";
  return head + "\r\n";
}

/**
 * The request line as forwarded when it cannot be copied: origin-form for an absolute-form target
 * (empty path → `/`) followed by `Host: <authority>`, and our own version, always HTTP/1.1. An
 * HTTP/1.0 request without Host gets `Host: <defaultHost>` after it.
 */
function requestLine(req: RequestParser, defaultHost: string): string {
  const buf = req.headBuf;
  const line = req.startLine;
  const targetEnd = line + req.targetOffset + req.targetLength;
  if (!req.absoluteForm) {
    const start = latin1(buf, line, targetEnd) + " HTTP/1.1\r\n";
    return req.hostField >= 0 ? start : `${start}Host: ${defaultHost}\r\n`;
  }
  const method = latin1(buf, line, line + req.targetOffset);
  const path = line + req.pathOffset;
  const origin = path === targetEnd ? "/" : buf[path] === 0x3f ? "/" + latin1(buf, path, targetEnd) : latin1(buf, path, targetEnd);
  return `${method}${origin} HTTP/1.1\r\nHost: ${req.host()}\r\n`;
}

/**
 * The authority a request without Host is taken to be for: the local address:port the client
 * reached (IPv6 in brackets, IPv4-mapped as plain IPv4), "" when unknown or unspecified.
 */
export function localAuthority(address: string | undefined, port: number | undefined): string {
  if (address === undefined || address === "" || address === "0.0.0.0" || address === "::" || !port) return "";
  const plain = address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
  return plain.includes(":") ? `[${plain}]:${port}` : `${plain}:${port}`;
}
