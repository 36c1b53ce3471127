/**
 * Byte-level helpers shared by the HTTP/1.1 parsers: character classes as lookup tables and ASCII
 * comparisons (latin1 slices and private copies are in engine/io/bytes.ts).
 */

/** Carriage return. */
export const CR = 13;
/** Line feed. */
export const LF = 10;
/** Space. */
export const SP = 32;
/** Horizontal tab. */
export const HTAB = 9;
/** ':' */
export const COLON = 58;

/** 1 for RFC 9110 tchar (token characters), 0 otherwise. */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** 1 for bytes allowed inside a field value: VCHAR, obs-text, SP, HTAB (no CTLs, no DEL). */
export const FIELD_VCHAR = new Uint8Array(256);
for (let c = 0x20; c <= 0x7e; c++) FIELD_VCHAR[c] = 1;
for (let c = 0x80; c <= 0xff; c++) FIELD_VCHAR[c] = 1;
FIELD_VCHAR[HTAB] = 1;

/** 1 for bytes allowed in a request-target: visible ASCII only (no SP, CTLs, DEL or raw 8-bit). */
export const TARGET_CHAR = new Uint8Array(256);
for (let c = 0x21; c <= 0x7e; c++) TARGET_CHAR[c] = 1;

/** Hex digit value, or -1. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c <= 9; c++) HEX_VALUE[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[0x41 + c] = 10 + c;
  HEX_VALUE[0x61 + c] = 10 + c;
}

/** True when buf[start, start+lower.length) equals `lower` ignoring ASCII case. `lower` must be lowercase token chars. */
export function equalsLower(buf: Buffer, start: number, lower: string): boolean {
  const n = lower.length;
  for (let i = 0; i < n; i++) {
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the first byte in [start, end) that is not SP/HTAB (end if none). */
export function skipOws(buf: Buffer, start: number, end: number): number {
  while (start < end && (buf[start] === SP || buf[start] === HTAB)) start++;
  return start;
}

/** One past the last byte in [start, end) that is not SP/HTAB (start if none). */
export function trimOwsEnd(buf: Buffer, start: number, end: number): number {
  while (end > start && (buf[end - 1] === SP || buf[end - 1] === HTAB)) end--;
  return end;
}
