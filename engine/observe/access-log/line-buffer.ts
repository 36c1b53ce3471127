/**
 * The bytes of one access-log line, written piece by piece into a reused Buffer (one per worker's
 * sinks): constant parts as bytes made once (`lineBytes`, copied with one `set`), values as latin1
 * bytes, client-controlled values escaped on the way (nginx's escape=default, exactly as
 * protocol/access-log-line.ts `escapeLogValue`), numbers as digits. A line costs no string
 * concatenation, no flattening of a rope and no string → bytes conversion: the file writer copies
 * `buf[0, length)` into its batch with one memcpy.
 */
export class LineBuffer {
  buf: Buffer;
  /** Bytes written since the last `reset`. */
  length = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a new line. */
  reset(): void {
    this.length = 0;
  }

  /** The line as a latin1 string (the syslog sender's message; tests). */
  toString(): string {
    return this.buf.toString("latin1", 0, this.length);
  }

  /** Writes one byte (a separator: space, quote, newline). */
  byte(c: number): void {
    const at = this.length;
    if (at >= this.buf.length) this.grow(1);
    this.buf[at] = c;
    this.length = at + 1;
  }

  /**
   * Writes constant bytes made by `lineBytes`: a short one byte by byte, a longer one with one native
   * `set` (~25 ns a call whatever the size; a charCodeAt loop over a string costs ~4 ns a byte).
   */
  bytes(b: Uint8Array): void {
    const n = b.length;
    const at = this.length;
    if (at + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    if (n > SHORT_BYTES) buf.set(b, at);
    else for (let i = 0; i < n; i++) buf[at + i] = b[i]!;
    this.length = at + n;
  }

  /** Writes `s` as it is (values that never need escaping: one byte per char, all < 0x100). */
  text(s: string): void {
    const n = s.length;
    let at = this.length;
    if (at + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /**
   * Writes `s` as nginx's escape=default does: `"`, `\`, control characters and characters ≥ 0x7f as
   * \xHH, a character above 0xff as the \xHH of its UTF-8 bytes. With `bare`, a space and a leading
   * "[" are escaped too (a value written without quotes: the SNI name).
   */
  escaped(s: string, bare = false): void {
    const n = s.length;
    let at = this.length;
    // Room for the worst case of a char up to 0xff (4 bytes); a char above takes `wide`, which makes its own room.
    if (at + 4 * n > this.buf.length) this.grow(4 * n);
    let buf = this.buf;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && !(bare && (c === 0x20 || (c === 0x5b && i === 0)))) {
        buf[at++] = c;
      } else if (c <= 0xff) {
        buf[at] = 0x5c;
        buf[at + 1] = 0x78;
        buf[at + 2] = HEX[c >> 4]!;
        buf[at + 3] = HEX[c & 15]!;
        at += 4;
      } else {
        this.length = at;
        this.wide(c, 4 * (n - i - 1));
        at = this.length;
        buf = this.buf;
      }
    }
    this.length = at;
  }

  /** A character above 0xff: the \xHH of its UTF-8 bytes (a lone surrogate as U+FFFD, as Buffer.from does); room kept for `rest` more bytes. */
  private wide(c: number, rest: number): void {
    const bytes = Buffer.from(String.fromCharCode(c), "utf8");
    if (this.length + 4 * bytes.length + rest > this.buf.length) this.grow(4 * bytes.length + rest);
    for (const b of bytes) {
      const at = this.length;
      this.buf[at] = 0x5c;
      this.buf[at + 1] = 0x78;
      this.buf[at + 2] = HEX[b >> 4]!;
      this.buf[at + 3] = HEX[b & 15]!;
      this.length = at + 4;
    }
  }

  /** Writes a whole number ≥ 0 in decimal, three digits per table lookup (a negative or fractional number goes through String). */
  int(value: number): void {
    if (!(value >= 0 && value <= 0xffffffff && value === Math.floor(value))) return this.text(String(value));
    const at = this.length;
    if (at + 10 > this.buf.length) this.grow(10);
    this.length = value < 1000 ? leadingDigits(this.buf, at, value) : groupedDigits(this.buf, at, value);
  }

  /** A duration in ms as nginx writes seconds ("0.003", negative → "0.000"): protocol/access-log-line.ts `formatSeconds`. */
  seconds(ms: number): void {
    const whole = ms > 0 ? Math.round(ms) : 0;
    if (whole < 1000) {
      // The common case, under a second: "0.ddd" in one go.
      const at = this.length;
      if (at + 5 > this.buf.length) this.grow(5);
      const buf = this.buf;
      buf[at] = 0x30;
      buf[at + 1] = 0x2e;
      threeDigits(buf, at + 2, whole);
      this.length = at + 5;
      return;
    }
    const s = Math.floor(whole / 1000);
    this.int(s);
    this.fraction(whole - s * 1000);
  }

  /** "." and three digits of `thousandths` (0–999): the fraction of msec and of a duration. */
  fraction(thousandths: number): void {
    const at = this.length;
    if (at + 4 > this.buf.length) this.grow(4);
    this.buf[at] = 0x2e;
    threeDigits(this.buf, at + 1, thousandths);
    this.length = at + 4;
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra + 256));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

/** The latin1 bytes of a constant part of lines (made once, when a snapshot is applied; written with `LineBuffer.bytes`). */
export function lineBytes(s: string): Uint8Array {
  return Buffer.from(s, "latin1");
}

/** "000" to "999" as bytes, three per number: a number's digits are copied, not divided out one by one. */
const THREE_DIGITS = Uint8Array.from({ length: 3000 }, (_, i) => 0x30 + (i % 3 === 0 ? Math.floor(i / 300) : i % 3 === 1 ? Math.floor(i / 30) % 10 : Math.floor(i / 3) % 10));

/** Writes 0–999 without leading zeros at `at`; returns the end. */
function leadingDigits(buf: Buffer, at: number, n: number): number {
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
function groupedDigits(buf: Buffer, at: number, n: number): number {
  const high = Math.floor(n / 1000);
  const end = high < 1000 ? leadingDigits(buf, at, high) : groupedDigits(buf, at, high);
  threeDigits(buf, end, n - high * 1000);
  return end + 3;
}

/** Writes 0–999 as three digits at `at`. */
function threeDigits(buf: Buffer, at: number, n: number): void {
  const o = n * 3;
  buf[at] = THREE_DIGITS[o]!;
  buf[at + 1] = THREE_DIGITS[o + 1]!;
  buf[at + 2] = THREE_DIGITS[o + 2]!;
}

/** Constants up to this many bytes are copied by a loop, longer ones by `set`. */
const SHORT_BYTES = 16;

/** "0123456789ABCDEF" as char codes. */
const HEX = Uint8Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));
