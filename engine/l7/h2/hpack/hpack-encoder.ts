import type { OutgoingHttpHeaders } from "node:http2";
import { STATIC_NAMES, STATIC_TABLE_LENGTH } from "./static-table";

type Latin1WriteBuffer = Buffer & { latin1Write(string: string, offset: number, length: number): number };

/** Static index of each name (its first entry), built once. */
const STATIC_NAME_INDEX = new Map<string, number>();
for (let index = STATIC_TABLE_LENGTH; index >= 1; index--) STATIC_NAME_INDEX.set(STATIC_NAMES[index]!, index);

/** Octets an integer may take beyond its first (values < 2^35). */
const INTEGER_TAIL = 5;

/**
 * HPACK header block encoder (RFC 7541) for one HTTP/2 connection's responses. Uses the static table
 * (the whole `:status` entry when the code has one, else the name's index) and literals without indexing; no dynamic
 * table, so the peer's SETTINGS_HEADER_TABLE_SIZE never matters, and no Huffman (cheaper to write).
 */
export class HpackEncoder {
  /** The last block encoded is `buf[0, length)`, valid until the next `encode` (which may replace `buf` with a larger one). */
  buf: Buffer = Buffer.allocUnsafe(4096);

  /**
   * Encodes `headers` (names lowercase; `:status` first; a number written in decimal; an array is one
   * field per element, in order; undefined values skipped) into `buf` from offset 0 and returns the
   * block's length.
   */
  encode(headers: OutgoingHttpHeaders): number {
    let o = 0;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      if (name === ":status") {
        const index = statusIndex(value);
        if (index !== 0) {
          this.reserve(o + 1);
          this.buf[o++] = 0x80 | index;
          continue;
        }
      }
      const nameIndex = STATIC_NAME_INDEX.get(name) ?? 0;
      if (typeof value === "string") o = this.writeField(o, nameIndex, name, value);
      else if (typeof value === "number") o = this.writeField(o, nameIndex, name, String(value));
      else for (let i = 0; i < value.length; i++) o = this.writeField(o, nameIndex, name, value[i]!);
    }
    return o;
  }

  /** A literal field without indexing (§6.2.2, 0000 prefix): static name index, else a literal name; then the value. */
  private writeField(o: number, nameIndex: number, name: string, value: string): number {
    this.reserve(o + 1 + INTEGER_TAIL + name.length + 1 + INTEGER_TAIL + 1 + INTEGER_TAIL + value.length);
    const buf = this.buf;
    if (nameIndex !== 0) o = writeInteger(buf, o, 0x00, 0x0f, nameIndex);
    else {
      buf[o++] = 0x00;
      o = writeString(buf, o, name);
    }
    return writeString(buf, o, value);
  }

  /** Makes `buf` at least `length` octets, keeping what is written. */
  private reserve(length: number): void {
    if (length <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(length, this.buf.length * 2));
    this.buf.copy(bigger, 0);
    this.buf = bigger;
  }
}

/** The static entry for `:status value` (8-14), or 0 when the code has none. */
function statusIndex(value: string | number | readonly string[]): number {
  switch (value) {
    case 200:
    case "200":
      return 8;
    case 204:
    case "204":
      return 9;
    case 206:
    case "206":
      return 10;
    case 304:
    case "304":
      return 11;
    case 400:
    case "400":
      return 12;
    case 404:
    case "404":
      return 13;
    case 500:
    case "500":
      return 14;
    default:
      return 0;
  }
}

/** An integer (§5.1) whose first octet is `flags | prefix`; returns the offset after it. */
function writeInteger(buf: Buffer, o: number, flags: number, prefixMask: number, value: number): number {
  if (value < prefixMask) {
    buf[o++] = flags | value;
    return o;
  }
  buf[o++] = flags | prefixMask;
  value -= prefixMask;
  while (value >= 0x80) {
    buf[o++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  buf[o++] = value;
  return o;
}

/** Strings up to this length are copied char by char: cheaper than a call into Node's native latin1 writer. */
const SHORT_STRING = 64;

/** A raw string literal (§5.2, H = 0): length, then the latin1 octets (each char's low 8 bits). */
function writeString(buf: Buffer, o: number, s: string): number {
  const length = s.length;
  o = writeInteger(buf, o, 0x00, 0x7f, length);
  if (length > SHORT_STRING) return o + (buf as Latin1WriteBuffer).latin1Write(s, o, length);
  for (let i = 0; i < length; i++) buf[o + i] = s.charCodeAt(i);
  return o + length;
}
