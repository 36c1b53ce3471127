import dgram from "node:dgram";
import net from "node:net";
import os from "node:os";
import { closeFd, openTransparentSocket } from "elb-native-socket";

/**
 * Transparent mode (Transfer Client IP Address, "preserve client IP"): the engine's connection to a
 * backend leaves from the client's own address, so the backend's accepted socket shows the client as its
 * peer. The kernel picks the source port.
 *
 * - A client address that is local to this host (127.0.0.0/8, ::1, an address of one of its interfaces)
 *   is bound as it is (`net.connect({ localAddress })`, dgram `bind(address, 0)`): no privilege needed.
 * - Any other address is bound by the addon (engine/native/socket) with IP_TRANSPARENT / IPV6_TRANSPARENT
 *   set before bind, which Node cannot do; the bound descriptor is handed to `net.Socket({ fd })` and
 *   connected, or to dgram `bind({ fd })`. That needs root or CAP_NET_ADMIN: without it the socket emits
 *   an error with `code` EPERM whose message says so.
 *
 * What the operator must set up for clients that are not on this host (the engine cannot do it):
 * - the backends route the clients' addresses back through the engine host (e.g. their default gateway
 *   is the engine host), else their replies go straight to the client and never reach the engine;
 * - on the engine host, policy routing that delivers those replies (addressed to a client, not to this
 *   host) to the local transparent socket instead of forwarding them:
 *     ip rule add iif <interface towards the backends> lookup 100
 *     ip route add local 0.0.0.0/0 dev lo table 100      (IPv6: ip -6 rule / ip -6 route add local ::/0)
 *   (or `iptables -t mangle -A PREROUTING -m socket -j MARK --set-mark 1` + `ip rule add fwmark 1
 *   lookup 100` where iptables exists), and rp_filter off (`net.ipv4.conf.<if>.rp_filter=0`) where the
 *   replies enter.
 * - A backend server cannot also be a client of the same listener (seed 000): its connection through
 *   the listener would reach it from its own address, and it answers itself instead of the engine.
 * The client's and the backend's address families must match (an IPv4-mapped IPv6 client is IPv4).
 */

/** How long the list of this host's interface addresses is trusted before it is read again. */
const LOCAL_ADDRESSES_TTL_MS = 30_000;

let localAddresses: ReadonlySet<string> = new Set();
let localAddressesReadAt = -Infinity;

/** The IPv4 form of an IPv4-mapped IPv6 address (`::ffff:10.0.0.1` → `10.0.0.1`), else the address as given. */
export function unmapIpv4(address: string): string {
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/**
 * True when `address` (literal, already unmapped) belongs to this host: 127.0.0.0/8, ::1, or an address
 * of one of its interfaces (read at most every 30 s), so a plain bind of it works without privilege.
 */
export function isLocalAddress(address: string): boolean {
  if (address.startsWith("127.") || address === "::1") return true;
  const now = Date.now();
  if (now - localAddressesReadAt > LOCAL_ADDRESSES_TTL_MS) {
    const found = new Set<string>();
    for (const list of Object.values(os.networkInterfaces())) for (const entry of list ?? []) found.add(entry.address.toLowerCase());
    localAddresses = found;
    localAddressesReadAt = now;
  }
  return localAddresses.has(address.toLowerCase());
}

/** Marks the errors this module raises for a source address it could not use. */
const REFUSAL = Symbol("transparentRefusal");

/**
 * True when `err` says that the client's address could not be the source of a backend connection
 * (another family, no privilege, a bind refused): the engine's own problem, not the member's, so it
 * must not count towards the member's passive ejection.
 */
export function isTransparentRefusal(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  return (err as { [REFUSAL]?: true })[REFUSAL] === true || (err as NodeJS.ErrnoException).syscall === "bind";
}

/** An error of `syscall` naming the client address; EPERM/EACCES say what transparent mode needs. */
function transparentError(cause: NodeJS.ErrnoException, sourceAddress: string): NodeJS.ErrnoException {
  const code = cause.code ?? "EIO";
  const needs =
    code === "EPERM" || code === "EACCES"
      ? "; transparent mode (IP_TRANSPARENT) needs root or CAP_NET_ADMIN (or CAP_NET_RAW), and policy routing that delivers the backends' replies to this host " +
        "(ip rule add iif <backend interface> lookup 100; ip route add local 0.0.0.0/0 dev lo table 100)"
      : "";
  return Object.assign(new Error(`transparent mode cannot use the client address ${sourceAddress} as source: ${cause.message}${needs}`), {
    code,
    syscall: cause.syscall,
    address: sourceAddress,
    [REFUSAL]: true,
  });
}

function mismatch(sourceAddress: string, host: string): NodeJS.ErrnoException {
  const what = net.isIP(sourceAddress) === 0 ? `${sourceAddress} is not an IP address` : `IPv${net.isIP(sourceAddress)} client ${sourceAddress} cannot be the source of a connection to ${host}`;
  return Object.assign(new Error(`transparent mode: ${what}`), {
    code: net.isIP(sourceAddress) === 0 ? "EINVAL" : "EAFNOSUPPORT",
    address: sourceAddress,
    [REFUSAL]: true,
  });
}

/** Options of `connectTransparent`: where to connect, from which client address, and net.connect's socket options. */
export interface TransparentConnectOptions {
  /** The client's address (IPv4-mapped IPv6 taken as IPv4); the source port is the kernel's choice. */
  sourceAddress: string;
  /** The backend's literal IP address; same family as the client's. */
  host: string;
  port: number;
  /** As net.connect; default false. */
  allowHalfOpen?: boolean;
  /** As net.connect; default false. */
  noDelay?: boolean;
  /** As net.connect's `onread` (reads into one shared buffer). */
  onread?: net.OnReadOpts;
}

/**
 * A TCP socket connecting to host:port from `sourceAddress`; emits 'connect' and 'error' like
 * net.connect (a bind refused for lack of privilege: `code` EPERM, message naming what is needed).
 */
export function connectTransparent(options: TransparentConnectOptions): net.Socket {
  const { host, port, allowHalfOpen = false, noDelay = false, onread } = options;
  const source = unmapIpv4(options.sourceAddress);
  const family = net.isIP(source);
  if (family === 0 || family !== net.isIP(host)) return failedSocket(mismatch(source, host), allowHalfOpen);
  if (isLocalAddress(source)) return net.connect({ host, port, localAddress: source, allowHalfOpen, noDelay, onread });
  let fd: number;
  try {
    fd = openTransparentSocket(family as 4 | 6, "tcp", source);
  } catch (err) {
    return failedSocket(transparentError(err as NodeJS.ErrnoException, source), allowHalfOpen);
  }
  let socket: net.Socket;
  try {
    // manualStart: no read on a socket that is not connected yet (Node reads from the connect callback).
    socket = new net.Socket({ fd, allowHalfOpen, noDelay, onread, manualStart: true } as net.SocketConstructorOpts);
  } catch (err) {
    closeFd(fd);
    return failedSocket(err as Error, allowHalfOpen);
  }
  // Connected at once: a net.Socket over a bound descriptor that is destroyed before connect would get a
  // fresh, unbound handle from connect() and leave from the engine's address.
  return socket.connect(port, host);
}

/** A socket that emits `err` and closes, as net.connect does when its bind fails. */
function failedSocket(err: Error, allowHalfOpen: boolean): net.Socket {
  const socket = new net.Socket({ allowHalfOpen });
  socket.destroy(err);
  return socket;
}

/**
 * A UDP socket bound to sourceAddress:0 (IP_TRANSPARENT when not local; "udp6" for an IPv6 client) for
 * the caller to connect to its member. When the address cannot be bound, the socket emits 'error'
 * (EPERM: what transparent mode needs) on the next tick and closes, so nothing it was asked to send
 * leaves from another address.
 */
export function openTransparentUdpSocket(sourceAddress: string): dgram.Socket {
  const source = unmapIpv4(sourceAddress);
  const family = net.isIP(source);
  const socket = dgram.createSocket(family === 6 ? "udp6" : "udp4");
  if (family === 0) return failUdp(socket, mismatch(source, ""));
  if (isLocalAddress(source)) return socket.bind(0, source);
  let fd: number;
  try {
    fd = openTransparentSocket(family as 4 | 6, "udp", source);
  } catch (err) {
    return failUdp(socket, transparentError(err as NodeJS.ErrnoException, source));
  }
  return socket.bind({ fd });
}

function failUdp(socket: dgram.Socket, err: Error): dgram.Socket {
  process.nextTick(() => {
    socket.emit("error", err);
    try {
      // The error already drops a connect()/send() queued meanwhile (dgram clears its queue on "error");
      // closing keeps later sends from leaving through an implicit bind to the engine's address.
      socket.close();
    } catch {
      // closed by the error listener already
    }
  });
  return socket;
}
