import type { OutgoingHttpHeaders } from "node:http2";
import { latin1 } from "../../io/bytes";
import { equalsLower } from "../http1/bytes";
import { connectionListed, isListed } from "../http1/connection-listed";
import { FIELD_STRIDE, F_KIND, F_LINE, F_NAME_END, F_VALUE, F_VALUE_END } from "../http1/head-reader";
import { H } from "../http1/header-kind";
import type { ResponseParser } from "../http1/response-parser";

/**
 * The HTTP/2 response header block for a backend's HTTP/1.x response head: `:status`, then every
 * field with its name lowercased (RFC 9113 §8.2.1), minus what HTTP/2 forbids or the engine
 * re-frames (RFC 9113 §8.2.2): Connection and the fields it lists, Keep-Alive, Proxy-Connection, TE,
 * Upgrade, Transfer-Encoding and Trailer (the body is re-framed as DATA; trailers are dropped, as on
 * the HTTP/1.0 de-chunking path), Host and HTTP2-Settings (no response fields in HTTP/2), and
 * Content-Length when Transfer-Encoding is present (identical repeats merged). Set-Cookie fields stay
 * separate (an array); other repeated fields are joined with ", " (RFC 9110 §5.3). `extra` is the
 * sticky policy's lines ("Set-Cookie: …\r\n"), added the same way.
 */
export function responseHeaders(res: ResponseParser, extra: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ":status": res.status };
  const buf = res.headBuf;
  const f = res.fields;
  const listed = res.connectionOther ? connectionListed(res) : null;
  let cookies: string[] | null = null;
  let length = false;
  for (let i = 0; i < res.fieldCount; i++) {
    const o = i * FIELD_STRIDE;
    switch (f[o + F_KIND]!) {
      case H.CONNECTION:
      case H.KEEP_ALIVE:
      case H.PROXY_CONNECTION:
      case H.TE:
      case H.UPGRADE:
      case H.TRANSFER_ENCODING:
      case H.TRAILER:
        continue;
      case H.CONTENT_LENGTH:
        if (res.hasEncoding || length) continue;
        length = true;
        headers["content-length"] = latin1(buf, f[o + F_VALUE]!, f[o + F_VALUE_END]!);
        continue;
      case H.SET_COOKIE:
        (cookies ??= []).push(latin1(buf, f[o + F_VALUE]!, f[o + F_VALUE_END]!));
        continue;
      default: {
        if (listed !== null && isListed(res, i, listed)) continue;
        const name = fieldName(buf, f[o + F_LINE]!, f[o + F_NAME_END]!);
        if (name === "host" || name === "http2-settings") continue;
        const value = latin1(buf, f[o + F_VALUE]!, f[o + F_VALUE_END]!);
        const seen = headers[name];
        headers[name] = seen === undefined ? value : `${seen as string}, ${value}`;
      }
    }
  }
  if (extra !== "") cookies = addLines(headers, cookies ?? [], extra);
  if (cookies !== null && cookies.length > 0) headers["set-cookie"] = cookies;
  return headers;
}

/** Lowercase names of common response fields, by length: matched on the bytes, no string made for them. */
const COMMON_NAMES: (readonly string[] | undefined)[] = [];
for (const name of [
  "age", "date", "etag", "vary", "server", "expires", "location", "alt-svc", "content-type", "cache-control",
  "last-modified", "accept-ranges", "content-range", "content-encoding", "content-language", "content-disposition",
  "x-content-type-options", "strict-transport-security", "access-control-allow-origin",
]) COMMON_NAMES[name.length] = [...(COMMON_NAMES[name.length] ?? []), name];

/** The lowercase name of buf[start, end) (a token: RFC 9110 §5.1), a shared constant for common names. */
function fieldName(buf: Buffer, start: number, end: number): string {
  const common = COMMON_NAMES[end - start];
  if (common !== undefined) for (const name of common) if (equalsLower(buf, start, name)) return name;
  return latin1(buf, start, end).toLowerCase();
}

/** Adds `extra`'s "Name: value\r\n" lines: Set-Cookie values to `cookies`, others to `headers`. */
function addLines(headers: OutgoingHttpHeaders, cookies: string[], extra: string): string[] {
  let i = 0;
  while (i < extra.length) {
    let end = extra.indexOf("\r\n", i);
    if (end < 0) end = extra.length;
    const colon = extra.indexOf(":", i);
    if (colon > i && colon < end) {
      const name = extra.slice(i, colon).trim().toLowerCase();
      const value = extra.slice(colon + 1, end).trim();
      if (name === "set-cookie") cookies.push(value);
      else headers[name] = value;
    }
    i = end + 2;
  }
  return cookies;
}
