/**
 * The PROXY protocol header (HAProxy's doc/proxy-protocol.txt), versions 1 (text) and 2 (binary), as
 * the engine decodes it on accept and encodes it towards members. Plain data: the console's client-IP
 * tester decodes with the same code, so it lives in `protocol/` (layer 1).
 */

/** The addresses a header carries (v1 TCP4/TCP6, v2 AF_INET/AF_INET6 over STREAM or DGRAM). */
export interface ProxyAddresses {
  family: "IPv4" | "IPv6";
  /** The original client (plain IPv4 dotted quad, or IPv6 in the form Node prints). */
  sourceAddress: string;
  sourcePort: number;
  /** The address and port the client connected to. */
  destinationAddress: string;
  destinationPort: number;
}

/** One v2 TLV (type 0x01 ALPN, 0x02 AUTHORITY, 0x04 NOOP, 0x05 UNIQUE_ID, 0x20 SSL, …), value copied. */
export interface ProxyTlv {
  type: number;
  value: Uint8Array;
}

/** A decoded header. */
export interface ProxyHeader {
  version: 1 | 2;
  /**
   * PROXY: `addresses` describe the original connection (null when v2 carries AF_UNSPEC/AF_UNIX, or v1
   * says UNKNOWN: then the receiver keeps the connection's own addresses, as the spec says). LOCAL (v2):
   * a connection the proxy made itself (health checks): no addresses.
   */
  command: "PROXY" | "LOCAL";
  /** v2 transport (v1: STREAM for TCP4/TCP6, UNSPEC for UNKNOWN). */
  transport: "STREAM" | "DGRAM" | "UNSPEC";
  addresses: ProxyAddresses | null;
  /** v2 TLVs in order (bounded by the header length); [] for v1. */
  tlvs: ProxyTlv[];
}

/** Result of looking at the first bytes of a connection (or a datagram). */
export type ProxyDecodeResult =
  /** The bytes so far are a valid prefix of a header: read more (the caller bounds time and size). */
  | { status: "incomplete" }
  /** The bytes cannot be the start of a v1 or v2 header (an ordinary client's first bytes). */
  | { status: "absent" }
  /** A header, or what can only be one, that breaks the spec; `reason` names the rule. Close the connection. */
  | { status: "invalid"; reason: string }
  /** A complete header of `length` bytes; what follows it is the client's data. */
  | { status: "header"; header: ProxyHeader; length: number };

/** v1: the longest line the spec allows, CRLF included. */
export const PROXY_V1_MAX_LENGTH = 107;
/** v2: the 12-byte signature `\r\n\r\n\0\r\nQUIT\n`. */
export const PROXY_V2_SIGNATURE = Uint8Array.of(0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a);
/**
 * v2: the longest header the engine accepts (16-byte fixed part + addresses + TLVs). The spec allows a
 * length field up to 65535; the engine bounds what it buffers per connection and refuses longer ones.
 */
export const PROXY_V2_MAX_LENGTH = 16 + 4096;
