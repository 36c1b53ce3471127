import type net from "node:net";
import { coarseClock } from "../../io/coarse-clock";
import { normalizeIp } from "../../observe/connection-context";
import type { ConnectionContext, TlsDetail } from "../../observe/observer.types";
import { tlsDetailOf } from "../tls-detail";
import { ClientRouteCache } from "../client-route-cache";
import type { CompiledRoute } from "../compiled-route";
import { localAuthority } from "../request-head-writer";
import type { H2Host, SessionSide } from "./h2.types";
import { StreamExchange } from "./stream-exchange";
import { StreamHead } from "./stream-head";
import { H2Connection, type H2ConnectionOwner, type H2Limits } from "./wire/h2-connection";
import type { H2Stream } from "./wire/h2-stream";

/**
 * One HTTP/2 client connection: the engine's own `H2Connection` (wire/) on the already-secured socket,
 * with the handler's limits (settings sent in the preface). Each stream becomes a `StreamExchange`.
 * The session counts its open streams so the handler's sweep can close it when it sat without a
 * stream for the listener's idle timeout (the head timeout before its first stream), with a GOAWAY:
 * streams in flight finish, none is cut.
 * Open and close go to the connection context's observer; body bytes are counted by the streams.
 */
export class H2Session implements SessionSide, H2ConnectionOwner {
  readonly clientIp: string;
  readonly localAddress: string;
  readonly localAuthority: string;
  /** Streams opened and not yet closed. */
  openStreams = 0;
  /** When the last stream closed (or the session began), coarse ms. */
  private idleSince = coarseClock.now;
  /** A first stream arrived (before it, the idle limit is the head timeout). */
  private streamed = false;
  private closing = false;
  private readonly connection: H2Connection;
  private readonly clientRoute: ClientRouteCache;
  private tlsDetail: TlsDetail | null | undefined = undefined;

  constructor(
    readonly proxy: H2Host,
    readonly socket: net.Socket,
    readonly context: ConnectionContext,
    limits: H2Limits,
  ) {
    this.clientIp = context.clientAddress;
    this.clientRoute = new ClientRouteCache(context);
    const address = context.localAddress !== "" ? context.localAddress : (socket.localAddress ?? "");
    const port = context.localPort !== 0 ? context.localPort : (socket.localPort ?? 0);
    this.localAddress = normalizeIp(address);
    this.localAuthority = localAuthority(address, port);
    socket.setNoDelay(true);
    this.connection = new H2Connection(socket, this, limits);
    context.observer.connectionOpened(context);
  }

  /** SessionSide: the connection's TLS as the access log writes it (read once, at the first logged stream). */
  get tls(): TlsDetail | null {
    return (this.tlsDetail ??= tlsDetailOf(this.socket));
  }

  clientFields(route: CompiledRoute): string {
    return this.clientRoute.linesUnder(route);
  }

  clientTrusted(route: CompiledRoute): boolean {
    return this.clientRoute.clientTrustedUnder(route);
  }

  /** H2ConnectionOwner: a new stream's head arrived (checked by the connection). */
  onStream(stream: H2Stream, raw: string[]): void {
    this.openStreams++;
    this.streamed = true;
    new StreamExchange(this, stream, new StreamHead(raw)).start();
  }

  streamClosed(): void {
    if (--this.openStreams === 0) {
      this.idleSince = coarseClock.now;
      if (this.proxy.draining) this.drain();
    }
  }

  /** Called by the handler's sweep: closes a session idle past its limit. */
  onTick(now: number): void {
    if (this.openStreams !== 0 || this.closing) return;
    this.connection.releaseBuffers();
    const limit = this.streamed ? this.proxy.route.idleTimeoutMs : this.proxy.options.headTimeoutMs;
    if (now - this.idleSince >= limit) this.drain();
  }

  /** GOAWAY: no new streams; the session ends once its open streams are done (idle, or the handler drains). */
  drain(): void {
    if (this.closing) return;
    this.closing = true;
    this.connection.close();
  }

  /** Ends the session and its streams now (drain grace over). */
  destroy(): void {
    this.connection.destroy();
  }

  /** H2ConnectionOwner: the socket closed (its streams were closed first). */
  onClose(): void {
    const context = this.context;
    context.observer.connectionClosed(context);
    this.proxy.connectionClosed(this);
  }
}
