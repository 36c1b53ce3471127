import http2, { type ServerHttp2Session, type ServerHttp2Stream, type ServerSessionOptions } from "node:http2";
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

/** The session a node:http2 session object belongs to (one property: the shared handlers below find it). */
const SESSION = Symbol("H2Session");
type OwnedSession = ServerHttp2Session & { [SESSION]: H2Session };

// Session handlers shared by every session (Node calls them with `this` = the session): no closure per session.
function onSessionStream(this: OwnedSession, stream: ServerHttp2Stream, _headers: unknown, _flags: number, raw: string[]): void {
  this[SESSION].onStream(stream, raw);
}
function onSessionClose(this: OwnedSession): void {
  this[SESSION].onClose();
}
function ignoreError(): void {
  // a session or socket error ends the session: 'close' follows and cleans up
}

/**
 * One HTTP/2 client connection: a node:http2 server session set up on the already-secured socket
 * (`http2.performServerHandshake`, no `Http2Server`), with the handler's limits (settings sent in the
 * preface). Each stream becomes a `StreamExchange`. The session counts its open streams so the
 * handler's sweep can close it when it sat without a stream for the listener's idle timeout (the
 * head timeout before its first stream), with a GOAWAY: streams in flight finish, none is cut.
 * Open and close go to the connection context's observer; body bytes are counted by the streams.
 */
export class H2Session implements SessionSide {
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
  private readonly session: ServerHttp2Session;
  private readonly clientRoute: ClientRouteCache;
  private tlsDetail: TlsDetail | null | undefined = undefined;

  constructor(
    readonly proxy: H2Host,
    readonly socket: net.Socket,
    readonly context: ConnectionContext,
    options: ServerSessionOptions,
  ) {
    this.clientIp = context.clientAddress;
    this.clientRoute = new ClientRouteCache(context);
    const address = context.localAddress !== "" ? context.localAddress : (socket.localAddress ?? "");
    const port = context.localPort !== 0 ? context.localPort : (socket.localPort ?? 0);
    this.localAddress = normalizeIp(address);
    this.localAuthority = localAuthority(address, port);
    socket.setNoDelay(true);
    socket.on("error", ignoreError);
    const session = http2.performServerHandshake(socket, options) as OwnedSession;
    session[SESSION] = this;
    this.session = session;
    session.on("stream", onSessionStream);
    session.on("error", ignoreError);
    session.on("close", onSessionClose);
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

  /** A new stream's head arrived. */
  onStream(stream: ServerHttp2Stream, raw: string[]): void {
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
    const limit = this.streamed ? this.proxy.route.idleTimeoutMs : this.proxy.options.headTimeoutMs;
    if (now - this.idleSince >= limit) this.drain();
  }

  /** GOAWAY: no new streams; the session ends once its open streams are done (idle, or the handler drains). */
  drain(): void {
    if (this.closing) return;
    this.closing = true;
    this.session.close();
  }

  /** Ends the session and its streams now (drain grace over). */
  destroy(): void {
    this.session.destroy();
  }

  onClose(): void {
    const context = this.context;
    context.observer.connectionClosed(context);
    this.proxy.connectionClosed(this);
  }
}
