import type { StreamHead } from "./stream-head";

/**
 * The HTTP/1.1 request head an HTTP/2 stream is forwarded with, as one latin1 string (one write):
 * `<:method> <:path> HTTP/1.1`, `Host: <:authority>` (or `defaultHost`, the address the client
 * reached, when the request named none), the client's fields as `StreamHead` kept them, its cookie
 * crumbs as one `cookie` field (RFC 9113 §8.2.3), `expect` when `forwardExpect`, `transfer-encoding:
 * chunked` when the body has no Content-Length (`chunked`), then X-Forwarded-For (the client IP
 * appended to any incoming chain), X-Forwarded-Proto/Port (the route's `forwardedFields`) and
 * X-Forwarded-Host (the request's authority), as the HTTP/1 head writer adds them. `clientFields` is
 * `X-Forwarded-For: <clientIp>\r\n` + `forwardedFields`, cached per session.
 */
export function buildStreamRequestHead(
  head: StreamHead,
  clientIp: string,
  forwardedFields: string,
  clientFields: string,
  defaultHost: string,
  chunked: boolean,
  forwardExpect: boolean,
): string {
  const authority = head.authority;
  let out = `${head.method} ${head.path} HTTP/1.1\r\nHost: ${authority === "" ? defaultHost : authority}\r\n${head.fields}`;
  if (head.cookie !== "") out += `cookie: ${head.cookie}\r\n`;
  if (forwardExpect && head.expect !== "") out += `expect: ${head.expect}\r\n`;
  if (chunked) out += "transfer-encoding: chunked\r\n";
  out += head.forwardedFor === "" ? clientFields : `X-Forwarded-For: ${head.forwardedFor}, ${clientIp}\r\n${forwardedFields}`;
  if (authority !== "") out += `X-Forwarded-Host: ${authority}\r\n`;
  return out + "\r\n";
}
