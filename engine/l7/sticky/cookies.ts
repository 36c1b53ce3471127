import { parseCookieDate } from "./cookie-date";

/**
 * Minimal cookie parsing for stickiness: find one cookie in a `Cookie` header value
 * (`a=1; b=2`), read the name/value pair of a `Set-Cookie` value (`name=value; attrs`) and whether
 * its attributes delete the cookie (`Max-Age` ≤ 0, or an `Expires` date in the past).
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

/**
 * Name and value of a Set-Cookie header value, or null when malformed. `expired`: this header deletes
 * the cookie (setCookieExpires). `now` (ms since the epoch) is read only for an `Expires` attribute.
 */
export function parseSetCookie(header: string, now: () => number = Date.now): { name: string; value: string; expired: boolean } | null {
  const semi = header.indexOf(";");
  const pair = semi < 0 ? header : header.slice(0, semi);
  const eq = pair.indexOf("=");
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = unquote(pair.slice(eq + 1).trim());
  return { name, value, expired: semi >= 0 && setCookieExpires(header, semi, now) };
}

/** A valid Max-Age value (RFC 6265 §5.2.2): an optional "-", then digits only; anything else is ignored. */
const MAX_AGE = /^-?\d+$/;

/**
 * True when the attributes of a Set-Cookie value (from the ';' at `from`) delete the cookie, as a
 * browser decides it (RFC 6265 §5.2–5.3): the last valid `Max-Age` rules when there is one (≤ 0 →
 * deleted, even with a future Expires; > 0 → kept, even with a past one); else the last `Expires`
 * whose date parses (sticky/cookie-date.ts) deletes it when that moment is not after `now()`.
 * Attribute names are case-insensitive; an attribute whose value is invalid is ignored.
 */
export function setCookieExpires(header: string, from: number, now: () => number = Date.now): boolean {
  let maxAge: number | null = null;
  let expires = NaN;
  const n = header.length;
  let i = from;
  while (i < n) {
    let end = header.indexOf(";", i + 1);
    if (end < 0) end = n;
    const eq = header.indexOf("=", i + 1);
    const start = i + 1;
    i = end;
    if (eq < 0 || eq > end) continue; // an attribute without a value (HttpOnly, Secure)
    const name = header.slice(start, eq).trim().toLowerCase();
    if (name === "max-age") {
      const v = header.slice(eq + 1, end).trim();
      if (MAX_AGE.test(v)) maxAge = Number(v);
    } else if (name === "expires") {
      const t = parseCookieDate(header.slice(eq + 1, end));
      if (!Number.isNaN(t)) expires = t;
    }
  }
  if (maxAge !== null) return maxAge <= 0;
  return !Number.isNaN(expires) && expires <= now();
}

function unquote(v: string): string {
  return v.length >= 2 && v.charCodeAt(0) === 34 && v.charCodeAt(v.length - 1) === 34 ? v.slice(1, -1) : v;
}
