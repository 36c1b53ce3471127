import { clientIpLines, type ClientIpHeaders } from "../client-ip-headers";
import type { StreamHead } from "./stream-head";

/**
 * The HTTP/1.1 request head an HTTP/2 stream is forwarded with, as one latin1 string (one write):
 * `<:method> <:path> HTTP/1.1`, `Host: <:authority>` (or `defaultHost`, the address the client
 * reached, when the request named none), the client's fields as `StreamHead` kept them, its cookie
 * crumbs as one `cookie` field (RFC 9113 §8.2.3), `expect` when `forwardExpect`, `transfer-encoding:
 * chunked` when the body has no Content-Length (`chunked`), then the client lines of `h` as the HTTP/1
 * head writer adds them: X-Forwarded-For (`client` after the incoming chain when `keepChain`, else alone;
 * none in REMOVE mode), X-Real-IP and X-Forwarded-Proto/-Port as switched on, and X-Forwarded-Host (the
 * request's authority) when on. `cached` is the client lines for the session's own address without a
 * chain, cached per session; null when `client` is another address (a trusted real IP header's).
 */
export function buildStreamRequestHead(
  head: StreamHead,
  h: ClientIpHeaders,
  client: string,
  cached: string | null,
  keepChain: boolean,
  defaultHost: string,
  chunked: boolean,
  forwardExpect: boolean,
): string {
  const authority = head.authority;
  let out = `${head.method} ${head.path} HTTP/1.1\r\nHost: ${authority === "" ? defaultHost : authority}\r\n${head.fields}`;
  if (head.cookie !== "") out += `cookie: ${head.cookie}\r\n`;
  if (forwardExpect && head.expect !== "") out += `expect: ${head.expect}\r\n`;
  if (chunked) out += "transfer-encoding: chunked\r\n";
  const chain = keepChain ? head.forwardedFor : "";
  out += chain === "" && cached !== null ? cached : clientIpLines(h, chain, client);
  if (h.sendHost && authority !== "") out += `X-Forwarded-Host: ${authority}\r\n`;
  return out + "\r\n";
}
