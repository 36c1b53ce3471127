import type net from "node:net";
import { AddressLimits } from "../limits/address-limits";
import { createHttpHandler } from "../listeners/http";
import type { ConnectionHandler, ListenerRoute } from "../listeners/listener.types";
import { createTcpHandler } from "../listeners/tcp";
import { createUdpListener, type UdpListener } from "../listeners/udp";
import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../listeners/descriptor-limit";
import { createConnectionContext } from "../observe/connection-context";
import type { ListenerError } from "../protocol/ipc.types";
import type { SnapshotListener } from "../protocol/snapshot.types";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import type { ConnectionObserver } from "../observe/observer.types";
import { listenStream, stopAccepting } from "./bind-stream";
import { DEFAULT_CONNECTION_GATE } from "./connection-gate";
import { StreamBinding } from "./stream-binding";


/** A TCP or HTTP listener: one handler shared by one net.Server per bound address. */
interface StreamListener {
  kind: "stream";
  config: SnapshotListener;
  handler: ConnectionHandler;
  servers: Map<string, net.Server>;
}

/** A UDP listener (it binds its own sockets). */
interface DatagramListener {
  kind: "datagram";
  config: SnapshotListener;
  udp: UdpListener;
}

type LiveListener = StreamListener | DatagramListener;

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

/** Handler factory per stream protocol; HTTPS has none yet. */
export const DEFAULT_HANDLER_FACTORIES: Readonly<Partial<Record<SnapshotListener["protocol"], HandlerFactory>>> = {
  TCP: (route) => createTcpHandler(route),
  HTTP: (route) => createHttpHandler(route),
};

/**
 * The engine's live listeners, diffed by id on every snapshot (Traefik's switcher idea):
 * - same protocol and port: the sockets stay, the handler gets the new route (new connections see it,
 *   established ones keep going); addresses added or removed are bound or closed one by one;
 * - new listeners bind; a failed bind is reported per listener and never stops the others (and is
 *   retried on the next snapshot, since the listener is kept with whatever did bind);
 * - removed listeners (or changed protocol/port) stop accepting and drain in the background.
 */
export class ListenerSet {
  private readonly live = new Map<string, LiveListener>();
  private readonly draining = new Set<Promise<void>>();

  constructor(
    /** How long a removed listener's connections may take to finish; default 30 s. */
    private readonly drainGraceMs = 30_000,
    private readonly factories = DEFAULT_HANDLER_FACTORIES,
    /** Bandwidth buckets of limited addresses (EIPs), applied by the runtime before each `apply`. */
    private readonly limits = new AddressLimits(),
    /** Sees every connection of every listener (metrics, access logs); default none. */
    private readonly observer: ConnectionObserver = NOOP_OBSERVER,
    /** Bind every address in its SO_REUSEPORT group (a worker thread among several); default plain binds. */
    private readonly reusePort = false,
    /** The engine-wide cap on open connections, shared by every stream listener; default the thread's default gate (100 000). */
    private readonly gate = DEFAULT_CONNECTION_GATE,
  ) {}

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
    return errors; // in snapshot order
  }

  /** Listener ids currently live. */
  ids(): string[] {
    return [...this.live.keys()];
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
    } else if (current.kind === "stream") current.handler.update(route);
    else current.udp.update(route);
    current.config = config;
    const failures = await this.bindAddresses(current, config);
    return failures.length > 0 ? { listenerId: config.id, message: failures.join("; ") } : null;
  }

  private create(route: ListenerRoute): LiveListener | string {
    const config = route.listener;
    if (config.protocol === "UDP") return { kind: "datagram", config, udp: createUdpListener(route, { reusePort: this.reusePort }) };
    const factory = this.factories[config.protocol];
    if (factory === undefined) return `${config.protocol} not supported yet`;
    return { kind: "stream", config, handler: factory(route), servers: new Map() };
  }

  /** Brings the bound addresses in line with the config; returns one message per failed bind. */
  private async bindAddresses(current: LiveListener, config: SnapshotListener): Promise<string[]> {
    const wanted = new Set(config.bindAddresses);
    const failures: string[] = [];
    const { limits, observer } = this;
    const bind = async (address: string) => {
      try {
        if (current.kind === "datagram") {
          // Per snapshot: the frontend polices replies with the bucket looked up here.
          const binding = { listenerId: config.id, localAddress: address, localPort: config.port, bandwidth: limits.bucketFor(address), observer };
          await current.udp.bind(address, config.port, binding);
        } else if (!current.servers.has(address)) {
          const binding = new StreamBinding(config.id, address, config.port, limits, observer, current.handler, this.gate);
          const onError = acceptFailed(binding, `${address}:${config.port}`);
          current.servers.set(address, await listenStream(config.protocol, address, config.port, binding.accept, onError, this.reusePort));
        }
      } catch (err) {
        failures.push(`bind ${address}:${config.port} failed: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    };
    if (current.kind === "datagram") {
      for (const address of current.udp.addresses) if (!wanted.has(address)) await current.udp.unbind(address);
    } else {
      for (const [address, server] of current.servers) {
        if (wanted.has(address)) continue;
        stopAccepting(server);
        current.servers.delete(address);
      }
    }
    await Promise.all([...wanted].map(bind));
    return failures;
  }

  /** Stops accepting now and drains in the background. */
  private retire(current: LiveListener, graceMs = this.drainGraceMs): void {
    let done: Promise<void>;
    if (current.kind === "datagram") done = current.udp.close();
    else {
      for (const server of current.servers.values()) stopAccepting(server);
      done = current.handler.drain(graceMs);
    }
    const tracked = done.catch(() => {}).finally(() => this.draining.delete(tracked));
    this.draining.add(tracked);
  }
}
