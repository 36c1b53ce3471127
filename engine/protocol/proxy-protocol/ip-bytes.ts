/**
 * IP addresses between their text form and the network-order bytes PROXY v2 carries, by hand: the
 * encoder runs once per backend connection and the decoder once per accepted header, so neither goes
 * through regexes or allocates beyond the result string.
 */

const COLON = 0x3a;
const DOT = 0x2e;

/** 16 bits per word of the IPv6 address being parsed (module scratch: the functions are synchronous). */
const words = new Uint16Array(8);

/** `a.b.c.d` (network order, 4 bytes from `offset`). */
export function formatIPv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * The 16 bytes at `offset` as Node prints an IPv6 address (libuv's inet_ntop, RFC 5952): lower-case
 * hex without leading zeros, the first longest run of two or more zero words as `::`, and the last 32
 * bits as a dotted quad for IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses.
 */
export function formatIPv6(bytes: Uint8Array, offset: number): string {
  let bestBase = -1;
  let bestLength = 0;
  let runBase = -1;
  for (let i = 0; i <= 8; i++) {
    const zero = i < 8 && bytes[offset + 2 * i] === 0 && bytes[offset + 2 * i + 1] === 0;
    if (zero) {
      if (runBase === -1) runBase = i;
    } else if (runBase !== -1) {
      if (i - runBase > bestLength) [bestBase, bestLength] = [runBase, i - runBase];
      runBase = -1;
    }
  }
  if (bestLength < 2) bestBase = -1;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    const word = (bytes[offset + 2 * i]! << 8) | bytes[offset + 2 * i + 1]!;
    const mapped = bestLength === 5 && bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff;
    if (i === 6 && bestBase === 0 && (bestLength === 6 || mapped)) {
      return out + formatIPv4(bytes, offset + 12);
    }
    out += word.toString(16);
  }
  return bestBase !== -1 && bestBase + bestLength === 8 ? out + ":" : out;
}

/**
 * A strict dotted quad in text[from, to) (four decimal numbers 0–255, no leading zeros: the form
 * the spec's section 2.1 requires and Node prints) as an unsigned 32-bit number, or -1.
 */
export function parseIPv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let parts = 0;
  let i = from;
  while (parts < 4) {
    const partStart = i;
    let part = 0;
    while (i < to && i - partStart < 3) {
      const digit = text.charCodeAt(i) - 0x30;
      if (digit < 0 || digit > 9) break;
      part = part * 10 + digit;
      i++;
    }
    const length = i - partStart;
    if (length === 0 || part > 255 || (length > 1 && text.charCodeAt(partStart) === 0x30)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= to || text.charCodeAt(i) !== DOT) return -1;
      i++;
    }
  }
  return i === to ? value : -1;
}

/** The value of one hex digit, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * Writes the IPv6 address `text` (any RFC 4291 spelling: `::` once, an IPv4 tail, a `%zone` suffix
 * ignored) as 16 network-order bytes at out[offset]. False (and `out` unspecified) when it is not one.
 */
export function writeIPv6(text: string, out: Uint8Array, offset: number): boolean {
  const zone = text.indexOf("%");
  const end = zone === -1 ? text.length : zone;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let value = 0;
    while (i < end && i - groupStart < 5) {
      const digit = hexValue(text.charCodeAt(i));
      if (digit === -1) break;
      value = value * 16 + digit;
      i++;
    }
    if (i < end && text.charCodeAt(i) === DOT) {
      const ipv4 = count <= 6 ? parseIPv4(text, groupStart, end) : -1;
      if (ipv4 === -1) return false;
      words[count++] = ipv4 >>> 16;
      words[count++] = ipv4 & 0xffff;
      break;
    }
    if (i === groupStart || i - groupStart > 4) return false;
    words[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    if (text.charCodeAt(i) === COLON && i < end) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false; // a single trailing colon
    }
  }
  if (gap === -1 ? count !== 8 : count > 7) return false;
  const zeros = 8 - count;
  for (let w = 0, j = 0; w < 8; w++) {
    const word = gap !== -1 && w >= gap && w < gap + zeros ? 0 : words[j++]!;
    out[offset + 2 * w] = word >>> 8;
    out[offset + 2 * w + 1] = word & 0xff;
  }
  return true;
}
