import type net from "node:net";
import { tickClock } from "../io/coarse-clock";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import { ClientConnection } from "./client-connection";
import { compileRoute, type CompiledRoute, type HttpRoute } from "./compiled-route";
import type { ProxyHost } from "./exchange.types";
import { resolveOptions, type HttpProxyOptions, type ResolvedOptions } from "./proxy-options";
import type { AppCookieTable } from "./sticky/app-cookie";
import { UpstreamRegistry } from "./upstream-registry";

/**
 * The HTTP/1.1 Layer-7 handler of one listener. `update` compiles the route once; connections
 * read `route` at each new request. One periodic sweep per handler checks every connection's
 * deadline and ages idle backend connections, instead of a timer per request. It is the listener
 * set's connection handler for HTTP listeners (`engine/listeners/http.ts`).
 */
export class HttpProxy implements ProxyHost {
  route: CompiledRoute;
  draining = false;
  readonly options: ResolvedOptions;
  private readonly connections = new Set<ClientConnection>();
  private readonly registry: UpstreamRegistry;
  private readonly appTables = new Map<string, AppCookieTable>();
  private sweepTimer: NodeJS.Timeout | null = null;
  sweepMs = 1000;
  private drained: (() => void) | null = null;

  constructor(route: HttpRoute, options?: HttpProxyOptions) {
    this.options = resolveOptions(options);
    this.registry = new UpstreamRegistry({
      maxIdle: this.options.maxIdlePerBackend,
      idleTimeoutMs: this.options.backendIdleTimeoutMs,
    });
    this.route = compileRoute(route, this.registry, this.appTables);
  }

  /**
   * The backend connection pools and application-cookie tables of this handler, for the HTTP/2 handler
   * of the same HTTPS listener to share (`createHttp2Handler(route, options, proxy.upstreams)`).
   */
  get upstreams(): { readonly registry: UpstreamRegistry; readonly appTables: Map<string, AppCookieTable> } {
    return { registry: this.registry, appTables: this.appTables };
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Takes one accepted client socket; `context` comes from the listener set (none in unit tests). */
  handle(socket: net.Socket, context?: ConnectionContext): void {
    if (this.draining || socket.destroyed) {
      socket.destroy();
      return;
    }
    tickClock();
    if (this.sweepTimer === null) this.startSweep();
    context ??= createConnectionContext(UNBOUND, socket.remoteAddress, socket.remotePort);
    this.connections.add(new ClientConnection(this, socket, context));
  }

  /** Swaps the route for new requests (compiled once here). */
  update(route: HttpRoute): void {
    this.route = compileRoute(route, this.registry, this.appTables);
    if (this.sweepTimer !== null && this.sweepPeriod() !== this.sweepMs) {
      this.stopSweep();
      this.startSweep();
    }
  }

  /** Stops taking requests; resolves when every connection closed (or after `graceMs`). */
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

  /** ProxyHost: a client connection closed. */
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
export function createHttpProxy(route: HttpRoute, options?: HttpProxyOptions): HttpProxy {

  return new HttpProxy(route, options);
}
