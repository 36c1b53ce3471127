import type net from "node:net";
import * as native from "elb-native-socket";

/**
 * The client connection's TCP round-trip time for the access log (table 7-1 tcpinfo_rtt): Linux
 * TCP_INFO tcpi_rtt in µs, read by the native addon (engine/native/socket `tcpInfoRtt`) once per
 * logged request. An addon built before the getter existed has none: every read is then -1 ("-").
 */
const read: ((fd: number) => number) | null = typeof native.tcpInfoRtt === "function" ? native.tcpInfoRtt : null;

/** tcpi_rtt (µs) of the connection on descriptor `fd`; -1 when unknown. */
export function tcpRttMicros(fd: number): number {
  return read === null || fd < 0 ? -1 : read(fd);
}

type WithHandle = { _handle?: { fd?: number } | null; _parent?: WithHandle | null; socket?: WithHandle | null };

/**
 * The kernel descriptor under a client socket: a plain TCP socket's own, or — for a TLS socket made
 * over an accepted one — its parent's; -1 when there is none (a socket handed over without a handle).
 */
export function socketFd(socket: net.Socket): number {
  let s = socket as unknown as WithHandle | null | undefined;
  for (let i = 0; i < 3 && s != null; i++) {
    const fd = s._handle?.fd;
    if (typeof fd === "number" && fd >= 0) return fd;
    s = s._parent ?? null;
  }
  return -1;
}
