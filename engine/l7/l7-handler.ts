import type net from "node:net";
import { tickClock } from "../io/coarse-clock";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import { compileRoute, type CompiledRoute, type HttpRoute } from "./compiled-route";
import { resolveOptions, type HttpProxyOptions, type ResolvedOptions } from "./proxy-options";
import type { AppCookieTable } from "./sticky/app-cookie";
import { UpstreamRegistry } from "./upstream-registry";

/**
 * The backend connection pools and application-cookie tables a handler works with. An HTTPS
 * listener's HTTP/1.1 and HTTP/2 handlers pass the same ones (`HttpProxy.upstreams`), so keep-alive
 * connections, the per-member connection cap and learned application cookies are the listener's, whichever
 * protocol a client negotiated.
 */
export interface SharedUpstreams {
  readonly registry: UpstreamRegistry;
  readonly appTables: Map<string, AppCookieTable>;
}

/** What a handler asks of each of its client connections (an HTTP/1 `ClientConnection`, an HTTP/2 `H2Session`). */
export interface HandledConnection {
  /** Called by the handler's sweep (coarse ms): deadlines, idle limits. */
  onTick(now: number): void;
  /** The handler drains: finish what is in flight, take nothing new, then close. */
  drain(): void;
  /** Ends the connection now (the drain's grace is over). */
  destroy(): void;
}

/**
 * What a listener's HTTP/1.1 handler (`HttpProxy`) and HTTP/2 handler (`h2/Http2Handler`) share: the
 * route, compiled once per `update` (connections read `route` at each new request or stream); the
 * resolved options; the backend pools (`UpstreamRegistry`, own or shared); the open client
 * connections; one periodic sweep per handler that checks their deadlines and ages idle backend
 * connections, instead of a timer per request; and drain. A subclass says what a client connection is
 * (`open`) and may check more on each sweep (`tick`).
 */
export abstract class L7Handler<C extends HandledConnection> {
  route: CompiledRoute;
  draining = false;
  readonly options: ResolvedOptions;
  /** Period of the deadline sweep in ms. */
  sweepMs = 1000;
  protected readonly connections = new Set<C>();
  protected readonly registry: UpstreamRegistry;
  protected readonly appTables: Map<string, AppCookieTable>;
  private sweepTimer: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;

  constructor(route: HttpRoute, options?: HttpProxyOptions, shared?: SharedUpstreams) {
    const o = (this.options = resolveOptions(options));
    this.registry = shared?.registry ?? new UpstreamRegistry({ maxIdle: o.maxIdlePerBackend, idleTimeoutMs: o.backendIdleTimeoutMs });
    this.appTables = shared?.appTables ?? new Map();
    this.route = compileRoute(route, this.registry, this.appTables, this.options.compileTrustedIps);
  }

  /**
   * The backend connection pools and application-cookie tables of this handler, for the other handler
   * of the same HTTPS listener to share (`createHttp2Handler(route, options, proxy.upstreams)`).
   */
  get upstreams(): SharedUpstreams {
    return { registry: this.registry, appTables: this.appTables };
  }

  /** Takes one accepted client socket (for HTTP/2: secured, ALPN "h2"); `context` comes from the listener set (none in unit tests). */
  handle(socket: net.Socket, context?: ConnectionContext): void {
    if (this.draining || socket.destroyed) {
      socket.destroy();
      return;
    }
    tickClock();
    if (this.sweepTimer === null) this.startSweep();
    context ??= createConnectionContext(UNBOUND, socket.remoteAddress, socket.remotePort);
    this.connections.add(this.open(socket, context));
  }

  /** Swaps the route for new requests and streams (compiled once here). */
  update(route: HttpRoute): void {
    this.route = compileRoute(route, this.registry, this.appTables, this.options.compileTrustedIps);
    if (this.sweepTimer !== null && this.sweepPeriod() !== this.sweepMs) {
      this.stopSweep();
      this.startSweep();
    }
  }

  /** Stops taking requests (HTTP/2: GOAWAY); resolves when every connection closed (or after `graceMs`). */
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

  /** A client connection closed. */
  connectionClosed(conn: object): void {
    this.connections.delete(conn as C);
    if (this.connections.size === 0 && this.draining) {
      this.stopSweep();
      const done = this.drained;
      this.drained = null;
      done?.();
    }
  }

  /** The client connection object for an accepted socket (it reports its close through `connectionClosed`). */
  protected abstract open(socket: net.Socket, context: ConnectionContext): C;

  /** One sweep at `now`: every client connection's deadline. */
  protected tick(now: number): void {
    for (const conn of this.connections) conn.onTick(now);
  }

  private sweep = (): void => {
    const now = tickClock();
    this.tick(now);
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
