import dgram from "node:dgram";
import net from "node:net";
import { openTransparentUdpSocket } from "../io/transparent-socket";
import type { ConnectionContext, ListenerBinding } from "../observe/observer.types";
import { normalizeIp } from "../observe/connection-context";
import { proxyHeaderFor } from "../pools/client-ip-transport";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { ClientIpTransport } from "../protocol/snapshot.types";
import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";

/** Datagrams queued per session while its upstream socket connects; more are dropped. */
const MAX_PENDING = 64;

/** The largest UDP payload over IPv4 (65535 − 20 IP − 8 UDP); IPv6 allows 20 more, the engine keeps one bound for both. */
const MAX_UDP_PAYLOAD = 65_507;
/** The cause reported for a datagram dropped because the PROXY v2 header would push it past MAX_UDP_PAYLOAD. */
export const OVERSIZE_WITH_HEADER = new Error("a client datagram with the PROXY v2 header in front exceeds the UDP maximum (65507 bytes): dropped");

/** Where a session's replies go: the listener socket the client wrote to, and what to do on close. */
export interface UdpSessionOwner {
  /** The listener's socket for this bind address: replies leave from it, so their source is the listener address. */
  readonly socket: dgram.Socket;
  /** Listener, bandwidth bucket of the address (replies beyond it are dropped) and observer, as of the last snapshot. */
  readonly binding: ListenerBinding;
  /** Called once when the session closes (idle, upstream error, eviction, listener close). */
  sessionClosed(session: UdpSession): void;
}

/**
 * One UDP "connection": a client ip:port mapped to one member through its own connected dgram socket.
 * Client datagrams go out on it; datagrams from the member come back and are sent to the client from
 * the listener socket. A connected socket also filters out datagrams from anyone but the member and
 * surfaces ICMP port unreachable as an error, which ends the session.
 *
 * Transfer Client IP Address (`PoolRuntime.transferClientIp`, fixed for the session's life; the listener
 * closes sessions whose group changes it, see udp.ts):
 * - PROXY_V2: a v2 header with the DGRAM transport (client address:port → listener address:port),
 *   encoded once per session, in front of every datagram. The spec (doc/proxy-protocol.txt, "For UDP,
 *   the PROXY protocol header and the proxied UDP payload MUST be sent in the same datagram … the
 *   receiver MUST parse the header independently for each received datagram") puts it in each
 *   datagram; it is sent as a gather list `[header, payload]`, so the payload is not copied. Replies
 *   come back bare and are relayed as they are.
 * - PROXY_V1: off (v1 only knows TCP4/TCP6; the console refuses it for UDP listeners).
 * - TRANSPARENT: the upstream socket is bound to the client's address (`openTransparentUdpSocket`), so
 *   the member sees the client as the datagram's source and replies to it — through this socket.
 */
export class UdpSession {
  /** Date.now() of the last datagram either way; the listener's sweep closes idle sessions. */
  lastActive = Date.now();
  private readonly upstream: dgram.Socket;
  private pending: Buffer[] | null = [];
  private closed = false;
  /** The pool runtime of the snapshot the session belongs to now (moved forward by `moveTo`). */
  pool: PoolRuntime;
  /** The member in `pool` the session sends to; always the same server (id, address, port). */
  member: MemberRuntime;
  /** The group's transfer setting when the session opened (the listener compares it on snapshot changes). */
  readonly transport: ClientIpTransport | null;
  /** PROXY_V2: the DGRAM header in front of every datagram; null = datagrams go bare. */
  private readonly proxyHeader: Buffer | null;

  constructor(
    private readonly owner: UdpSessionOwner,
    /** Listener, client (normalised address), the address's bandwidth bucket and the observer. */
    private readonly context: ConnectionContext,
    /**
     * The client's address and port exactly as the socket reported them: replies go there and the
     * frontend keys the session by them (on a dual-stack "::" socket an IPv4 client is "::ffff:a.b.c.d").
     */
    readonly clientAddress: string,
    readonly clientPort: number,
    pool: PoolRuntime,
    member: MemberRuntime,
  ) {

    this.pool = pool;
    this.member = member;
    context.observer.connectionOpened(context);
    pool.acquire(member);
    const { address, port } = member.config;
    const transport = (this.transport = pool.transferClientIp);
    this.proxyHeader = transport === "PROXY_V2" ? this.encodeHeader(transport) : null;
    // TRANSPARENT: bound to the client's address; a refusal (EPERM without CAP_NET_ADMIN, another family)
    // is the socket's error on the next tick: `connect_failed` with its cause, and the session ends.
    this.upstream = transport === "TRANSPARENT" ? openTransparentUdpSocket(context.clientAddress) : dgram.createSocket(net.isIPv6(address) ? "udp6" : "udp4");
    this.upstream.on("message", this.onReply);
    this.upstream.on("error", this.onUpstreamError);
    this.upstream.connect(port, address, this.onConnect);
  }

  /** Sends a client datagram to the member (queued while connecting). */
  forward(datagram: Buffer): void {
    this.lastActive = Date.now();
    const context = this.context;
    context.bytesIn += datagram.length;
    context.observer.bytesIn(context, datagram.length);
    const pending = this.pending;
    if (pending === null) this.send(datagram);
    else if (pending.length < MAX_PENDING) pending.push(datagram);
  }

  /**
   * One datagram to the member, behind the session's PROXY header when it has one. A client datagram that
   * fits UDP but not with the header in front is dropped and reported (`internal`, OVERSIZE_WITH_HEADER):
   * sending it would fail with EMSGSIZE on the socket and end the whole session.
   */
  private send(datagram: Buffer): void {
    const header = this.proxyHeader;
    if (header === null) return void this.upstream.send(datagram);
    if (header.length + datagram.length > MAX_UDP_PAYLOAD) return this.context.observer.error(this.context, "internal", OVERSIZE_WITH_HEADER);
    this.upstream.send([header, datagram]);
  }

  /** The session's v2 DGRAM header: the client as source, the listener address it wrote to as destination. */
  private encodeHeader(transport: ClientIpTransport): Buffer | null {
    const context = this.context;
    if (context.localAddress !== "") {
      return proxyHeaderFor(transport, "DGRAM", context.clientAddress, context.clientPort, context.localAddress, context.localPort);
    }
    const local = this.owner.socket.address(); // a listener driven without a binding (unit tests)
    return proxyHeaderFor(transport, "DGRAM", context.clientAddress, context.clientPort, normalizeIp(local.address), local.port);
  }

  /**
   * Carries the session into a new snapshot's runtime of the same pool, where its server is still a
   * member (the caller checks id, address and port): the count moves to the new member object (a no-op
   * when both share their state), and availability checks see the new weight.
   */
  moveTo(pool: PoolRuntime, member: MemberRuntime): void {
    if (this.closed) return;
    if (member !== this.member) {
      this.pool.release(this.member);
      pool.acquire(member);
    }
    this.pool = pool;
    this.member = member;
  }

  /** Closes the upstream socket and releases the member; idempotent. */
  readonly close = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    this.pool.release(this.member);
    try {
      this.upstream.close();
    } catch {
      // already closed by an error
    }
    this.owner.sessionClosed(this);
    this.context.observer.connectionClosed(this.context);
  };

  /**
   * ICMP unreachable or a failed send ends the session; running out of descriptors is also reported and
   * logged; an upstream socket that never got connected (a transparent bind refused) is `connect_failed`.
   */
  private readonly onUpstreamError = (err: Error): void => {
    if (isDescriptorExhaustion(err)) {
      const { address, port } = this.member.config;
      reportDescriptorExhaustion(this.context, err as NodeJS.ErrnoException, "udp session", `${address}:${port}`);
    } else if (this.pending !== null) {
      this.context.observer.error(this.context, "connect_failed", err);
    }
    this.close();
  };

  /** Node hands a failed connect (e.g. a transparent socket of the other family) to this callback, not to 'error'. */
  private readonly onConnect = (err?: Error): void => {
    if (err !== undefined && err !== null) return this.onUpstreamError(err);
    const pending = this.pending;
    if (this.closed || pending === null) return;
    this.pending = null;
    for (const datagram of pending) this.send(datagram);
  };

  private readonly onReply = (datagram: Buffer): void => {
    this.lastActive = Date.now();
    const context = this.context;
    const bandwidth = this.owner.binding.bandwidth; // the frontend's, swapped per snapshot (a new limit applies to live sessions)
    if (bandwidth !== null && !bandwidth.tryTake(datagram.length)) return; // over the EIP's bandwidth: dropped
    context.bytesOut += datagram.length;
    context.observer.bytesOut(context, datagram.length);
    this.owner.socket.send(datagram, this.clientPort, this.clientAddress);
  };
}
