import type net from "node:net";
import type { TokenBucket } from "../limits/token-bucket";
import type { ConnectionHandler, ListenerRoute } from "../listeners/listener.types";
import { ClientConnection } from "./client-connection";
import { tickClock } from "../io/coarse-clock";
import { compileRoute, type CompiledRoute } from "./compiled-route";
import { resolveOptions, type HttpProxyOptions, type ProxyContext, type ResolvedOptions } from "./proxy-context";
import type { AppCookieTable } from "./sticky/app-cookie";
import { UpstreamRegistry } from "./upstream-registry";

/**
 * The HTTP/1.1 Layer-7 handler of one listener. `update` compiles the route once; connections
 * read `route` at each new request. One periodic sweep per handler checks every connection's
 * deadline and ages idle backend connections, instead of a timer per request.
 */
export class HttpProxy implements ConnectionHandler, ProxyContext {
  route: CompiledRoute;
  draining = false;
  readonly options: ResolvedOptions;
  private readonly connections = new Set<ClientConnection>();
  private readonly registry: UpstreamRegistry;
  private readonly appTables = new Map<string, AppCookieTable>();
  private sweepTimer: NodeJS.Timeout | null = null;
  sweepMs = 1000;
  private drained: (() => void) | null = null;

  constructor(route: ListenerRoute, options?: HttpProxyOptions) {
    this.options = resolveOptions(options);
    this.registry = new UpstreamRegistry({
      maxIdle: this.options.maxIdlePerBackend,
      idleTimeoutMs: this.options.backendIdleTimeoutMs,
    });
    this.route = compileRoute(route, this.registry, this.appTables);
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  handle(socket: net.Socket, bandwidth: TokenBucket | null = null): void {
    if (this.draining || socket.destroyed) {
      socket.destroy();
      return;
    }
    tickClock();
    if (this.sweepTimer === null) this.startSweep();
    this.connections.add(new ClientConnection(this, socket, bandwidth));
  }

  update(route: ListenerRoute): void {
    this.route = compileRoute(route, this.registry, this.appTables);
    if (this.sweepTimer !== null && this.sweepPeriod() !== this.sweepMs) {
      this.stopSweep();
      this.startSweep();
    }
  }

  drain(graceMs: number): Promise<void> {
    this.draining = true;
    this.registry.closeAll();
    for (const conn of this.connections) conn.drain();
    if (this.connections.size === 0) {
      this.stopSweep();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const grace = setTimeout(() => {
        for (const conn of this.connections) conn.destroy();
      }, graceMs);
      this.drained = () => {
        clearTimeout(grace);
        resolve();
      };
    });
  }

  /** ProxyContext: a client connection closed. */
  connectionClosed(conn: object): void {
    this.connections.delete(conn as ClientConnection);
    if (this.connections.size === 0 && this.draining) {
      this.stopSweep();
      const done = this.drained;
      this.drained = null;
      done?.();
    }
  }

  private sweep = (): void => {
    const now = tickClock();
    for (const conn of this.connections) conn.onTick(now);
    this.registry.sweep(now);
  };

  /** A quarter of the shortest timeout, within 10 ms – 1 s: deadlines fire at most 25 % late. */
  private sweepPeriod(): number {
    const o = this.options;
    const shortest = Math.min(o.headTimeoutMs, o.bodyTimeoutMs, o.responseTimeoutMs, o.connectTimeoutMs, o.backendIdleTimeoutMs, this.route.idleTimeoutMs);
    return Math.max(10, Math.min(1000, Math.floor(shortest / 4)));
  }

  private startSweep(): void {
    this.sweepMs = this.sweepPeriod();
    this.sweepTimer = setInterval(this.sweep, this.sweepMs);
    this.sweepTimer.unref();
  }

  private stopSweep(): void {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }
}

/** Creates the HTTP/1.1 proxy handler of a listener. */
export function createHttpProxy(route: ListenerRoute, options?: HttpProxyOptions): HttpProxy {
  return new HttpProxy(route, options);
}
