import dgram from "node:dgram";
import net from "node:net";
import { AccessListCache, type AccessList } from "../access-control/access-list";
import { bindUdpReusePort } from "../io/reuse-port";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ListenerBinding } from "../observe/observer.types";

import { sameServer } from "../pools/member-runtime";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { ListenerRoute } from "./listener.types";
import { evictIdle } from "./udp-eviction";
import { UdpSession, type UdpSessionOwner } from "./udp-session";

/**
 * Options of a UDP listener; defaults suit production. Each session costs a descriptor and an
 * ephemeral port, so sessions are bounded per listener and per client address. At a bound, the least
 * recently active session silent for `evictIdleMs` makes room (udp-eviction.ts); when every candidate
 * is live the new client's datagram is dropped (nginx keeps live flows and refuses new ones).
 */
export interface UdpListenerOptions {
  /** Most concurrent client sessions per listener. Default 10 000. */
  maxSessions?: number;
  /** Most concurrent sessions of one client IP address on one bind address (a flood of source ports cannot fill the listener). Default 1 000. */
  maxSessionsPerAddress?: number;
  /** At a bound, only a session silent at least this long is evicted for a new one. Default 5 000 ms. */
  evictIdleMs?: number;
}

/** Defaults of UdpListenerOptions: 10 000 sessions per listener, 1 000 per client address, evict after 5 000 ms of silence. */
export const DEFAULT_UDP_OPTIONS: Readonly<Required<UdpListenerOptions>> = { maxSessions: 10_000, maxSessionsPerAddress: 1_000, evictIdleMs: 5_000 };

/** A listening UDP socket of a listener: what a new engine build inherits on upgrade. */
export interface BoundDatagramSocket {
  address: string;
  port: number;
  fd: number;
}

/**
 * A UDP listener: one dgram socket per bind address (in the address's SO_REUSEPORT group, so the kernel
 * keeps each client on one socket of the group: one worker), client sessions to members, idle timeout.
 */
export interface UdpListener {
  /**
   * Binds one more address (rejects on bind errors, e.g. EADDRINUSE / EADDRNOTAVAIL). `binding`: the
   * listener id, the address's bucket when it is limited (an EIP: replies beyond it are dropped,
   * policing) and the observer, copied into each new session's context. Called again for an address
   * already bound, it only swaps the binding (new sessions see it). `inheritedFds`: sockets already bound
   * to address:port (from the engine this one replaces): the first is used instead of opening one, each
   * further one is read too (a datagram the kernel queued on any of them is served).
   */
  bind(address: string, port: number, binding?: ListenerBinding, inheritedFds?: readonly number[]): Promise<void>;
  /** Stops receiving on one address and closes its sessions. */
  unbind(address: string): Promise<void>;
  /** Addresses currently bound. */
  readonly addresses: readonly string[];
  /** Every socket bound now (with its descriptor). */
  sockets(): BoundDatagramSocket[];
  /**
   * Swaps the route. Established sessions keep their member while it is still a member of the new
   * route's pool (same pool id; member with the same id, address and port; same Transfer Client IP
   * Address); the others are closed at once (member removed or moved, pool switched or gone, transfer
   * switched), so a removed backend server gets nothing more and the client's next datagram picks a
   * member afresh.
   */
  update(route: ListenerRoute): void;
  /** The local port bound on an address (useful when bound to port 0). */
  portOf(address: string): number | undefined;
  /** Live sessions. */
  readonly sessionCount: number;
  /** Unbinds everything and closes every session. */
  close(): Promise<void>;
}

/** Creates a UDP listener (not yet bound). */
export function createUdpListener(route: ListenerRoute, options: UdpListenerOptions = {}): UdpListener {
  const d = DEFAULT_UDP_OPTIONS;
  return new DatagramListener(route, options.maxSessions ?? d.maxSessions, options.maxSessionsPerAddress ?? d.maxSessionsPerAddress, options.evictIdleMs ?? d.evictIdleMs);
}

/** One bound socket with its sessions, keyed client address → client port (no string building per datagram). */
class Frontend implements UdpSessionOwner {
  readonly sessions = new Map<string, Map<number, UdpSession>>();

  constructor(
    readonly socket: dgram.Socket,
    /** The descriptor `socket` owns. */
    readonly fd: number,
    private readonly listener: DatagramListener,
    /** What new sessions on this address get in their context (swapped by a re-bind). */
    public binding: ListenerBinding,
    readonly address: string,
  ) {}

  sessionClosed(session: UdpSession): void {
    const byPort = this.sessions.get(session.clientAddress);
    if (byPort?.get(session.clientPort) === session) {
      byPort.delete(session.clientPort);
      if (byPort.size === 0) this.sessions.delete(session.clientAddress);
    }
    this.listener.forget(session);
  }
}

class DatagramListener implements UdpListener {
  private readonly frontends = new Map<string, Frontend>();
  /** Further inherited sockets of an address (read like the first: each keeps its own sessions). */
  private readonly extras = new Map<string, Frontend[]>();
  /** Every live session in queue order (creation, or the last second chance: udp-eviction.ts); eviction looks at the first ones. */
  private readonly all = new Set<UdpSession>();
  private route!: ListenerRoute;
  /** Access control: a datagram from an address it refuses creates no session (null = off). */
  private access: AccessList | null = null;
  private readonly accessLists = new AccessListCache();
  private idleMs = 300_000;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    route: ListenerRoute,
    private readonly maxSessions: number,
    private readonly maxPerAddress: number,
    private readonly evictIdleMs: number,
  ) {
    this.update(route);
  }

  get addresses(): readonly string[] {
    return [...this.frontends.keys()];
  }

  sockets(): BoundDatagramSocket[] {
    const port = (frontend: Frontend) => frontend.socket.address().port;
    const all = [...this.frontends.values(), ...[...this.extras.values()].flat()];
    return all.map((frontend) => ({ address: frontend.address, port: port(frontend), fd: frontend.fd }));
  }

  portOf(address: string): number | undefined {
    return this.frontends.get(address)?.socket.address().port;
  }

  get sessionCount(): number {
    return this.all.size;
  }

  update(route: ListenerRoute): void {
    const previous = this.route as ListenerRoute | undefined; // undefined while constructing
    this.route = route;
    this.access = this.accessLists.update(route.listener.accessControl); // new flows only: open sessions keep going
    if (previous !== undefined && previous.pool !== route.pool) this.carrySessions(route.pool);
    const idleSeconds = route.listener.idleTimeoutSeconds > 0 ? route.listener.idleTimeoutSeconds : 300;
    this.idleMs = idleSeconds * 1000;
    clearInterval(this.sweeper);
    this.sweeper = setInterval(this.sweep, Math.min(5000, Math.max(250, this.idleMs / 4)));
    this.sweeper.unref();
  }

  async bind(address: string, port: number, binding: ListenerBinding = UNBOUND, inheritedFds: readonly number[] = []): Promise<void> {
    const bound = this.frontends.get(address);
    if (bound !== undefined) {
      bound.binding = binding;
      for (const extra of this.extras.get(address) ?? []) extra.binding = binding;
      return;
    }
    const [first, ...rest] = inheritedFds;
    const frontend = await this.open(address, port, binding, first).catch((err: Error) => {
      if (first === undefined) throw err;
      console.error(`[engine] UDP ${address}:${port}: inherited socket not usable (${err.message}); opening a new one`);
      return this.open(address, port, binding, undefined);
    });
    this.frontends.set(address, frontend);
    const extras: Frontend[] = [];
    for (const fd of rest) {
      try {
        extras.push(await this.open(address, port, binding, fd));
      } catch (err) {
        console.error(`[engine] UDP ${address}:${port}: inherited socket ${fd} not usable (${(err as Error).message})`);
      }
    }
    if (extras.length > 0) this.extras.set(address, extras);
  }

  /** Binds one socket of an address (a new one, or the inherited `fd`) and starts reading it. */
  private async open(address: string, port: number, binding: ListenerBinding, fd: number | undefined): Promise<Frontend> {
    const socket = dgram.createSocket({ type: net.isIPv6(address) ? "udp6" : "udp4" });
    const owned = await bindUdpReusePort(socket, address, port, fd).catch((err: unknown) => {
      try {
        socket.close();
      } catch {
        // already closed (an inherited socket bound elsewhere)
      }
      throw err;
    });
    const frontend = new Frontend(socket, owned, this, binding, address);
    socket.on("error", () => {}); // send errors to vanished clients are not the listener's problem
    socket.on("message", (datagram, rinfo) => this.receive(frontend, datagram, rinfo.address, rinfo.port));
    return frontend;
  }

  async unbind(address: string): Promise<void> {
    const frontend = this.frontends.get(address);
    if (frontend === undefined) return;
    const all = [frontend, ...(this.extras.get(address) ?? [])];
    this.frontends.delete(address);
    this.extras.delete(address);
    await Promise.all(
      all.map((one) => {
        for (const byPort of one.sessions.values()) for (const session of byPort.values()) session.close();
        return new Promise<void>((resolve) => one.socket.close(() => resolve()));
      }),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all(this.addresses.map((address) => this.unbind(address)));
  }

  /** Called by a closing session's frontend. */
  forget(session: UdpSession): void {
    this.all.delete(session);
  }

  /**
   * Moves every session to `pool` when its server is still a member there and the group's Transfer Client
   * IP Address is unchanged; closes it otherwise. A UDP session is the engine's own bookkeeping: the
   * client's next datagram opens a new one with the new setting (header or not, engine or client
   * source address) from the same listener socket, so the switch reaches live flows at once and the
   * client sees no break (only replies still on the way to the old upstream socket are lost).
   */
  private carrySessions(pool: PoolRuntime | null): void {
    for (const session of this.all) {
      const old = session.member.config;
      const same = pool !== null && pool.config.id === session.pool.config.id && pool.transferClientIp === session.transport;
      const next = same ? pool.byId(old.id) : undefined;
      if (next !== undefined && sameServer(next.config, old)) session.moveTo(pool!, next);
      else session.close(); // deleting the current entry of a Set while iterating it is safe
    }
  }

  private receive(frontend: Frontend, datagram: Buffer, address: string, port: number): void {
    let byPort = frontend.sessions.get(address);
    let session = byPort?.get(port);
    if (session !== undefined && !session.pool.isAvailable(session.member)) {
      session.close(); // its member went unhealthy: re-pick
      session = undefined;
    }
    if (session === undefined) {
      const access = this.access;
      if (access !== null && !access.admits(address)) return; // access control: dropped before any session
      const pool = this.route.pool;
      const member = pool?.pick(address) ?? null;
      if (pool === null || member === null) return; // no group / no healthy member: drop
      if (!this.makeRoom(byPort)) return; // full of live flows: the new client is refused
      session = new UdpSession(frontend, createConnectionContext(frontend.binding, address, port), address, port, pool, member);
      this.all.add(session);
      byPort = frontend.sessions.get(address); // re-read: a close above may have dropped the map
      if (byPort === undefined) frontend.sessions.set(address, (byPort = new Map()));
      byPort.set(port, session);
    }
    session.forward(datagram);
  }

  /** Room for one more session (of the client whose sessions are `byPort`): evicts an idle one at a bound; false = refuse. */
  private makeRoom(byPort: Map<number, UdpSession> | undefined): boolean {
    const now = Date.now();
    if (byPort !== undefined && byPort.size >= this.maxPerAddress) {
      const requeue = (s: UdpSession) => {
        byPort.delete(s.clientPort);
        byPort.set(s.clientPort, s);
      };
      if (!evictIdle(byPort.values(), requeue, now, this.evictIdleMs)) return false;
    }
    return this.all.size < this.maxSessions || evictIdle(this.all, this.requeue, now, this.evictIdleMs);
  }

  /** Second chance: a live session goes to the back of the eviction queue. */
  private readonly requeue = (session: UdpSession): void => {
    this.all.delete(session);
    this.all.add(session);
  };

  private readonly sweep = (): void => {
    const deadline = Date.now() - this.idleMs;
    for (const session of this.all) if (session.lastActive <= deadline) session.close();
  };
}
