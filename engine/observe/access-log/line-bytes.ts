/**
 * Writing the bytes of an access-log line straight into the file writer's batch buffer: each `put*`
 * takes the buffer and the offset to write at and returns the offset after what it wrote — state in
 * two locals, no object to load from or store to, no room check per call. The caller makes room for
 * the line's bound first (`ESCAPED_BYTES_PER_CHAR`, `NUMBER_BYTES`; access-log-format.ts `lineBound`).
 * Constant parts are bytes made once (`lineBytes`), values go as latin1 bytes, client-controlled
 * values escaped on the way (nginx's escape=default, exactly as protocol/access-log-line.ts
 * `escapeLogValue`), numbers as digits. A line costs no string concatenation, no string → bytes
 * conversion and no copy.
 */

/** Bytes `putEscaped` writes at most per UTF-16 unit: \xHH for each of up to 3 UTF-8 bytes. */
export const ESCAPED_BYTES_PER_CHAR = 12;
/** Bytes `putInt`, `putSeconds` and `putFraction` write at most (any double as String writes it, and a fraction). */
export const NUMBER_BYTES = 32;

/** The latin1 bytes of a constant part of lines (made once, when a snapshot is applied; written with `putBytes`). */
export function lineBytes(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

/** Writes one byte (a separator: space, quote, newline). */
export function putByte(buf: Uint8Array, at: number, c: number): number {
  buf[at] = c;
  return at + 1;
}

/**
 * Writes constant bytes made by `lineBytes`: a short one byte by byte, a longer one with one native
 * `set` (~25 ns a call whatever the size; a charCodeAt loop over a string costs ~4 ns a byte).
 */
export function putBytes(buf: Uint8Array, at: number, b: Uint8Array): number {
  const n = b.length;
  if (n > SHORT_BYTES) buf.set(b, at);
  else for (let i = 0; i < n; i++) buf[at + i] = b[i]!;
  return at + n;
}

/** Writes `s` as it is (values that never need escaping: one byte per char, all < 0x100). */
export function putText(buf: Uint8Array, at: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) buf[at + i] = s.charCodeAt(i);
  return at + n;
}

/**
 * Writes `s` as nginx's escape=default does: `"`, `\`, control characters and characters ≥ 0x7f as
 * \xHH, a character above 0xff as the \xHH of its UTF-8 bytes (a lone surrogate as U+FFFD, as
 * Buffer.from does). With `bare`, a space and a leading "[" are escaped too (a value written without
 * quotes: the SNI name). At most `ESCAPED_BYTES_PER_CHAR` bytes per char.
 */
export function putEscaped(buf: Uint8Array, at: number, s: string, bare = false): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && !(bare && (c === 0x20 || (c === 0x5b && i === 0)))) {
      buf[at++] = c;
    } else if (c <= 0xff) {
      at = putHex(buf, at, c);
    } else {
      for (const b of Buffer.from(String.fromCharCode(c), "utf8")) at = putHex(buf, at, b);
    }
  }
  return at;
}

function putHex(buf: Uint8Array, at: number, c: number): number {
  buf[at] = 0x5c;
  buf[at + 1] = 0x78;
  buf[at + 2] = HEX[c >> 4]!;
  buf[at + 3] = HEX[c & 15]!;
  return at + 4;
}

/** Writes a whole number ≥ 0 in decimal, three digits per table lookup (a negative or fractional number as String writes it). */
export function putInt(buf: Uint8Array, at: number, value: number): number {
  if (!(value >= 0 && value <= 0xffffffff && value === Math.floor(value))) return putText(buf, at, String(value));
  return value < 1000 ? leadingDigits(buf, at, value) : groupedDigits(buf, at, value);
}

/** A duration in ms as nginx writes seconds ("0.003", negative → "0.000"): protocol/access-log-line.ts `formatSeconds`. */
export function putSeconds(buf: Uint8Array, at: number, ms: number): number {
  const whole = ms > 0 ? Math.round(ms) : 0;
  if (whole < 1000) {
    // The common case, under a second: "0.ddd" in one go.
    buf[at] = 0x30;
    buf[at + 1] = 0x2e;
    threeDigits(buf, at + 2, whole);
    return at + 5;
  }
  const s = Math.floor(whole / 1000);
  return putFraction(buf, putInt(buf, at, s), whole - s * 1000);
}

/** "." and three digits of `thousandths` (0–999): the fraction of msec and of a duration. */
export function putFraction(buf: Uint8Array, at: number, thousandths: number): number {
  buf[at] = 0x2e;
  threeDigits(buf, at + 1, thousandths);
  return at + 4;
}

/** "000" to "999" as bytes, three per number: a number's digits are copied, not divided out one by one. */
const THREE_DIGITS = Uint8Array.from({ length: 3000 }, (_, i) => 0x30 + (i % 3 === 0 ? Math.floor(i / 300) : i % 3 === 1 ? Math.floor(i / 30) % 10 : Math.floor(i / 3) % 10));

/** Writes 0–999 without leading zeros at `at`; returns the end. */
function leadingDigits(buf: Uint8Array, at: number, n: number): number {
  if (n >= 100) {
    threeDigits(buf, at, n);
    return at + 3;
  }
  const o = n * 3;
  if (n >= 10) {
    buf[at] = THREE_DIGITS[o + 1]!;
    buf[at + 1] = THREE_DIGITS[o + 2]!;
    return at + 2;
  }
  buf[at] = THREE_DIGITS[o + 2]!;
  return at + 1;
}

/** Writes a whole number ≥ 1000 at `at`, its groups of three from the left; returns the end. */
function groupedDigits(buf: Uint8Array, at: number, n: number): number {
  const high = Math.floor(n / 1000);
  const end = high < 1000 ? leadingDigits(buf, at, high) : groupedDigits(buf, at, high);
  threeDigits(buf, end, n - high * 1000);
  return end + 3;
}

/** Writes 0–999 as three digits at `at`. */
function threeDigits(buf: Uint8Array, at: number, n: number): void {
  const o = n * 3;
  buf[at] = THREE_DIGITS[o]!;
  buf[at + 1] = THREE_DIGITS[o + 1]!;
  buf[at + 2] = THREE_DIGITS[o + 2]!;
}

/** Constants up to this many bytes are copied by a loop, longer ones by `set`. */
const SHORT_BYTES = 16;

/** "0123456789ABCDEF" as char codes. */
const HEX = Uint8Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));
