import net from "node:net";
import { encodeProxyV1, encodeProxyV2 } from "../protocol/proxy-protocol/encode";
import type { ProxyAddresses } from "../protocol/proxy-protocol/proxy-header.types";
import type { ClientIpTransport } from "../protocol/snapshot.types";

/**
 * What a backend server group's Transfer Client IP Address (`SnapshotPool.transferClientIp`) puts on the
 * wire towards its members, as PROXY protocol headers (HAProxy doc/proxy-protocol.txt). Encoded once
 * per TCP connection or UDP session (and once per process for health probes), never per chunk.
 */

/** STREAM: a TCP backend connection; DGRAM: a UDP session (v2 only: the spec's v1 names TCP4/TCP6 alone). */
export type ProxyTransport = "STREAM" | "DGRAM";

/** An IPv4-mapped IPv6 address ("::ffff:a.b.c.d") as plain IPv4; anything else unchanged. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/**
 * The addresses of a header: the client as source, the listener address it reached as destination,
 * IPv4-mapped addresses written as plain IPv4. The encoder picks the family from the addresses
 * themselves (both IPv4 → IPv4, else IPv6 with an IPv4 one mapped; not an IP at all → UNKNOWN/LOCAL).
 */
export function proxyAddresses(clientAddress: string, clientPort: number, destinationAddress: string, destinationPort: number): ProxyAddresses {
  const sourceAddress = plain(clientAddress);
  const destination = plain(destinationAddress);
  const family = net.isIPv4(sourceAddress) && net.isIPv4(destination) ? "IPv4" : "IPv6";
  return { family, sourceAddress, sourcePort: clientPort, destinationAddress: destination, destinationPort };
}

/**
 * The header a connection (STREAM) or session (DGRAM) of a group with `transport` starts with; null
 * when it sends none: off, TRANSPARENT (the address travels as the source address instead), or
 * PROXY_V1 on UDP (v1 has no datagram form; the console refuses that combination, the engine treats it
 * as off). Addresses that are not IPs → v1 `PROXY UNKNOWN` / v2 LOCAL (the receiver keeps the connection's own).
 */
export function proxyHeaderFor(
  transport: ClientIpTransport | null,
  kind: ProxyTransport,
  clientAddress: string,
  clientPort: number,
  destinationAddress: string,
  destinationPort: number,
): Buffer | null {
  if (transport === "PROXY_V2") return encodeProxyV2(proxyAddresses(clientAddress, clientPort, destinationAddress, destinationPort), kind);
  if (transport === "PROXY_V1" && kind === "STREAM") return encodeProxyV1(proxyAddresses(clientAddress, clientPort, destinationAddress, destinationPort));
  return null;
}

/** Probe headers, encoded on first use: they never change. */
let probeHeaders: { v1: Buffer; v2Stream: Buffer; v2Dgram: Buffer } | null = null;

/**
 * The header a health probe of a group with `transport` sends first (HAProxy `check-send-proxy`): the
 * probe is a connection the engine makes on its own behalf, so v2 says LOCAL (AF_UNSPEC: the receiver
 * keeps the connection's own addresses) and v1 says `PROXY UNKNOWN\r\n`, as HAProxy sends for checks.
 * (The spec would rather see v1 checks carry the probe socket's own address pair; UNKNOWN is what
 * HAProxy does and what nginx and HAProxy accept.) null for off and TRANSPARENT (probes then come from
 * the engine's own address, like any connection of a group without the transfer) and v1 on UDP.
 */
export function probeProxyHeader(transport: ClientIpTransport | null, kind: ProxyTransport): Buffer | null {
  if (transport !== "PROXY_V1" && transport !== "PROXY_V2") return null;
  if (transport === "PROXY_V1" && kind === "DGRAM") return null;
  probeHeaders ??= { v1: encodeProxyV1(null), v2Stream: encodeProxyV2(null, "STREAM"), v2Dgram: encodeProxyV2(null, "DGRAM") };
  if (transport === "PROXY_V1") return probeHeaders.v1;
  return kind === "STREAM" ? probeHeaders.v2Stream : probeHeaders.v2Dgram;
}
