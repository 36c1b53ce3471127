import type net from "node:net";
import type { ConnectionContext } from "../../observe/observer.types";
import type { HttpRoute } from "../compiled-route";
import { L7Handler, type SharedUpstreams } from "../l7-handler";
import type { HttpProxyOptions } from "../proxy-options";
import type { H2Host, StreamTimed } from "./h2.types";
import { H2Session } from "./h2-session";
import type { H2Limits } from "./wire/h2-connection";

export type { SharedUpstreams } from "../l7-handler";

/** Streams a client may have open at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS; nginx's default). */
export const MAX_CONCURRENT_STREAMS = 128;

/**
 * The HTTP/2 handler of an HTTPS listener (ALPN "h2"): takes already-secured sockets and serves each
 * as one session over the engine's own HTTP/2 connection (h2-session.ts, wire/), every stream forwarded onto the engine's own pooled
 * HTTP/1.1 upstream path (stream-exchange.ts) — not undici, not http.request. Same route, phases,
 * options and pools as the HTTP/1 handler (`HttpProxy`), and the same handler core (../l7-handler.ts:
 * update, drain, one periodic sweep); the sweep also checks every stream's deadline before the
 * sessions' idle limits.
 *
 * Session limits (settings in the server preface): at most 128 concurrent streams, a header list of
 * at most `maxHeadBytes` (32 KiB) and `maxHeaderCount` fields, no server push; sessions idle for the
 * listener's idle timeout get a GOAWAY.
 */
export class Http2Handler extends L7Handler<H2Session> implements H2Host {
  /** The connections' limits, built once. */
  private readonly limits: H2Limits;
  private readonly streams = new Set<StreamTimed>();

  constructor(route: HttpRoute, options?: HttpProxyOptions, shared?: SharedUpstreams) {
    super(route, options, shared);
    const limits = this.options.requestLimits;
    this.limits = {
      maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
      maxHeaderListSize: limits.maxHeadBytes,
      // Pseudo-headers count as entries too: room for the four of a request beside the field limit.
      maxHeaderListPairs: limits.maxFields + 4,
    };
  }

  /** Open client sessions (connections). */
  get sessionCount(): number {
    return this.connections.size;
  }

  /** Streams whose exchange is under way. */
  get streamCount(): number {
    return this.streams.size;
  }

  track(exchange: StreamTimed): void {
    this.streams.add(exchange);
  }

  untrack(exchange: StreamTimed): void {
    this.streams.delete(exchange);
  }

  /** One HTTP/2 session per secured socket. */
  protected open(socket: net.Socket, context: ConnectionContext): H2Session {
    return new H2Session(this, socket, context, this.limits);
  }

  /** The streams' deadlines, then the sessions' idle limits. */
  protected override tick(now: number): void {
    for (const exchange of this.streams) exchange.onTick(now);
    super.tick(now);
  }
}

/**
 * Creates the HTTP/2 handler of an HTTPS listener (a `ConnectionHandler`: handle, update, drain).
 * Pass `shared` (the listener's `HttpProxy.upstreams`) to share its backend pools with the HTTP/1.1 handler.
 */
export function createHttp2Handler(route: HttpRoute, options?: HttpProxyOptions, shared?: SharedUpstreams): Http2Handler {
  return new Http2Handler(route, options, shared);
}
