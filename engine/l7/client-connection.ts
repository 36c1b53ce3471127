import type net from "node:net";
import { directFd, writeLatin1, writeLatin1Bytes } from "../io/direct-write";
import { readInto } from "../io/socket-reader";
import { SharedReadBuffer } from "../io/shared-read-buffer";
import type { ConnectionContext } from "../observe/observer.types";
import { ClientRouteCache } from "./client-route-cache";
import type { CompiledRoute } from "./compiled-route";
import { ConnectionTimer } from "./connection-timer";
import { isClosing, type ClientState, type TimerKind } from "./connection-state";
import { statusOf, type ProxyErrorKind } from "./errors";
import { Exchange } from "./exchange";
import type { ClientSide, ProxyHost, RequestReaderConnection } from "./exchange.types";
import { generatedResponse } from "./generated-response";
import { BodyFramer } from "./http1/body-framer";
import type { HeadLimits } from "./http1/head-reader";
import { RequestParser } from "./http1/request-parser";
import { feedRequests, forwardRequestBody, stashPipelined } from "./request-reader";

/**
 * One read buffer shared by every client socket: reads are handled synchronously and whatever
 * must outlive a read (pipelined bytes, body bytes, partial heads) is copied.
 */
const CLIENT_READ_BUFFER = new SharedReadBuffer(64 * 1024);

/** How long a closing connection waits for the client's FIN before it is destroyed (lingering close). */
const LINGER_MS = 5_000;

/**
 * A head that arrived in pieces is accumulated in the parser's own buffer, which it keeps for the
 * next request; a parser whose buffer grew past this is dropped instead of lent again.
 */
const KEEP_HEAD_BUFFER_BYTES = 4 * 1024;

/** Spare parsers and body framers kept per handler at most (the peak of requests in flight, bounded). */
const MAX_SPARES = 1024;

/**
 * Request parsers and request body framers of one handler's connections, lent for one request at a
 * time: a connection takes them when a request head starts and gives them back when the exchange is
 * over, so idle keep-alive connections hold none and the handler keeps about as many as requests
 * were in flight at once, reused without allocation.
 */
class RequestSpares {
  private readonly parsers: RequestParser[] = [];
  private readonly framers: BodyFramer[] = [];

  constructor(private readonly limits: HeadLimits) {}

  parser(): RequestParser {
    return this.parsers.pop() ?? new RequestParser(this.limits);
  }

  framer(): BodyFramer {
    return this.framers.pop() ?? new BodyFramer();
  }

  /** Takes a parser back, unless it holds a partial head or grew a large head buffer (then it is dropped with it). */
  giveParser(parser: RequestParser): void {
    // A head that came in pieces went through the parser's own buffer: headBuf is that buffer once the
    // head is complete (empty while it is not: its size unknown, it goes too).
    const own = parser.headBuf.length;
    if (parser.partial && (own === 0 || own > KEEP_HEAD_BUFFER_BYTES)) return;
    if (this.parsers.length >= MAX_SPARES) return;
    parser.reset();
    this.parsers.push(parser);
  }

  giveFramer(framer: BodyFramer): void {
    if (this.framers.length < MAX_SPARES) this.framers.push(framer);
  }
}

/** One RequestSpares per handler, found by its (per-handler) request limits. */
const SPARES = new WeakMap<HeadLimits, RequestSpares>();

function sparesFor(limits: HeadLimits): RequestSpares {
  let spares = SPARES.get(limits);
  if (spares === undefined) SPARES.set(limits, (spares = new RequestSpares(limits)));
  return spares;
}

/** The connection a client socket belongs to (one property on the socket: the shared handlers below find it). */
const CONNECTION = Symbol("ClientConnection");
type ClientSocket = net.Socket & { [CONNECTION]: ClientConnection };

// Socket handlers, shared by every connection (Node calls them with `this` = the socket): no closure per connection.
function onSocketRead(this: ClientSocket, nread: number, buf: Buffer): void {
  this[CONNECTION].onRead(nread, buf);
}
function onSocketDrain(this: ClientSocket): void {
  this[CONNECTION].onDrain();
}
function onSocketEnd(this: ClientSocket): void {
  this[CONNECTION].onEnd();
}
function onSocketError(): void {
  // 'close' follows and cleans up
}
function onSocketClose(this: ClientSocket): void {
  this[CONNECTION].onClose();
}

/**
 * One client connection of an HTTP listener: socket events, keep-alive per HTTP/1.1 (or 1.0
 * keep-alive) between exchanges, closing (lingering only when needed) and its timeouts through
 * one deadline checked by the handler's sweep. Reading requests is request-reader.ts; forwarding
 * one is the Exchange. Bytes and open/close go to the connection context's observer.
 *
 * Memory: an idle keep-alive connection is the socket, this object and its context. The socket
 * handlers are shared functions (no closure per connection), the deadline's fields live in this
 * object (it extends ConnectionTimer), and the per-request state — parser, request body framer,
 * exchange, the cached client lines (X-Forwarded-For, …) — is built at the first request and dropped by the
 * handler's sweep once the connection sat idle through two sweeps without a byte (`onTick`); a
 * connection that keeps sending keeps it, so busy connections allocate nothing per request.
 */
export class ClientConnection extends ConnectionTimer implements ClientSide, RequestReaderConnection {
  state: ClientState = "head";
  keepAlive = true;
  clientEnded = false;
  progress = 0;
  pending: Buffer | null = null;
  feeding = false;
  headStarted = false;
  headStartedAt = 0;
  /** `progress` when a sweep last saw the connection idle (-1 = it was busy): two alike → shed. */
  private idleMark = -1;
  /** The 'drain' handler is attached (at the first write the socket could not take at once). */
  private drainHooked = false;
  private readonly spares: RequestSpares;
  private parserOrNull: RequestParser | null = null;
  private bodyOrNull: BodyFramer | null = null;
  private exchangeOrNull: Exchange | null = null;
  private clientRouteOrNull: ClientRouteCache | null = null;
  /** The descriptor for direct writes (io/direct-write.ts); -1 = through Node (TLS). */
  private readonly fd: number;

  constructor(
    readonly proxy: ProxyHost,
    readonly socket: net.Socket,
    readonly context: ConnectionContext,
  ) {
    super();
    this.spares = sparesFor(proxy.options.requestLimits);
    // We answer a request even after the client half-closes; we close our side ourselves.
    (socket as { allowHalfOpen: boolean }).allowHalfOpen = true;
    socket.setNoDelay(true);
    const owned = socket as ClientSocket;
    owned[CONNECTION] = this;
    context.observer.connectionOpened(context);
    readInto(owned, CLIENT_READ_BUFFER.buf, onSocketRead);
    this.fd = directFd(socket);
    socket.on("end", onSocketEnd);
    socket.on("error", onSocketError);
    socket.on("close", onSocketClose);
    this.setTimer("head", proxy.options.headTimeoutMs);
  }

  get clientIp(): string {
    return this.context.clientAddress;
  }

  /** The parser of the request head in flight, taken from the handler's spares when a head starts (see the class comment). */
  get parser(): RequestParser {
    return (this.parserOrNull ??= this.spares.parser());
  }

  /** Request body framing of the request in flight, taken from the handler's spares. */
  get body(): BodyFramer {
    return (this.bodyOrNull ??= this.spares.framer());
  }

  /** The exchange of the request in flight (reused for the next request), built when a request starts. */
  get exchange(): Exchange {
    return (this.exchangeOrNull ??= new Exchange(this));
  }

  /** The client lines and the peer's trust per route, built at the first request (and again after a shed). */
  private get clientRoute(): ClientRouteCache {
    return (this.clientRouteOrNull ??= new ClientRouteCache(this.context));
  }

  clientFields(route: CompiledRoute): string {
    return this.clientRoute.linesUnder(route);
  }

  clientTrusted(route: CompiledRoute): boolean {
    return this.clientRoute.clientTrustedUnder(route);
  }

  write(data: string | Buffer): boolean {
    if (this.state === "closed") return true;
    const context = this.context;
    context.bytesOut += data.length; // latin1: one char per byte
    context.observer.bytesOut(context, data.length);
    const ok = typeof data === "string" ? writeLatin1(this.socket, this.fd, data) : this.socket.write(data);
    if (!ok) this.hookDrain();
    return ok;
  }

  writeBytes(head: string, bytes: Buffer, start: number, end: number): boolean {
    if (this.state === "closed") return true;
    const context = this.context;
    const n = head.length + end - start; // latin1: one char per byte
    context.bytesOut += n;
    context.observer.bytesOut(context, n);
    const ok = writeLatin1Bytes(this.socket, this.fd, head, bytes, start, end);
    if (!ok) this.hookDrain();
    return ok;
  }

  private hookDrain(): void {
    if (!this.drainHooked) {
      // Only a connection that ever filled its socket buffer needs 'drain' (idle ones carry no handler).
      this.drainHooked = true;
      this.socket.on("drain", onSocketDrain);
    }
  }

  /** The kind of deadline armed now. */
  get timerKind(): TimerKind {
    return this.kind;
  }

  setTimer(kind: TimerKind, ms: number): void {
    this.arm(kind, ms, this.proxy.sweepMs, this.progress);
  }

  /** Called by the handler's sweep. */
  onTick(now: number): void {
    const state = this.state;
    if (state === "body" && this.exchangeOrNull!.checkBodyRate(now)) return; // slow POST: once per sweep, not per chunk
    if (state === "head" && !this.headStarted && this.kind === "idle") {
      // Idle between requests: silent through two sweeps → drop the per-request state.
      if (this.idleMark === this.progress) this.shed();
      else this.idleMark = this.progress;
    } else this.idleMark = -1;
    const kind = this.expired(now, this.progress);
    switch (kind) {
      case "none":
        return;
      case "head":
        if (this.headStarted) this.reject("request_timeout");
        else this.destroy();
        break;
      case "body":
      case "connect":
      case "response":
      case "stream":
        this.exchange.onTimeout(kind);
        break;
      default: // idle keep-alive, tunnel idle, linger
        this.destroy();
    }
  }

  exchangeDone(reuse: boolean): void {
    if (isClosing(this.state)) return;
    if (!reuse || !this.keepAlive || this.proxy.draining || this.clientEnded || this.state === "body") {
      // Linger only when the client may still be sending (unread body or pipelined requests).
      this.closeGracefully(this.state === "body" || this.pending !== null);
      return;
    }
    this.state = "head";
    this.giveBack();
    this.headStarted = false;
    this.headStartedAt = 0;
    this.setTimer("idle", this.proxy.route.idleTimeoutMs);
    if (this.socket.isPaused()) this.socket.resume();
    const pending = this.pending;
    if (pending !== null && !this.feeding) {
      this.pending = null;
      feedRequests(this, pending, 0);
    }
  }

  reject(kind: ProxyErrorKind): void {
    const context = this.context;
    context.observer.error(context, kind, null);
    const status = statusOf(kind);
    const response = generatedResponse(status, true, this.parser.versionMinor);
    this.write(response);
    this.exchange.rejected(kind, status, response);
    this.closeGracefully();
  }

  startTunnel(): void {
    this.state = "tunnel";
    this.giveBack(); // no more heads on this connection
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) this.exchange.tunnelToBackend(pending, true);
    if (this.socket.isPaused()) this.socket.resume();
  }

  /**
   * Handler drain: close now when idle between requests, otherwise after the in-flight response. A
   * connection still waiting for its first request (deadline "head") is not idle: its client has just
   * connected and its request may be on the way (an engine upgrade drains the old process right after
   * its last accepts); it gets that request answered, with Connection: close, or the head timeout.
   */
  drain(): void {
    if (this.state === "head" && !this.headStarted && this.kind === "idle") this.closeGracefully();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** The request is over: its parser and body framer go back to the handler's spares. */
  private giveBack(): void {
    const parser = this.parserOrNull;
    if (parser !== null) {
      this.parserOrNull = null;
      this.spares.giveParser(parser);
    }
    const body = this.bodyOrNull;
    if (body !== null) {
      this.bodyOrNull = null;
      this.spares.giveFramer(body);
    }
  }

  /** Drops the exchange of an idle connection (rebuilt by the getter at the next request). */
  private shed(): void {
    const exchange = this.exchangeOrNull;
    if (exchange !== null) {
      exchange.cancel(); // over already: only drops a shaper hold, if any
      this.exchangeOrNull = null;
    }
    this.clientRouteOrNull = null;
    this.idleMark = -1;
  }

  /**
   * Closes after the last response. With `linger` (the client may still be sending): FIN, then
   * read and discard until the client's FIN, so unread input cannot turn into a reset that
   * destroys our last response. Without it, and with everything already handed to the kernel,
   * the socket closes at once, as nginx does: the kernel still delivers the data, then FIN.
   */
  closeGracefully(linger = true): void {
    if (isClosing(this.state)) return;
    this.state = "closing";
    this.pending = null;
    if ((!linger || this.clientEnded) && this.socket.writableLength === 0) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    if (this.socket.isPaused()) this.socket.resume();
    this.setTimer("linger", LINGER_MS);
  }

  /** Socket read (shared buffer, valid during the call only). */
  onRead(nread: number, buf: Buffer): void {
    const chunk = CLIENT_READ_BUFFER.chunk(nread, buf);
    this.progress++;
    const context = this.context;
    context.bytesIn += nread;
    context.observer.bytesIn(context, nread);
    switch (this.state) {
      case "head":
        feedRequests(this, chunk, 0);
        break;
      case "body": {
        const stop = forwardRequestBody(this, chunk, 0);
        if (stop < chunk.length) stashPipelined(this, chunk, stop);
        break;
      }
      case "wait":
        stashPipelined(this, chunk, 0);
        break;
      case "tunnel":
        this.exchange.tunnelToBackend(chunk, false);
        break;
    }
  }

  onDrain(): void {
    this.progress++;
    this.exchangeOrNull?.onClientDrain();
  }

  onEnd(): void {
    this.clientEnded = true;
    switch (this.state) {
      case "head":
        this.closeGracefully();
        break;
      case "body": // request cut short: nothing sensible to forward
        this.destroy();
        break;
      case "tunnel":
        this.exchange.tunnelClientEnded();
        break;
      // "wait": answer, then close (exchangeDone sees clientEnded)
    }
  }

  onClose(): void {
    this.state = "closed";
    this.clear();
    this.pending = null;
    this.exchangeOrNull?.cancel();
    this.giveBack();
    const context = this.context;
    context.observer.connectionClosed(context);
    this.proxy.connectionClosed(this);
  }
}
