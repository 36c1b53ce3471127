import dgram from "node:dgram";
import net from "node:net";
import type { ConnectionContext, ListenerBinding } from "../observe/observer.types";


import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";

/** Datagrams queued per session while its upstream socket connects; more are dropped. */
const MAX_PENDING = 64;

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
    this.upstream = dgram.createSocket(net.isIPv6(address) ? "udp6" : "udp4");
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
    if (pending === null) this.upstream.send(datagram);
    else if (pending.length < MAX_PENDING) pending.push(datagram);
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

  /** ICMP unreachable or a failed send ends the session; running out of descriptors is also reported and logged. */
  private readonly onUpstreamError = (err: Error): void => {
    if (isDescriptorExhaustion(err)) {
      const { address, port } = this.member.config;
      reportDescriptorExhaustion(this.context, err as NodeJS.ErrnoException, "udp session", `${address}:${port}`);
    }
    this.close();
  };

  private readonly onConnect = (): void => {
    const pending = this.pending;
    if (this.closed || pending === null) return;
    this.pending = null;
    for (const datagram of pending) this.upstream.send(datagram);
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
