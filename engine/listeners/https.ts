import type net from "node:net";
import tls from "node:tls";
import { createHttp2Handler, type Http2Handler } from "../l7/h2/http2-handler";
import { createHttpProxy, type HttpProxy } from "../l7/http-proxy";
import type { HttpProxyOptions } from "../l7/proxy-options";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import { compileAddressSet } from "../access-control/address-set";
import { clientCertificateRefusal } from "../tls/client-verification";
import { ListenerTlsCompiler, type CompiledTls } from "../tls/listener-tls";
import { markServedCertificate } from "../l7/tls-detail";
import { tlsEnvironment, type TlsEnvironment } from "../tls/tls-environment";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";

/** How long a client may take to complete the TLS handshake, from accept: 10 s. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Options of an HTTPS handler; defaults suit production. */
export interface HttpsHandlerOptions {
  /** Options of the HTTP/1.1 and HTTP/2 handlers behind TLS (timeouts, limits, pools). */
  http?: HttpProxyOptions;
  /** Secret key and ticket keys; default this thread's (`tlsEnvironment()`). */
  tls?: TlsEnvironment;
  /** Deadline of the handshake from accept; default 10 000 ms. */
  handshakeTimeoutMs?: number;
}

/** Errors the handshake deadline and an unusable listener report (cause of a `tls_handshake` error). */
export const HANDSHAKE_TIMED_OUT = new Error("TLS handshake not completed in time");
const NO_USABLE_CERTIFICATE = new Error("the listener has no usable Server Certificate");

/** What a socket in its handshake carries (one object per connection; the handlers below are shared). */
class Handshake {
  timer: NodeJS.Timeout | null = null;
  constructor(
    readonly handler: HttpsHandler,
    readonly socket: tls.TLSSocket,
    readonly context: ConnectionContext,
    readonly mutual: boolean,
  ) {}
}

const HANDSHAKE = Symbol("Handshake");
type HandshakingSocket = tls.TLSSocket & { [HANDSHAKE]?: Handshake };

// Socket and timer handlers shared by every connection (`this` = the TLS socket): no closure per connection.
function onSecure(this: HandshakingSocket): void {
  const handshake = finish(this);
  if (handshake === undefined) return;
  // tls.Server clears this on its sockets; a TLSSocket made by hand keeps it true: cleared so the socket
  // reads as a finished handshake, as a tls.Server's does.
  (this as unknown as { secureConnecting: boolean }).secureConnecting = false;
  if (handshake.mutual) {
    const refusal = clientCertificateRefusal(this);
    if (refusal !== null) {
      handshake.context.observer.error(handshake.context, "tls_handshake", refusal);
      this.destroy();
      return;
    }
  }
  if (handshake.context.observer.logsRequests === true) handshake.handler.markCertificate(this);
  handshake.handler.dispatch(this, handshake.context);
}
function onHandshakeError(this: HandshakingSocket, err: Error): void {
  const handshake = finish(this);
  if (handshake !== undefined) handshake.context.observer.error(handshake.context, "tls_handshake", err);
  this.destroy();
}
function onHandshakeClose(this: HandshakingSocket): void {
  finish(this);
}
function onHandshakeDeadline(socket: HandshakingSocket): void {
  const handshake = finish(socket);
  if (handshake !== undefined) handshake.context.observer.error(handshake.context, "tls_handshake", HANDSHAKE_TIMED_OUT);
  socket.destroy();
}
function ignoreError(): void {
  // The TLS socket reports errors of the connection; this keeps one on the raw socket from throwing.
}

/** Ends the handshake phase of a socket (once): its timer, its listeners, its place in the handler's pending set. */
function finish(socket: HandshakingSocket): Handshake | undefined {
  const handshake = socket[HANDSHAKE];
  if (handshake === undefined) return undefined;
  socket[HANDSHAKE] = undefined;
  if (handshake.timer !== null) clearTimeout(handshake.timer);
  socket.off("secure", onSecure);
  socket.off("error", onHandshakeError);
  socket.off("close", onHandshakeClose);
  handshake.handler.handshakeDone(handshake);
  return handshake;
}

/**
 * Connection handler of an HTTPS listener: wraps each accepted socket in TLS (engine/tls/: the
 * listener's Server Certificate, SNI certificates, Mutual Authentication, ALPN, TLS 1.2–1.3, tickets
 * shared by every worker thread) and, once secure, hands the TLS socket to the listener's HTTP/1.1
 * handler, or to its HTTP/2 handler when ALPN chose "h2" (both share the backend pools). TLS settings
 * are compiled once per snapshot; `update` applies new certificates to new handshakes, open
 * connections keep theirs. A handshake that fails or does not finish within the deadline is closed and
 * reported to the observer as `tls_handshake` (never thrown). Certificates that cannot be used are
 * reported by `problem()` (a listener error naming the certificate): the handler keeps the last TLS
 * settings that worked, or, with none, closes every connection at accept.
 */
export class HttpsHandler implements ConnectionHandler {
  private readonly compiler: ListenerTlsCompiler;
  private compiled: CompiledTls | null = null;
  private problems: string[] = [];
  private readonly http: HttpProxy;
  private h2: Http2Handler | null = null;
  private route: ListenerRoute;
  private readonly handshakeTimeoutMs: number;
  private readonly pending = new Set<Handshake>();
  private pendingSettled: (() => void) | null = null;
  private draining = false;

  constructor(
    route: ListenerRoute,
    private readonly options: HttpsHandlerOptions = {},
  ) {
    this.route = route;
    this.compiler = new ListenerTlsCompiler(options.tls ?? tlsEnvironment());
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.http = createHttpProxy(route, options.http);
    this.compile(route);
  }

  /** Handshakes under way. */
  get handshakeCount(): number {
    return this.pending.size;
  }

  /** What went wrong with the certificates of the route last given; null = nothing. */
  problem(): string | null {
    return this.problems.length === 0 ? null : this.problems.join("; ");
  }

  handle(socket: net.Socket, context?: ConnectionContext): void {
    context ??= createConnectionContext(UNBOUND, socket.remoteAddress, socket.remotePort);
    const compiled = this.compiled;
    if (this.draining || socket.destroyed || compiled === null) {
      if (compiled === null) context.observer.error(context, "tls_handshake", NO_USABLE_CERTIFICATE);
      socket.destroy();
      return;
    }
    compiled.refreshTicketKeys(Date.now());
    socket.on("error", ignoreError);
    const secure = new tls.TLSSocket(socket, compiled.socketOptions) as HandshakingSocket;
    const handshake = new Handshake(this, secure, context, compiled.mutual);
    secure[HANDSHAKE] = handshake;
    secure.on("secure", onSecure);
    secure.on("error", onHandshakeError);
    secure.on("close", onHandshakeClose);
    handshake.timer = setTimeout(onHandshakeDeadline, this.handshakeTimeoutMs, secure);
    this.pending.add(handshake);
  }

  update(route: ListenerRoute): void {
    this.route = route;
    this.compile(route);
    this.http.update(route);
    this.h2?.update(route);
  }

  /**
   * Stops taking connections: handshakes under way may finish (up to `graceMs`) and join the HTTP
   * handlers, which then drain as an HTTP listener does; resolves when every connection closed.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + graceMs;
    if (this.pending.size > 0) {
      await new Promise<void>((resolve) => {
        const grace = setTimeout(() => {
          for (const handshake of this.pending) handshake.socket.destroy();
          this.pendingSettled?.();
        }, graceMs);
        this.pendingSettled = () => {
          clearTimeout(grace);
          this.pendingSettled = null;
          resolve();
        };
      });
    }
    const remaining = Math.max(0, deadline - Date.now());
    await Promise.all([this.http.drain(remaining), this.h2?.drain(remaining)]);
  }

  /** Notes on a secured socket which certificate its handshake served (for the access log's certificate_id). */
  markCertificate(socket: tls.TLSSocket): void {
    const compiled = this.compiled;
    if (compiled !== null) markServedCertificate(socket, compiled.certificateIds.select(socket.servername || null));
  }

  /** A secured connection: HTTP/2 when ALPN chose "h2", else HTTP/1.1. */
  dispatch(socket: tls.TLSSocket, context: ConnectionContext): void {
    if (socket.alpnProtocol === "h2") this.http2().handle(socket, context);
    else this.http.handle(socket, context);
  }

  /** A handshake ended (secure, failed, timed out or closed). */
  handshakeDone(handshake: Handshake): void {
    this.pending.delete(handshake);
    if (this.pending.size === 0) this.pendingSettled?.();
  }

  private compile(route: ListenerRoute): void {
    const result = this.compiler.compile(route.listener.tls, route.certificates, true);
    this.problems = result.problems;
    if (result.tls !== null) this.compiled = result.tls;
    // Fail closed: settings that ask for Mutual Authentication and can't be used must not leave the
    // listener admitting clients without certificates under its last (weaker) settings.
    else if (route.listener.tls?.caCertificateId != null && this.compiled?.mutual === false) this.compiled = null;
  }

  /** The HTTP/2 handler, made at the first "h2" connection; it shares the HTTP/1.1 handler's backend pools. */
  private http2(): Http2Handler {
    return (this.h2 ??= createHttp2Handler(this.route, this.options.http, this.http.upstreams));
  }
}

/** Creates the connection handler of an HTTPS listener (Trusted IPs compiled with access-control's `compileAddressSet`). */
export function createHttpsHandler(route: ListenerRoute, options: HttpsHandlerOptions = {}): HttpsHandler {
  return new HttpsHandler(route, { ...options, http: { compileTrustedIps: compileAddressSet, ...options.http } });
}
