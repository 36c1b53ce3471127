/**
 * The cookie-date algorithm of RFC 6265 §5.1.1, as browsers run it on a Set-Cookie `Expires`
 * attribute: the value is cut into tokens at delimiters, and the first token that reads as a time
 * (h:m:s), a day of month (1–2 digits), a month (its first three letters) and a year (2–4 digits) is
 * taken for each, in that order; everything else is ignored. So the IMF-fixdate of RFC 9110
 * (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
 * asctime (`Sun Nov  6 08:49:37 1994`) forms parse, and so do the variants servers actually send
 * (`Thu, 01-Jan-1970 00:00:01 GMT`, a missing weekday, `UTC` or no zone at all — the time is always
 * UTC). A 2-digit year 70–99 is 19xx, 00–69 is 20xx.
 *
 * Written out rather than left to Date.parse, which is implementation-defined beyond ISO 8601: V8
 * (Node 20) reads asctime, which has no zone, as local time, `1 Jan 69` as 1969 and `31 Apr` as 1 May.
 * This gives what a browser decides: the moment after which it no longer holds the cookie.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** RFC 6265 delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E. */
function isDelimiter(c: number): boolean {
  return c === 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Reads `min`–`max` digits at token[i]; the next character must not be a digit. Returns [value, end] or null. */
function digits(token: string, i: number, min: number, max: number): [number, number] | null {
  let value = 0;
  let j = i;
  while (j < token.length && isDigit(token.charCodeAt(j))) {
    if (j - i === max) return null; // one digit too many
    value = value * 10 + token.charCodeAt(j) - 0x30;
    j++;
  }
  return j - i < min ? null : [value, j];
}

/** time = hms-time ( non-digit *OCTET ); hms-time = 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT. */
function readTime(token: string): [number, number, number] | null {
  const h = digits(token, 0, 1, 2);
  if (h === null || token.charCodeAt(h[1]) !== 0x3a) return null;
  const m = digits(token, h[1] + 1, 1, 2);
  if (m === null || token.charCodeAt(m[1]) !== 0x3a) return null;
  const s = digits(token, m[1] + 1, 1, 2);
  return s === null ? null : [h[0], m[0], s[0]];
}

/**
 * The time a cookie-date names, in ms since the epoch (UTC), or NaN when it names none (RFC 6265
 * §5.1.1: a missing part, an hour above 23, a minute or second above 59, a day outside 1–31 or
 * past its month's end, a year before 1601) — an `Expires` that does not parse is ignored.
 */
export function parseCookieDate(value: string): number {
  let time: [number, number, number] | null = null;
  let day = -1;
  let month = -1;
  let year = -1;
  const n = value.length;
  let i = 0;
  while (i < n) {
    while (i < n && isDelimiter(value.charCodeAt(i))) i++;
    let end = i;
    while (end < n && !isDelimiter(value.charCodeAt(end))) end++;
    if (end === i) break;
    const token = value.slice(i, end);
    i = end;
    if (time === null && (time = readTime(token)) !== null) continue;
    if (day < 0) {
      const d = digits(token, 0, 1, 2);
      if (d !== null) {
        day = d[0];
        continue;
      }
    }
    if (month < 0 && token.length >= 3) {
      const m = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
      if (m >= 0) {
        month = m;
        continue;
      }
    }
    if (year < 0) {
      const y = digits(token, 0, 2, 4);
      if (y !== null) year = y[0];
    }
  }
  if (time === null || day < 0 || month < 0 || year < 0) return NaN;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  return new Date(ms).getUTCDate() === day ? ms : NaN; // 31 Apr, 29 Feb 1995: no such date
}
