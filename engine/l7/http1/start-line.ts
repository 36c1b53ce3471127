import { latin1 } from "../../io/bytes";

/** Scalar pieces of HTTP/1.x start lines and fields, shared by the request and response parsers. */

/** Largest Content-Length accepted: 15 decimal digits stays an exact double. */
const MAX_LENGTH_DIGITS = 15;

/** A plain decimal of 1–15 digits, or -1. */
export function parseDecimal(buf: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n < 1 || n > MAX_LENGTH_DIGITS) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** "HTTP/d.d" exactly (case-sensitive) at buf[v, end) → major*10+minor, or -1. */
export function httpVersion(buf: Buffer, v: number, end: number): number {
  if (end - v !== 8) return -1;
  if (buf[v] !== 0x48 || buf[v + 1] !== 0x54 || buf[v + 2] !== 0x54 || buf[v + 3] !== 0x50 || buf[v + 4] !== 0x2f) return -1;
  const major = buf[v + 5]! - 0x30;
  const minor = buf[v + 7]! - 0x30;
  if (buf[v + 6] !== 0x2e || major < 0 || major > 9 || minor < 0 || minor > 9) return -1;
  return major * 10 + minor;
}

/** The method token buf[start, end): GET, PUT, POST and HEAD as interned constants, else a new string. */
export function methodName(buf: Buffer, start: number, end: number): string {
  const c = buf[start];
  switch (end - start) {
    case 3:
      if (c === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return "GET";
      if (c === 0x50 && buf[start + 1] === 0x55 && buf[start + 2] === 0x54) return "PUT";
      break;
    case 4:
      if (c === 0x50 && buf[start + 1] === 0x4f && buf[start + 2] === 0x53 && buf[start + 3] === 0x54) return "POST";
      if (c === 0x48 && buf[start + 1] === 0x45 && buf[start + 2] === 0x41 && buf[start + 3] === 0x44) return "HEAD";
      break;
  }
  return latin1(buf, start, end);
}
