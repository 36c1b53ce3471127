import type { ServerSessionOptions } from "node:http2";
import type net from "node:net";
import { tickClock } from "../../io/coarse-clock";
import { UNBOUND, createConnectionContext } from "../../observe/connection-context";
import type { ConnectionContext } from "../../observe/observer.types";
import { compileRoute, type CompiledRoute, type HttpRoute } from "../compiled-route";
import { resolveOptions, type HttpProxyOptions, type ResolvedOptions } from "../proxy-options";
import type { AppCookieTable } from "../sticky/app-cookie";
import { UpstreamRegistry } from "../upstream-registry";
import type { H2Host, StreamTimed } from "./h2.types";
import { H2Session } from "./h2-session";

/** Streams a client may have open at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS; nginx's default). */
export const MAX_CONCURRENT_STREAMS = 128;

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

/**
 * The HTTP/2 handler of an HTTPS listener (ALPN "h2"): takes already-secured sockets and serves each
 * as one node:http2 session (h2-session.ts), every stream forwarded onto the engine's own pooled
 * HTTP/1.1 upstream path (stream-exchange.ts) — not undici, not http.request. Same route, phases,
 * options and pools as the HTTP/1 handler (`HttpProxy`); one periodic sweep checks every stream's
 * deadline, closes idle sessions and ages idle backend connections.
 *
 * Session limits (settings in the server preface): at most 128 concurrent streams, a header list of
 * at most `maxHeadBytes` (32 KiB) and `maxHeaderCount` fields, no server push; sessions idle for the
 * listener's idle timeout get a GOAWAY.
 */
export class Http2Handler implements H2Host {
  route: CompiledRoute;
  draining = false;
  readonly options: ResolvedOptions;
  sweepMs = 1000;
  /** The node:http2 session options, built once. */
  private readonly sessionOptions: ServerSessionOptions;
  private readonly sessions = new Set<H2Session>();
  private readonly streams = new Set<StreamTimed>();
  private readonly registry: UpstreamRegistry;
  private readonly appTables: Map<string, AppCookieTable>;
  private sweepTimer: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;

  constructor(route: HttpRoute, options?: HttpProxyOptions, shared?: SharedUpstreams) {
    const o = (this.options = resolveOptions(options));
    this.registry = shared?.registry ?? new UpstreamRegistry({ maxIdle: o.maxIdlePerBackend, idleTimeoutMs: o.backendIdleTimeoutMs });
    this.appTables = shared?.appTables ?? new Map();
    this.route = compileRoute(route, this.registry, this.appTables);
    const limits = o.requestLimits;
    this.sessionOptions = {
      settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS, maxHeaderListSize: limits.maxHeadBytes, enablePush: false },
      // Pseudo-headers count as entries too: room for the four of a request beside the field limit.
      maxHeaderListPairs: limits.maxFields + 4,
    };
  }

  /** Open client sessions (connections). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Streams whose exchange is under way. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Takes one secured client socket whose ALPN chose "h2"; `context` comes from the listener set (none in unit tests). */
  handle(socket: net.Socket, context?: ConnectionContext): void {
    if (this.draining || socket.destroyed) {
      socket.destroy();
      return;
    }
    tickClock();
    if (this.sweepTimer === null) this.startSweep();
    context ??= createConnectionContext(UNBOUND, socket.remoteAddress, socket.remotePort);
    this.sessions.add(new H2Session(this, socket, context, this.sessionOptions));
  }

  /** Swaps the route for new streams (compiled once here). */
  update(route: HttpRoute): void {
    this.route = compileRoute(route, this.registry, this.appTables);
    if (this.sweepTimer !== null && this.sweepPeriod() !== this.sweepMs) {
      this.stopSweep();
      this.startSweep();
    }
  }

  /** Stops taking streams (GOAWAY to every session); resolves when every session closed (or after `graceMs`). */
  drain(graceMs: number): Promise<void> {
    this.draining = true;
    this.registry.closeAll();
    for (const session of this.sessions) session.close();
    if (this.sessions.size === 0) {
      this.stopSweep();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const grace = setTimeout(() => {
        for (const session of this.sessions) session.destroy();
      }, graceMs);
      this.drained = () => {
        clearTimeout(grace);
        resolve();
      };
    });
  }

  track(exchange: StreamTimed): void {
    this.streams.add(exchange);
  }

  untrack(exchange: StreamTimed): void {
    this.streams.delete(exchange);
  }

  connectionClosed(session: object): void {
    this.sessions.delete(session as H2Session);
    if (this.sessions.size === 0 && this.draining) {
      this.stopSweep();
      const done = this.drained;
      this.drained = null;
      done?.();
    }
  }

  private sweep = (): void => {
    const now = tickClock();
    for (const exchange of this.streams) exchange.onTick(now);
    for (const session of this.sessions) session.onTick(now);
    this.registry.sweep(now);
  };

  /** A quarter of the shortest timeout, within 10 ms – 1 s (as HttpProxy). */
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

/**
 * Creates the HTTP/2 handler of an HTTPS listener (a `ConnectionHandler`: handle, update, drain).
 * Pass `shared` (the listener's `HttpProxy.upstreams`) to share its backend pools with the HTTP/1.1 handler.
 */
export function createHttp2Handler(route: HttpRoute, options?: HttpProxyOptions, shared?: SharedUpstreams): Http2Handler {
  return new Http2Handler(route, options, shared);
}
