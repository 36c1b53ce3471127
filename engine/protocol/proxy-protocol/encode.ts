import { isIPv4, isIPv6 } from "node:net";
import { parseIPv4, writeIPv6 } from "./ip-bytes";
import { PROXY_V2_SIGNATURE, type ProxyAddresses } from "./proxy-header.types";

/**
 * PROXY protocol headers the engine sends ahead of a backend connection (HAProxy doc/proxy-protocol.txt,
 * sections 2.1 and 2.2), as HAProxy's `send-proxy` / `send-proxy-v2` build them (src/connection.c,
 * make_proxy_line_v1/v2). No TLVs are sent: the addresses are all a backend needs, and every byte of a
 * header is a byte on every connection.
 */

const UNKNOWN_LINE = Buffer.from("PROXY UNKNOWN\r\n", "latin1");
/** v2 version 2 | command LOCAL, AF_UNSPEC/UNSPEC, length 0 (what `check-send-proxy` health checks send). */
const LOCAL_HEADER = Buffer.concat([PROXY_V2_SIGNATURE, Uint8Array.of(0x20, 0x00, 0x00, 0x00)]);
const VERSION_2_PROXY = 0x21;
const TRANSPORT_BITS = { STREAM: 0x1, DGRAM: 0x2 } as const;
const IPV4_LENGTH = 16 + 12;
const IPV6_LENGTH = 16 + 36;

/** Throws on a port outside 0-65535: a header is built from a socket's own numbers, so this is a bug. */
function checkPort(port: number, name: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`PROXY header: ${name} ${port} is not a port 0-65535`);
}

/** An IPv4 address written as IPv6 the way the kernel maps it: `::ffff:a.b.c.d`. */
function asIPv6(address: string, ipv4: boolean): string {
  return ipv4 ? `::ffff:${address}` : address;
}

/**
 * A version 1 line: `PROXY TCP4 <src> <dst> <sport> <dport>\r\n` when both addresses are IPv4, else
 * `PROXY TCP6 …` with an IPv4 address written IPv4-mapped (`::ffff:a.b.c.d`; an IPv4 client reaching
 * an IPv6 listener, as HAProxy does). `null`, or an address that is neither IPv4 nor IPv6, gives
 * `PROXY UNKNOWN\r\n` (the receiver then keeps the connection's own addresses). The `family` field is
 * not trusted: each address is looked at. A new Buffer each call.
 */
export function encodeProxyV1(addresses: ProxyAddresses | null): Buffer {
  if (addresses === null) return Buffer.from(UNKNOWN_LINE);
  const { sourceAddress, destinationAddress, sourcePort, destinationPort } = addresses;
  checkPort(sourcePort, "source port");
  checkPort(destinationPort, "destination port");
  const source4 = isIPv4(sourceAddress);
  const destination4 = isIPv4(destinationAddress);
  if ((!source4 && !isIPv6(sourceAddress)) || (!destination4 && !isIPv6(destinationAddress))) return Buffer.from(UNKNOWN_LINE);
  const line =
    source4 && destination4
      ? `PROXY TCP4 ${sourceAddress} ${destinationAddress} ${sourcePort} ${destinationPort}\r\n`
      : `PROXY TCP6 ${withoutZone(asIPv6(sourceAddress, source4))} ${withoutZone(asIPv6(destinationAddress, destination4))} ${sourcePort} ${destinationPort}\r\n`;
  return Buffer.from(line, "latin1");
}

/** A link-local address's `%zone` means nothing to the receiver, and v1 has no room for it. */
function withoutZone(address: string): string {
  const zone = address.indexOf("%");
  return zone === -1 ? address : address.slice(0, zone);
}

/**
 * A version 2 header, command PROXY: AF_INET when both addresses are IPv4 (28 bytes), else AF_INET6
 * (52 bytes) with an IPv4 address IPv4-mapped (an IPv4 client reaching an IPv6 listener, as HAProxy
 * does); `transport` STREAM for TCP, DGRAM for UDP (the header then leads each datagram, section 2).
 * `null`, or an address that is neither, gives the 16-byte LOCAL command with AF_UNSPEC (what HAProxy
 * sends for health checks and for connections it cannot describe). No TLVs. A new Buffer each call.
 */
export function encodeProxyV2(addresses: ProxyAddresses | null, transport: "STREAM" | "DGRAM"): Buffer {
  if (addresses === null) return Buffer.from(LOCAL_HEADER);
  const { sourceAddress, destinationAddress, sourcePort, destinationPort } = addresses;
  checkPort(sourcePort, "source port");
  checkPort(destinationPort, "destination port");
  const source4 = parseIPv4(sourceAddress);
  const destination4 = parseIPv4(destinationAddress);
  let out: Buffer;
  if (source4 !== -1 && destination4 !== -1) {
    out = Buffer.allocUnsafe(IPV4_LENGTH);
    out[13] = 0x10 | TRANSPORT_BITS[transport];
    put32(out, 16, source4);
    put32(out, 20, destination4);
  } else {
    out = Buffer.allocUnsafe(IPV6_LENGTH);
    out[13] = 0x20 | TRANSPORT_BITS[transport];
    if (!writeAddress6(sourceAddress, source4, out, 16) || !writeAddress6(destinationAddress, destination4, out, 32)) {
      return Buffer.from(LOCAL_HEADER);
    }
  }
  // Byte by byte: once per backend connection, and cheaper than Buffer's checked writers or set().
  for (let i = 0; i < 12; i++) out[i] = PROXY_V2_SIGNATURE[i]!;
  out[12] = VERSION_2_PROXY;
  put16(out, 14, out.length - 16);
  put16(out, out.length - 4, sourcePort);
  put16(out, out.length - 2, destinationPort);
  return out;
}

/** A 16-bit value in network order at out[at]. */
function put16(out: Buffer, at: number, value: number): void {
  out[at] = value >>> 8;
  out[at + 1] = value & 0xff;
}

/** A 32-bit value in network order at out[at]. */
function put32(out: Buffer, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/** Writes an address as 16 IPv6 bytes at out[offset]: `ipv4` (its parsed value, or -1) IPv4-mapped, else parsed. */
function writeAddress6(address: string, ipv4: number, out: Buffer, offset: number): boolean {
  if (ipv4 === -1) return writeIPv6(address, out, offset);
  for (let i = 0; i < 10; i++) out[offset + i] = 0;
  out[offset + 10] = 0xff;
  out[offset + 11] = 0xff;
  put32(out, offset + 12, ipv4);
  return true;
}
