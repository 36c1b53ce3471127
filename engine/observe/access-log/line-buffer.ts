/**
 * The bytes of one access-log line, written piece by piece into a reused Buffer (one per worker's
 * sinks): constant parts and values as latin1 bytes, client-controlled values escaped on the way
 * (nginx's escape=default, exactly as protocol/access-log-line.ts `escapeLogValue`), numbers as digits.
 * A line costs no string concatenation, no flattening of a rope and no string → bytes conversion:
 * the file writer copies `buf[0, length)` into its batch with one memcpy.
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

  /** Writes `s` as it is (constants and values that never need escaping: one byte per char, all < 0x100). */
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

  /** Writes a whole number ≥ 0 in decimal (a negative or fractional number goes through String). */
  int(value: number): void {
    if (!(value >= 0 && value <= 0xffffffff && value === Math.floor(value))) return this.text(String(value));
    let at = this.length;
    if (at + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let v = value;
    for (let i = at + digits - 1; i >= at; i--) {
      const q = Math.floor(v / 10);
      buf[i] = 0x30 + (v - q * 10);
      v = q;
    }
    at += digits;
    this.length = at;
  }

  /** A duration in ms as nginx writes seconds ("0.003", negative → "0.000"): protocol/access-log-line.ts `formatSeconds`. */
  seconds(ms: number): void {
    const whole = ms > 0 ? Math.round(ms) : 0;
    const s = Math.floor(whole / 1000);
    const rest = whole - s * 1000;
    this.int(s);
    if (this.length + 4 > this.buf.length) this.grow(4);
    const buf = this.buf;
    const at = this.length;
    buf[at] = 0x2e;
    buf[at + 1] = 0x30 + Math.floor(rest / 100);
    buf[at + 2] = 0x30 + (Math.floor(rest / 10) % 10);
    buf[at + 3] = 0x30 + (rest % 10);
    this.length = at + 4;
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra + 256));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

/** "0123456789ABCDEF" as char codes. */
const HEX = Uint8Array.from("0123456789ABCDEF", (c) => c.charCodeAt(0));
