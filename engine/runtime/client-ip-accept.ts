import type net from "node:net";
import { compileAddressSet, type AddressSet } from "../access-control/address-set";
import type { ProxyReadResult } from "../io/proxy-header-reader";
import { normalizeIp } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import type { SnapshotListener } from "../protocol/snapshot.types";

/**
 * How long a peer may take to send its whole PROXY header, from accept: 5 000 ms. A proxy in front
 * writes the header in its first segment (the spec: "at least 3 seconds to cover a TCP retransmit"),
 * and a slow header holds a place under the engine's connection cap meanwhile (g3proxy's
 * proxy_protocol_read_timeout is 5 s too; nginx's 30 s default would let slow headers sit 6× longer).
 */
export const DEFAULT_PROXY_HEADER_TIMEOUT_MS = 5_000;

/**
 * A listener's PROXY protocol accept (`clientIp.proxyProtocolAccept`, HAProxy `accept-proxy`), compiled
 * once per setting: who is trusted to send a header, and how long a header may take.
 */
export class ProxyAccept {
  constructor(
    /** Trusted IPs: a peer in it must send a header; anyone else must not. */
    readonly trusted: AddressSet,
    /** Deadline of the header from accept (DEFAULT_PROXY_HEADER_TIMEOUT_MS unless told otherwise). */
    readonly timeoutMs: number,
    /**
     * TCP listeners: an untrusted peer is handed on at once and its TCP session checks its first bytes
     * (`context.proxyHeaderCheck`), instead of the accept path waiting for them: the server may be the
     * one to speak first. HTTP/HTTPS clients always speak first, so the accept path reads for them.
     */
    readonly handlerChecksUntrusted = false,
  ) {}
}

/**
 * The compiled accept of a listener: null when accept is off, or for UDP (not applicable: the console
 * refuses it), so the accept path pays one null check.
 */
export function compileProxyAccept(listener: SnapshotListener, timeoutMs = DEFAULT_PROXY_HEADER_TIMEOUT_MS): ProxyAccept | null {
  const clientIp = listener.clientIp;
  if (clientIp == null || !clientIp.proxyProtocolAccept || listener.protocol === "UDP") return null;
  return new ProxyAccept(compileAddressSet(clientIp.trustedIps), timeoutMs, listener.protocol === "TCP");
}

/**
 * Keeps a listener's compiled accept across snapshots: `update` recompiles only when accept was switched
 * or the Trusted IPs changed (a snapshot that leaves them alone builds no new Sets). New connections use
 * the current one; a connection whose header is being read keeps the one it started with.
 */
export class ProxyAcceptCache {
  private trustedIps: readonly string[] | null = null;
  /** The compiled accept now; null = off. */
  current: ProxyAccept | null = null;

  constructor(private readonly timeoutMs = DEFAULT_PROXY_HEADER_TIMEOUT_MS) {}

  /** Takes the listener's settings; returns the compiled accept (the same object when nothing changed). */
  update(listener: SnapshotListener): ProxyAccept | null {
    const clientIp = listener.clientIp;
    const next = clientIp == null || !clientIp.proxyProtocolAccept || listener.protocol === "UDP" ? null : clientIp.trustedIps;
    if (!sameList(next, this.trustedIps)) {
      this.trustedIps = next === null ? null : [...next];
      this.current = compileProxyAccept(listener, this.timeoutMs);
    }
    return this.current;
  }
}

/** A stream handler that may carry its listener's compiled PROXY accept (the access-control wrapper does). */
export interface ProxyAcceptingHandler {
  /** null or absent = PROXY protocol accept off: the accept path is the plain one. */
  readonly proxyAccept?: ProxyAccept | null;
}

/**
 * Applies what the header read found to an accepted connection; true = hand it on (as an ordinary
 * client, or with `context.clientAddress/clientPort` replaced by the header's source), false = it was
 * closed (and reported once as `proxy_protocol`, except when the peer itself went away first).
 *
 * Trusted peer: a header with addresses replaces the client (IPv4-mapped normalised as at accept); a
 * LOCAL header (the proxy's own health check) or PROXY UNKNOWN / AF_UNSPEC keeps the peer's address, as
 * the spec says; no header (the reader calls a required header's absence `invalid`), a malformed one or
 * none in time closes. Untrusted peer: a header, or the
 * start of one cut short by the deadline, closes (it would spoof its address); no header is an ordinary
 * client, and so is one that sent nothing within the deadline (a protocol where the server speaks first).
 */
export function applyProxyRead(result: ProxyReadResult, trusted: boolean, socket: net.Socket, context: ConnectionContext): boolean {
  switch (result.status) {
    case "header": {
      if (!trusted) return refuse(socket, context, `PROXY header from an untrusted peer ${context.peerAddress}`);
      const addresses = result.header.command === "PROXY" ? result.header.addresses : null;
      if (addresses !== null) {
        context.clientAddress = normalizeIp(addresses.sourceAddress);
        context.clientPort = addresses.sourcePort;
      }
      return true;
    }
    case "absent":
      return trusted ? refuse(socket, context, `no PROXY header from the trusted peer ${context.peerAddress}`) : true;
    case "invalid":
      return refuse(socket, context, `PROXY header refused from ${context.peerAddress}: ${result.reason}`);
    case "timeout":
      if (!trusted && socket.readableLength === 0) return true;
      return refuse(socket, context, `no complete PROXY header from ${context.peerAddress} within the deadline`);
    case "closed":
      socket.destroy();
      return false;
  }
}

function refuse(socket: net.Socket, context: ConnectionContext, cause: string): false {
  socket.destroy();
  context.observer.error(context, "proxy_protocol", new Error(cause));
  return false;
}

function sameList(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
