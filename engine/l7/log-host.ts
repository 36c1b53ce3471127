/**
 * The access log's `$host` as nginx makes it (ngx_http_validate_host): the host name of the request-line
 * authority or Host field without its port, without one trailing dot, ASCII-lowercased; an IPv6 literal
 * keeps its brackets ("[::1]:8080" → "[::1]"). The input was validated as uri-host [":" port] by the parser.
 */
export function logHost(authority: string): string {
  let end = authority.length;
  if (authority.charCodeAt(0) === 0x5b) {
    const close = authority.indexOf("]");
    if (close > 0) end = close + 1;
  } else {
    const colon = authority.indexOf(":");
    if (colon >= 0) end = colon;
    if (end > 1 && authority.charCodeAt(end - 1) === 0x2e) end--;
  }
  let upper = false;
  for (let i = 0; i < end; i++) {
    const c = authority.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      upper = true;
      break;
    }
  }
  const host = end === authority.length ? authority : authority.slice(0, end);
  return upper ? host.toLowerCase() : host;
}
