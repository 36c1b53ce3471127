/**
 * The checks nghttp2 made on a request's decoded header list (RFC 9113 §8.2, §8.3), done once per
 * header block over the raw `[name, value, …]` list, in place:
 *
 * - a name must be a lowercase token (an uppercase letter or any other character → the stream is
 *   refused); a regular field whose value holds a control character (NUL, CR, LF, …, DEL) or starts or
 *   ends with a space or tab is dropped, as nghttp2 does, and the stream goes on;
 * - pseudo-headers: only `:method`, `:scheme`, `:path`, `:authority`, each at most once, all before the
 *   first regular field; `:method`, `:scheme` and a non-empty `:path` are required (CONNECT: `:method` and
 *   `:authority` only); `:method` a token, `:path` without spaces or control characters, `:authority` of
 *   authority characters only (no userinfo, path or quotes; a `host` field that is not is dropped);
 * - connection-specific fields (connection, keep-alive, proxy-connection, transfer-encoding, upgrade)
 *   and a `te` other than "trailers" refuse the stream;
 * - `content-length` must be 1 to 15 digits (as the HTTP/1 path: an exact double), and at most one.
 */

/** What `checkRequestHead` answers for a list that must be refused (RST_STREAM PROTOCOL_ERROR). */
export const INVALID_HEAD = -2;
/** What `checkRequestHead` answers for a valid list without Content-Length. */
export const NO_LENGTH = -1;

/** Largest Content-Length accepted: 15 decimal digits stays an exact double (as http1/start-line.ts). */
const MAX_LENGTH_DIGITS = 15;

const METHOD = 1;
const SCHEME = 2;
const PATH = 4;
const AUTHORITY = 8;

/** 1 for the characters of a lowercase token (RFC 9110 §5.6.2 tchar without A-Z). */
const LOWER_TOKEN = new Uint8Array(256);
/** 1 for the characters of a token (a method). */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") LOWER_TOKEN[c.charCodeAt(0)] = 1;
TOKEN.set(LOWER_TOKEN);
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
/** 1 for the characters a field value may hold (nghttp2's table: HTAB, visible ASCII, SP, obs-text). */
const VALUE = new Uint8Array(256);
VALUE[0x09] = 1;
for (let c = 0x20; c <= 0xff; c++) if (c !== 0x7f) VALUE[c] = 1;
/** 1 for the characters of `:path`: visible ASCII and obs-text, no space. */
const VISIBLE = new Uint8Array(256);
for (let c = 0x21; c <= 0xff; c++) if (c !== 0x7f) VISIBLE[c] = 1;
/** 1 for the characters of an authority (nghttp2's check_authority: host, port, IP literal; no userinfo, no path). */
const AUTHORITY_CHARS = new Uint8Array(256);
for (const c of "!$%&'()*+,-.0123456789:;=ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~") AUTHORITY_CHARS[c.charCodeAt(0)] = 1;

/**
 * Checks a request's header list `raw` (`[name, value, …]`, latin1), dropping in place the regular
 * fields nghttp2 would ignore. Returns the Content-Length (≥ 0), `NO_LENGTH`, or `INVALID_HEAD`.
 */
export function checkRequestHead(raw: string[]): number {
  let seen = 0;
  let regular = false;
  let connect = false;
  let contentLength = NO_LENGTH;
  let w = 0;
  const n = raw.length;
  for (let r = 0; r < n; r += 2) {
    const name = raw[r]!;
    const value = raw[r + 1]!;
    if (name.charCodeAt(0) === 0x3a) {
      if (regular) return INVALID_HEAD;
      const bit = pseudoBit(name);
      if (bit === 0 || (seen & bit) !== 0) return INVALID_HEAD;
      seen |= bit;
      if (bit === METHOD) {
        if (!allOf(value, TOKEN)) return INVALID_HEAD;
        connect = value === "CONNECT";
      } else if (bit === PATH) {
        if (!allOf(value, VISIBLE)) return INVALID_HEAD;
      } else if (bit === AUTHORITY) {
        if (!allOf(value, AUTHORITY_CHARS)) return INVALID_HEAD;
      } else if (!allOf(value, VALUE)) return INVALID_HEAD;
    } else {
      regular = true;
      if (!allOf(name, LOWER_TOKEN)) return INVALID_HEAD;
      if (!validValue(value)) continue; // dropped, as nghttp2 ignores it
      switch (name.length) {
        case 4:
          if (name === "host" && !allOf(value, AUTHORITY_CHARS)) continue; // dropped, as nghttp2 does
          break;
        case 2:
          if (name === "te" && value.toLowerCase() !== "trailers") return INVALID_HEAD;
          break;
        case 7:
          if (name === "upgrade") return INVALID_HEAD;
          break;
        case 10:
          if (name === "connection" || name === "keep-alive") return INVALID_HEAD;
          break;
        case 14:
          if (name === "content-length") {
            if (contentLength !== NO_LENGTH || value.length === 0 || value.length > MAX_LENGTH_DIGITS || !digits(value)) return INVALID_HEAD;
            contentLength = Number(value);
          }
          break;
        case 16:
          if (name === "proxy-connection") return INVALID_HEAD;
          break;
        case 17:
          if (name === "transfer-encoding") return INVALID_HEAD;
          break;
      }
    }
    if (w !== r) {
      raw[w] = name;
      raw[w + 1] = value;
    }
    w += 2;
  }
  if (w !== n) raw.length = w;
  if (connect) {
    if (seen !== (METHOD | AUTHORITY)) return INVALID_HEAD;
  } else if ((seen & (METHOD | SCHEME | PATH)) !== (METHOD | SCHEME | PATH)) return INVALID_HEAD;
  return contentLength;
}

/** A trailer block (it ends the request; its fields are not forwarded): no pseudo-header, names lowercase tokens. */
export function checkTrailers(raw: readonly string[]): boolean {
  for (let r = 0; r < raw.length; r += 2) {
    if (!allOf(raw[r]!, LOWER_TOKEN)) return false;
  }
  return true;
}

function pseudoBit(name: string): number {
  switch (name) {
    case ":method":
      return METHOD;
    case ":scheme":
      return SCHEME;
    case ":path":
      return PATH;
    case ":authority":
      return AUTHORITY;
    default:
      return 0; // :status, :protocol (no extended CONNECT offered), anything else
  }
}

/** Every character of `s` (non-empty) is in `table`. */
function allOf(s: string, table: Uint8Array): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (table[s.charCodeAt(i)] !== 1) return false; // past 0xff: undefined
  return true;
}

/** A regular field value nghttp2 keeps: its characters allowed, no leading or trailing space or tab (RFC 9113 §8.2.1). */
function validValue(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) return false;
  for (let i = 0; i < n; i++) if (VALUE[s.charCodeAt(i)] !== 1) return false;
  return true;
}

function digits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
