import { AddressLimits } from "../limits/address-limits";
import { createHttpHandler } from "../listeners/http";
import { createHttpsHandler } from "../listeners/https";
import type { ConnectionHandler, ListenerRoute } from "../listeners/listener.types";
import { createTcpHandler } from "../listeners/tcp";
import { createUdpListener, type UdpListener } from "../listeners/udp";
import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";
import { createConnectionContext } from "../observe/connection-context";
import type { ListenerError } from "../protocol/ipc.types";
import type { SnapshotListener } from "../protocol/snapshot.types";
import type { AccessLogSinks } from "../observe/access-log/access-log-sink.types";
import { ListenerMetricsTable, type ListenerObserver } from "../observe/listener-metrics";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import type { ConnectionObserver } from "../observe/observer.types";
import { listenStream, stopAccepting, type ListeningStream } from "./bind-stream";
import { DEFAULT_CONNECTION_GATE } from "./connection-gate";
import { InheritedSockets, type InheritedSocket } from "./inherited-sockets";
import { StreamBinding } from "./stream-binding";


/**
 * A TCP or HTTP listener: one handler shared by the servers of every bound address — one per address,
 * plus one per further socket of that address inherited from the engine this one replaced.
 */
interface StreamListener {
  kind: "stream";
  config: SnapshotListener;
  /** Counts the listener's connections and requests into its metric row, and writes its access log. */
  observer: ListenerObserver;
  handler: ConnectionHandler;
  servers: Map<string, ListeningStream[]>;
}

/** A UDP listener (it binds its own sockets). */
interface DatagramListener {
  kind: "datagram";
  config: SnapshotListener;
  observer: ListenerObserver;
  udp: UdpListener;
}

type LiveListener = StreamListener | DatagramListener;

/** Error of a bind on an address and port another listener of this runtime holds (as the kernel says for another program's). */
function inUseBy(listenerId: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`held by listener ${listenerId}`), { code: "EADDRINUSE" });
}

/** Builds the connection handler of a stream listener, once per listener (not per connection). */
export type HandlerFactory = (route: ListenerRoute) => ConnectionHandler;

/**
 * What a listening server's error (a failed accept) does: reported to the observer as an `internal`
 * error of that listener (no client: address "", port 0); running out of descriptors also goes to the
 * rate-limited descriptor log, anything else is logged as it comes. The server keeps listening.
 */
function acceptFailed(binding: StreamBinding, where: string): (err: NodeJS.ErrnoException) => void {
  return (err) => {
    const context = createConnectionContext(binding, undefined, undefined);
    if (isDescriptorExhaustion(err)) return reportDescriptorExhaustion(context, err, "accept", where);
    context.observer.error(context, "internal", err);
    console.error(`[engine] listener ${where}: ${err.message}`);
  };
}

/** Handler factory per stream protocol (HTTPS: TLS with this thread's secret key and ticket keys, then HTTP/1.1 or HTTP/2). */
export const DEFAULT_HANDLER_FACTORIES: Readonly<Partial<Record<SnapshotListener["protocol"], HandlerFactory>>> = {
  TCP: (route) => createTcpHandler(route),
  HTTP: (route) => createHttpHandler(route),
  HTTPS: (route) => createHttpsHandler(route),
};

/**
 * The engine's live listeners, diffed by id on every snapshot (Traefik's switcher idea):
 * - same protocol and port: the sockets stay, the handler gets the new route (new connections see it,
 *   established ones keep going); addresses added or removed are bound or closed one by one;
 * - new listeners bind; a failed bind is reported per listener and never stops the others (and is
 *   retried on the next snapshot, since the listener is kept with whatever did bind);
 * - removed listeners (or changed protocol/port) stop accepting and drain in the background.
 * Every socket is in its address's SO_REUSEPORT group (worker threads share the port), so two listeners of
 * one runtime on the same protocol family, address and port are refused here (EADDRINUSE, as a plain bind
 * would); a bind first takes a socket inherited from the engine this one replaced (`inherited`), and the
 * inherited sockets the first apply did not take are closed.
 *
 * Every listener has its own observer (observe/listener-metrics.ts) over its row of `metrics`, kept by
 * id across snapshots, which hands finished requests to the listener's access-log sink (`sinks`).
 */
export class ListenerSet {
  private readonly live = new Map<string, LiveListener>();
  private readonly draining = new Set<Promise<void>>();
  /** "tcp|udp address port" → id of the listener bound there. */
  private readonly held = new Map<string, string>();
  private applied = false;
  /** The engine-wide observer every listener observer forwards to; null = none. */
  private readonly next: ConnectionObserver | null;

  constructor(
    /** How long a removed listener's connections may take to finish; default 30 s. */
    private readonly drainGraceMs = 30_000,
    private readonly factories = DEFAULT_HANDLER_FACTORIES,
    /** Bandwidth buckets of limited addresses (EIPs), applied by the runtime before each `apply`. */
    private readonly limits = new AddressLimits(),
    /** Sees every connection of every listener (metrics, access logs); default none. */
    observer: ConnectionObserver = NOOP_OBSERVER,
    /** Sockets inherited from the engine this one replaces (control/upgrade.ts); default none. */
    private readonly inherited = new InheritedSockets(),
    /** The engine-wide cap on open connections, shared by every stream listener; default the thread's default gate (100 000). */
    private readonly gate = DEFAULT_CONNECTION_GATE,
    /** The metric rows of this thread's listeners (reported by the runtime). */
    readonly metrics = new ListenerMetricsTable(),
    /** This thread's access-log writers; null = no access logs. */
    private readonly sinks: AccessLogSinks | null = null,
  ) {
    this.next = observer === NOOP_OBSERVER ? null : observer;
  }

  /** Applies the routes of a snapshot; resolves with the listeners that could not be (fully) applied. */
  async apply(routes: readonly ListenerRoute[]): Promise<ListenerError[]> {
    const errors: ListenerError[] = [];
    const wanted = new Map(routes.map((route) => [route.listener.id, route]));
    for (const [id, current] of this.live) {
      const next = wanted.get(id)?.listener;
      if (next === undefined || next.protocol !== current.config.protocol || next.port !== current.config.port) {
        this.live.delete(id);
        this.retire(current);
      }
    }
    const outcomes = await Promise.all(routes.map((route) => this.applyOne(route)));
    for (const error of outcomes) if (error !== null) errors.push(error);
    this.metrics.retain(wanted.keys());
    this.sinks?.retain(routes.map((route) => route.listener));
    if (!this.applied) {
      this.applied = true;
      const left = this.inherited.closeLeftovers();
      if (left.length > 0) console.error(`[engine] closed ${left.length} inherited socket(s) no listener uses: ${left.map((s) => `${s.type} ${s.address}:${s.port}`).join(", ")}`);
    }
    return errors; // in snapshot order
  }

  /** Listener ids currently live. */
  ids(): string[] {
    return [...this.live.keys()];
  }

  /** Every listening socket of every live listener (what a new engine build inherits). */
  listeningSockets(): InheritedSocket[] {
    const sockets: InheritedSocket[] = [];
    for (const current of this.live.values()) {
      const port = current.config.port;
      if (current.kind === "datagram") for (const s of current.udp.sockets()) sockets.push({ type: "udp", address: s.address, port: s.port, fd: s.fd });
      else for (const [address, bound] of current.servers) for (const { fd } of bound) sockets.push({ type: "tcp", address, port, fd });
    }
    return sockets;
  }

  /** Stops every listener and waits for the drains (each bounded by `graceMs`). */
  async stop(graceMs = this.drainGraceMs): Promise<void> {
    for (const current of this.live.values()) this.retire(current, graceMs);
    this.live.clear();
    await Promise.all(this.draining);
  }

  private async applyOne(route: ListenerRoute): Promise<ListenerError | null> {
    const config = route.listener;
    let current = this.live.get(config.id);
    if (current === undefined) {
      const created = this.create(route);
      if (typeof created === "string") return { listenerId: config.id, message: created };
      current = created;
      this.live.set(config.id, current);
    } else {
      if (current.kind === "stream") current.handler.update(route);
      else current.udp.update(route);
      current.observer.sink = this.sinks?.sinkFor(config) ?? null;
    }
    current.config = config;
    const failures = await this.bindAddresses(current, config);
    const problem = current.kind === "stream" ? (current.handler.problem?.() ?? null) : null;
    if (problem !== null) failures.push(problem);
    return failures.length > 0 ? { listenerId: config.id, message: failures.join("; ") } : null;
  }

  private create(route: ListenerRoute): LiveListener | string {
    const config = route.listener;
    const factory = this.factories[config.protocol];
    if (config.protocol !== "UDP" && factory === undefined) return `${config.protocol} not supported yet`;
    const observer = this.metrics.observerFor(config.id, config.protocol, this.next);
    observer.sink = this.sinks?.sinkFor(config) ?? null;
    if (config.protocol === "UDP") return { kind: "datagram", config, observer, udp: createUdpListener(route) };
    return { kind: "stream", config, observer, handler: factory!(route), servers: new Map() };
  }

  /** Brings the bound addresses in line with the config; returns one message per failed bind. */
  private async bindAddresses(current: LiveListener, config: SnapshotListener): Promise<string[]> {
    const wanted = new Set(config.bindAddresses);
    const failures: string[] = [];
    const { limits, inherited, held } = this;
    const observer = current.observer;
    const type = current.kind === "datagram" ? "udp" : "tcp";
    const bind = async (address: string) => {
      const key = `${type} ${address} ${config.port}`;
      try {
        const owner = held.get(key);
        if (owner !== undefined && owner !== config.id) throw inUseBy(owner);
        held.set(key, config.id);
        if (current.kind === "datagram") {
          // Per snapshot: the frontend polices replies with the bucket looked up here.
          const binding = { listenerId: config.id, localAddress: address, localPort: config.port, bandwidth: limits.bucketFor(address), observer };
          const fds = current.udp.addresses.includes(address) ? [] : inherited.takeAll("udp", address, config.port);
          await current.udp.bind(address, config.port, binding, fds);
        } else if (!current.servers.has(address)) {
          const binding = new StreamBinding(config.id, address, config.port, limits, observer, current.handler, this.gate, observer);
          const onError = acceptFailed(binding, `${address}:${config.port}`);
          const listen = (fd: number | undefined) => listenStream(config.protocol, address, config.port, binding.accept, onError, fd);
          const first = await listen(inherited.take("tcp", address, config.port));
          // Every further inherited socket of the address is listened on too: a connection the kernel queued on any is accepted.
          const extras = await Promise.all(inherited.takeAll("tcp", address, config.port).map((fd) => listen(fd).catch(() => null)));
          current.servers.set(address, [first, ...extras.filter((extra) => extra !== null)]);
        }
      } catch (err) {
        if (held.get(key) === config.id && !(current.kind === "datagram" ? current.udp.addresses.includes(address) : current.servers.has(address))) held.delete(key);
        failures.push(`bind ${address}:${config.port} failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    };
    if (current.kind === "datagram") {
      for (const address of current.udp.addresses) {
        if (wanted.has(address)) continue;
        held.delete(`udp ${address} ${config.port}`);
        await current.udp.unbind(address);
      }
    } else {
      for (const [address, bound] of current.servers) {
        if (wanted.has(address)) continue;
        for (const { server } of bound) stopAccepting(server);
        current.servers.delete(address);
        held.delete(`tcp ${address} ${config.port}`);
      }
    }
    await Promise.all([...wanted].map(bind));
    return failures;
  }

  /** Stops accepting now and drains in the background. */
  private retire(current: LiveListener, graceMs = this.drainGraceMs): void {
    let done: Promise<void>;
    if (current.kind === "datagram") {
      for (const address of current.udp.addresses) this.held.delete(`udp ${address} ${current.config.port}`);
      done = current.udp.close();
    } else {
      for (const [address, bound] of current.servers) {
        this.held.delete(`tcp ${address} ${current.config.port}`);
        for (const { server } of bound) stopAccepting(server);
      }
      done = current.handler.drain(graceMs);
    }
    const tracked = done.catch(() => {}).finally(() => this.draining.delete(tracked));
    this.draining.add(tracked);
  }
}
