import { latin1 } from "../io/bytes";
import { connectionListed, isListed } from "./http1/connection-listed";
import { FIELD_STRIDE, F_KIND, F_LINE, F_LINE_END } from "./http1/head-reader";
import { H } from "./http1/header-kind";
import type { ResponseParser } from "./http1/response-parser";

/**
 * Builds the response head sent to the client from the backend's: status line and fields byte
 * for byte (lines re-terminated with CRLF), minus hop-by-hop fields (Connection and what it lists,
 * Keep-Alive, Proxy-Connection, TE, Upgrade except on 101) and minus Content-Length when
 * Transfer-Encoding is present; plus `extra` lines (sticky Set-Cookie) and the proxy's own
 * Connection field: `close` when the client connection ends after it, `keep-alive` for a
 * keep-alive HTTP/1.0 client, `upgrade` on 101. The status line always says HTTP/1.1, our own
 * version (RFC 9110 §6.2), even from an HTTP/1.0 backend. `dechunk` (an HTTP/1.0 client of a
 * chunked response, whose body goes out without framing) drops Transfer-Encoding and Trailer;
 * repeated identical Content-Length fields are merged into the first.
 */
export function buildResponseHead(res: ResponseParser, close: boolean, clientMinor: number, extra: string, dechunk = false): string {
  const buf = res.headBuf;
  const switching = res.status === 101;
  const dropLength = res.hasEncoding && res.contentLength >= 0;
  // Our version: skip the backend's "HTTP/1.0" (8 bytes) and write our own.
  const own = res.versionMinor === 1;
  const from = own ? res.startLine : res.startLine + 8;
  let head: string;
  if (res.hopCount === 0 && !dropLength && !res.bareLf && !dechunk && res.lengthCount < 2) {
    head = latin1(buf, from, res.headEnd - 2);
    if (!own) head = "HTTP/1.1" + head;
  } else {
    const listed = res.connectionOther ? connectionListed(res) : null;
    const f = res.fields;
    // Kept fields go out as contiguous runs of the original bytes; a lone-LF head goes line by line.
    const perLine = res.bareLf;
    head = perLine ? "HTTP/1.1" + latin1(buf, res.startLine + 8, res.startLineEnd) + "\r\n" : own ? "" : "HTTP/1.1";
    let run = from;
    let lengths = 0;
    for (let i = 0; i < res.fieldCount; i++) {
      const o = i * FIELD_STRIDE;
      let keep: boolean;
      switch (f[o + F_KIND]!) {
        case H.CONNECTION:
        case H.KEEP_ALIVE:
        case H.PROXY_CONNECTION:
        case H.TE:
          keep = false;
          break;
        case H.UPGRADE:
          keep = switching;
          break;
        case H.CONTENT_LENGTH:
          keep = !dropLength && ++lengths === 1;
          break;
        case H.TRANSFER_ENCODING:
        case H.TRAILER:
          keep = !dechunk;
          break;
        default:
          keep = listed === null || !isListed(res, i, listed);
      }
      if (perLine) {
        if (keep) head += fieldLine(res, i);
      } else if (!keep) {
        head += latin1(buf, run, f[o + F_LINE]!);
        run = f[o + F_LINE_END]!;
      }
    }
    if (!perLine) head += latin1(buf, run, res.headEnd - 2);
  }
  head += extra;
  if (switching) head += "Connection: upgrade\r\n";
  else if (close) head += "Connection: close\r\n";
  else if (clientMinor === 0) head += "Connection: keep-alive\r\n";
  return head + "\r\n";
}

/** One field line with a CRLF ending (the backend may have used a lone LF). */
function fieldLine(res: ResponseParser, i: number): string {
  const o = i * FIELD_STRIDE;
  const start = res.fields[o + F_LINE]!;
  let end = res.fields[o + F_LINE_END]! - 1;
  if (res.headBuf[end - 1] === 13) end--;
  return latin1(res.headBuf, start, end) + "\r\n";
}
