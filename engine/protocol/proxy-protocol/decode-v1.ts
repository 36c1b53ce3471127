import { isIPv4, isIPv6 } from "node:net";
import { ABSENT, INCOMPLETE, invalid } from "./decode-result";
import { formatIPv6, writeIPv6 } from "./ip-bytes";
import { PROXY_V1_MAX_LENGTH, type ProxyDecodeResult } from "./proxy-header.types";

/**
 * The human-readable header, version 1 (HAProxy doc/proxy-protocol.txt section 2.1): one US-ASCII line
 * `PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n` or `PROXY UNKNOWN[ anything]\r\n`, single spaces,
 * at most 107 bytes with the CRLF. A partial line is checked as far as it goes, so that a line which can
 * no longer become valid is refused at once instead of waiting for its CRLF.
 */

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const DOT = 0x2e;
const COLON = 0x3a;

const PROXY = codes("PROXY");
const TCP4 = codes("TCP4 ");
const TCP6 = codes("TCP6 ");
const UNKNOWN = codes("UNKNOWN");

/** Field limits in characters: source, destination, source port, destination port. */
const IPV4_FIELD_MAX = [15, 15, 5, 5];
/** An IPv6 address with an IPv4 tail (`ffff:…:ffff:255.255.255.255`) takes up to 45 characters. */
const IPV6_FIELD_MAX = [45, 45, 5, 5];
const FIELD_NAMES = ["source address", "destination address", "source port", "destination port"];

const NO_SPACE = invalid('v1: "PROXY" must be followed by exactly one space (section 2.1)');
const BAD_PROTOCOL = invalid('v1: the protocol must be "TCP4", "TCP6" or "UNKNOWN" followed by one space or CRLF');
const BARE_LF = invalid("v1: a line feed without a carriage return before it (the line must end with CRLF)");
const CR_WITHOUT_LF = invalid("v1: a carriage return not followed by a line feed (the line must end with CRLF)");
const TOO_LONG = invalid(`v1: no CRLF in the first ${PROXY_V1_MAX_LENGTH} bytes`);
const EMPTY_FIELD = invalid("v1: fields must be separated by exactly one space");
const TOO_MANY_FIELDS = invalid("v1: more than 4 fields after TCP4/TCP6 (source, destination, ports)");
const MISSING_FIELDS = invalid("v1: TCP4/TCP6 need 4 fields: source address, destination address, source port, destination port");
const BAD_CHARACTER = FIELD_NAMES.map((name) => invalid(`v1: a character that cannot be part of the ${name}`));
const FIELD_TOO_LONG = FIELD_NAMES.map((name) => invalid(`v1: the ${name} is too long`));
const BAD_IPV4 = [0, 1].map((i) => invalid(`v1: TCP4 needs an IPv4 ${FIELD_NAMES[i]} (dotted quad, no leading zeros)`));
const BAD_IPV6 = [0, 1].map((i) => invalid(`v1: TCP6 needs an IPv6 ${FIELD_NAMES[i]}`));
const BAD_PORT = [2, 3].map((i) => invalid(`v1: the ${FIELD_NAMES[i]} must be a decimal 0-65535 without leading zeros`));

/** Where the 4 fields of a TCP line end (module scratch: decoding is synchronous). */
const fieldEnds = new Int32Array(4);
/** IPv6 bytes of an address being canonicalised. */
const ipv6Scratch = new Uint8Array(16);

/** Decodes bytes[start, end) whose first byte is "P". See `decodeProxyHeader`. */
export function decodeV1(bytes: Uint8Array, start: number, end: number): ProxyDecodeResult {
  const available = end - start;
  if (matched(bytes, start, end, PROXY) < (available < 5 ? available : 5)) return ABSENT;
  if (available < 6) return INCOMPLETE;
  if (bytes[start + 5] !== SPACE) return NO_SPACE;
  // The CR may sit at offset 105 at most: the line with its CRLF is then 107 bytes.
  const searchEnd = start + (available < PROXY_V1_MAX_LENGTH - 1 ? available : PROXY_V1_MAX_LENGTH - 1);
  let cr = -1;
  for (let i = start + 6; i < searchEnd; i++) {
    const byte = bytes[i];
    if (byte === CR) {
      cr = i;
      break;
    }
    if (byte === LF) return BARE_LF;
  }
  if (cr === -1 && available >= PROXY_V1_MAX_LENGTH - 1) return TOO_LONG;
  const complete = cr !== -1 && cr + 1 < end;
  if (complete && bytes[cr + 1] !== LF) return CR_WITHOUT_LF;
  const lineEnd = cr === -1 ? searchEnd : cr;
  const result = decodeLine(bytes, start + 6, lineEnd, complete);
  if (result !== null) return result;
  return unknownHeader(cr + 2 - start);
}

/**
 * The line after "PROXY " up to `lineEnd` (its CR when `complete`): a header or a failure, or null for
 * a complete UNKNOWN line (the caller knows its length).
 */
function decodeLine(bytes: Uint8Array, from: number, lineEnd: number, complete: boolean): ProxyDecodeResult | null {
  const known = lineEnd - from;
  const v4 = matched(bytes, from, lineEnd, TCP4);
  const v6 = matched(bytes, from, lineEnd, TCP6);
  if (v4 === 5 || v6 === 5) return decodeTcp(bytes, from + 5, lineEnd, complete, v6 === 5);
  const unknown = matched(bytes, from, lineEnd, UNKNOWN);
  if (unknown === 7) {
    // "the receiver must ignore anything presented before the CRLF is found" (2.1).
    if (known > 7 && bytes[from + 7] !== SPACE) return BAD_PROTOCOL;
    return complete ? null : INCOMPLETE;
  }
  const prefix = v4 === known || v6 === known || unknown === known;
  return prefix && !complete ? INCOMPLETE : BAD_PROTOCOL;
}

/** The 4 fields of a TCP4/TCP6 line from `from` (after "TCPx ") to `lineEnd`. */
function decodeTcp(bytes: Uint8Array, from: number, lineEnd: number, complete: boolean, ipv6: boolean): ProxyDecodeResult {
  const limits = ipv6 ? IPV6_FIELD_MAX : IPV4_FIELD_MAX;
  let field = 0;
  let fieldStart = from;
  for (let i = from; i < lineEnd; i++) {
    const byte = bytes[i]!;
    if (byte === SPACE) {
      if (i === fieldStart) return EMPTY_FIELD;
      if (field === 3) return TOO_MANY_FIELDS;
      fieldEnds[field++] = i;
      fieldStart = i + 1;
      continue;
    }
    if (!allowed(byte, field, ipv6)) return BAD_CHARACTER[field]!;
    if (i - fieldStart >= limits[field]!) return FIELD_TOO_LONG[field]!;
  }
  if (!complete) return INCOMPLETE;
  if (field !== 3 || fieldStart === lineEnd) return MISSING_FIELDS;
  fieldEnds[3] = lineEnd;
  const sourcePort = port(bytes, fieldEnds[1]! + 1, fieldEnds[2]!);
  if (sourcePort === -1) return BAD_PORT[0]!;
  const destinationPort = port(bytes, fieldEnds[2]! + 1, lineEnd);
  if (destinationPort === -1) return BAD_PORT[1]!;
  const sourceAddress = address(ascii(bytes, from, fieldEnds[0]!), ipv6);
  if (sourceAddress === null) return (ipv6 ? BAD_IPV6 : BAD_IPV4)[0]!;
  const destinationAddress = address(ascii(bytes, fieldEnds[0]! + 1, fieldEnds[1]!), ipv6);
  if (destinationAddress === null) return (ipv6 ? BAD_IPV6 : BAD_IPV4)[1]!;
  return {
    status: "header",
    length: lineEnd + 2 - (from - 11), // "PROXY TCPx " is 11 bytes, CRLF 2
    header: {
      version: 1,
      command: "PROXY",
      transport: "STREAM",
      addresses: { family: ipv6 ? "IPv6" : "IPv4", sourceAddress, sourcePort, destinationAddress, destinationPort },
      tlvs: [],
    },
  };
}

/** `PROXY UNKNOWN…\r\n` of `length` bytes: "use the real connection's parameters" (2.1). */
function unknownHeader(length: number): ProxyDecodeResult {
  return { status: "header", length, header: { version: 1, command: "PROXY", transport: "UNSPEC", addresses: null, tlvs: [] } };
}

/** Whether `byte` may appear in field `field` (0, 1: addresses; 2, 3: ports). */
function allowed(byte: number, field: number, ipv6: boolean): boolean {
  if (byte >= 0x30 && byte <= 0x39) return true;
  if (field > 1) return false;
  if (byte === DOT) return true;
  if (!ipv6) return false;
  const lower = byte | 0x20;
  return byte === COLON || (lower >= 0x61 && lower <= 0x66);
}

/** An address field as the engine writes it (IPv6 in the form Node prints), or null when not of the family. */
function address(text: string, ipv6: boolean): string | null {
  if (!ipv6) return isIPv4(text) ? text : null;
  return isIPv6(text) && writeIPv6(text, ipv6Scratch, 0) ? formatIPv6(ipv6Scratch, 0) : null;
}

/** A decimal port in bytes[from, to) (digits only, checked by the scan), or -1. */
function port(bytes: Uint8Array, from: number, to: number): number {
  if (to - from > 1 && bytes[from] === 0x30) return -1; // "Heading zeroes are not permitted" (2.1)
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + bytes[i]! - 0x30;
  return value <= 65535 ? value : -1;
}

/** How many leading bytes of bytes[from, to) match `word`. */
function matched(bytes: Uint8Array, from: number, to: number, word: Uint8Array): number {
  let i = 0;
  while (i < word.length && from + i < to && bytes[from + i] === word[i]) i++;
  return i;
}

/** bytes[from, to) as a string (US-ASCII, checked by the scan). */
function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
}

/** The character codes of an ASCII word. */
function codes(word: string): Uint8Array {
  return Uint8Array.from(word, (c) => c.charCodeAt(0));
}
