/**
 * Minimal cookie parsing for stickiness: find one cookie in a `Cookie` header value
 * (`a=1; b=2`) and read the name/value pair of a `Set-Cookie` value (`name=value; attrs`).
 */

/** Value of cookie `name` in a Cookie header value, or null. */
export function findCookie(header: string, name: string): string | null {
  let i = 0;
  const n = header.length;
  while (i < n) {
    while (i < n && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 9)) i++;
    let end = header.indexOf(";", i);
    if (end < 0) end = n;
    const eq = header.indexOf("=", i);
    if (eq > i && eq < end && header.slice(i, eq).trimEnd() === name) {
      return unquote(header.slice(eq + 1, end).trim());
    }
    i = end + 1;
  }
  return null;
}

/** Name and value of a Set-Cookie header value, or null when malformed. `expired` for Max-Age ≤ 0. */
export function parseSetCookie(header: string): { name: string; value: string; expired: boolean } | null {
  const semi = header.indexOf(";");
  const pair = semi < 0 ? header : header.slice(0, semi);
  const eq = pair.indexOf("=");
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = unquote(pair.slice(eq + 1).trim());
  const expired = semi >= 0 && /;\s*max-age\s*=\s*(-\d+|0+)\s*(;|$)/i.test(header);
  return { name, value, expired };
}

function unquote(v: string): string {
  return v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34 ? v.slice(1, -1) : v;
}
