import type net from "node:net";
import type { TokenBucket } from "../limits/token-bucket";
import { reportError, statusOf, type ProxyErrorKind } from "./errors";
import { Exchange } from "./exchange";
import { generatedResponse } from "./generated-response";
import { BodyFramer } from "./http1/body-framer";
import { RequestParser } from "./http1/request-parser";
import { feedRequests, forwardRequestBody, stashPipelined } from "./request-reader";
import { ConnectionTimer } from "./connection-timer";
import type { CompiledRoute } from "./compiled-route";
import { readInto } from "../io/socket-reader";
import {
  S_BODY, S_CLOSED, S_CLOSING, S_HEAD, S_TUNNEL, S_WAIT, T_BODY, T_CONNECT, T_HEAD, T_IDLE,
  T_LINGER, T_NONE, T_RESPONSE, T_STREAM, type ProxyContext,
} from "./proxy-context";

/**
 * One read buffer shared by every client socket: reads are handled synchronously and whatever
 * must outlive a read (pipelined bytes, body bytes, partial heads) is copied.
 */
const CLIENT_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** How long a closing connection waits for the client's FIN before it is destroyed (lingering close). */
const LINGER_MS = 5_000;

/**
 * One client connection of an HTTP listener: socket events, keep-alive per HTTP/1.1 (or 1.0
 * keep-alive) between exchanges, closing (lingering only when needed) and its timeouts through
 * one deadline checked by the handler's sweep. Reading requests is request-reader.ts; forwarding
 * one is the Exchange. All handlers are bound once per connection.
 */
export class ClientConnection {
  readonly clientIp: string;
  readonly parser: RequestParser;
  readonly body = new BodyFramer();
  /** Connection state (S_*). */
  state: number = S_HEAD;
  /** The current request wants the connection kept. */
  keepAlive = true;
  /** The client sent FIN. */
  clientEnded = false;
  /** Bumped by every read/drain; progress-based timers watch it. */
  progress = 0;
  // State shared with request-reader.ts (the request half); not for use outside engine/l7.
  readonly exchange: Exchange;
  /** Bytes received while a request was in flight (pipelining), a private copy. */
  pending: Buffer | null = null;
  /** Inside feedRequests (completions must not re-enter it). */
  feeding = false;
  /** Some byte of the current request head arrived. */
  headStarted = false;
  readonly timer = new ConnectionTimer();
  private fieldsRoute: CompiledRoute | null = null;
  private fields = "";

  constructor(
    readonly ctx: ProxyContext,
    readonly socket: net.Socket,
    /** Bucket of the limited address (EIP) the client connected to: shapes response bytes; null = unlimited. */
    readonly bandwidth: TokenBucket | null = null,
  ) {
    // We answer a request even after the client half-closes; we close our side ourselves.
    (socket as { allowHalfOpen: boolean }).allowHalfOpen = true;
    socket.setNoDelay(true);
    this.clientIp = normalizeIp(socket.remoteAddress);
    this.parser = new RequestParser(ctx.options.requestLimits);
    this.exchange = new Exchange(this);
    readInto(socket, CLIENT_READ_BUFFER, this.onRead);
    socket.on("drain", this.onDrain);
    socket.on("end", this.onEnd);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
    this.setTimer(T_HEAD, ctx.options.headTimeoutMs);
  }

  /** `X-Forwarded-For: <client ip>\r\n` + the route's fixed X-Forwarded-* lines, cached per route. */
  clientFields(route: CompiledRoute): string {
    if (this.fieldsRoute !== route) {
      this.fieldsRoute = route;
      this.fields = `X-Forwarded-For: ${this.clientIp}\r\n${route.forwardedFields}`;
    }
    return this.fields;
  }

  /** Writes to the client (strings as latin1); false = buffer full, wait for drain. */
  write(data: string | Buffer): boolean {
    if (this.state === S_CLOSED) return true;
    return typeof data === "string" ? this.socket.write(data, "latin1") : this.socket.write(data);
  }

  /** Arms the connection's single timer (connection-timer.ts). */
  setTimer(kind: number, ms: number): void {
    this.timer.arm(kind, ms, this.ctx.sweepMs, this.progress);
  }

  /** Called by the handler's sweep. */
  onTick(now: number): void {
    const kind = this.timer.expired(now, this.progress);
    switch (kind) {
      case T_NONE:
        return;
      case T_HEAD:
        if (this.headStarted) this.reject("request_timeout");
        else this.destroy();
        break;
      case T_BODY:
      case T_CONNECT:
      case T_RESPONSE:
      case T_STREAM:
        this.exchange.onTimeout(kind);
        break;
      default: // idle keep-alive, tunnel idle, linger
        this.destroy();
    }
  }

  /** The current exchange is over; `reuse` = the response allows another request on this connection. */
  exchangeDone(reuse: boolean): void {
    if (this.state >= S_CLOSING) return;
    if (!reuse || !this.keepAlive || this.ctx.draining || this.clientEnded || this.state === S_BODY) {
      // Linger only when the client may still be sending (unread body or pipelined requests).
      this.closeGracefully(this.state === S_BODY || this.pending !== null);
      return;
    }
    this.state = S_HEAD;
    this.parser.reset();
    this.headStarted = false;
    this.setTimer(T_IDLE, this.ctx.route.idleTimeoutMs);
    if (this.socket.isPaused()) this.socket.resume();
    const pending = this.pending;
    if (pending !== null && !this.feeding) {
      this.pending = null;
      feedRequests(this, pending, 0);
    }
  }

  /** Answers a client error with a generated response and closes. */
  reject(kind: ProxyErrorKind): void {
    reportError(this.ctx.options.onError, kind);
    this.write(generatedResponse(statusOf(kind), true, this.parser.versionMinor));
    this.closeGracefully();
  }

  /** Switches to WebSocket/upgrade tunnelling: buffered client bytes go to the backend first. */
  startTunnel(): void {
    this.state = S_TUNNEL;
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) this.exchange.tunnelToBackend(pending, true);
    if (this.socket.isPaused()) this.socket.resume();
  }

  /** Handler drain: close now when idle, otherwise after the in-flight response. */
  drain(): void {
    if (this.state === S_HEAD && !this.headStarted) this.closeGracefully();
  }

  /** Ends the connection now. */
  destroy(): void {
    this.socket.destroy();
  }

  /**
   * Closes after the last response. With `linger` (the client may still be sending): FIN, then
   * read and discard until the client's FIN, so unread input cannot turn into a reset that
   * destroys our last response. Without it, and with everything already handed to the kernel,
   * the socket closes at once, as nginx does: the kernel still delivers the data, then FIN.
   */
  closeGracefully(linger = true): void {
    if (this.state >= S_CLOSING) return;
    this.state = S_CLOSING;
    this.pending = null;
    if ((!linger || this.clientEnded) && this.socket.writableLength === 0) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    if (this.socket.isPaused()) this.socket.resume();
    this.setTimer(T_LINGER, LINGER_MS);
  }

  private onRead = (nread: number, buf: Buffer): void => {
    const chunk = buf.subarray(0, nread);
    this.progress++;
    switch (this.state) {
      case S_HEAD:
        feedRequests(this, chunk, 0);
        break;
      case S_BODY: {
        const stop = forwardRequestBody(this, chunk, 0);
        if (stop < chunk.length) stashPipelined(this, chunk, stop);
        break;
      }
      case S_WAIT:
        stashPipelined(this, chunk, 0);
        break;
      case S_TUNNEL:
        this.exchange.tunnelToBackend(chunk, false);
        break;
    }
  };

  private onDrain = (): void => {
    this.progress++;
    this.exchange.onClientDrain();
  };

  private onEnd = (): void => {
    this.clientEnded = true;
    switch (this.state) {
      case S_HEAD:
        this.closeGracefully();
        break;
      case S_BODY: // request cut short: nothing sensible to forward
        this.destroy();
        break;
      case S_TUNNEL:
        this.exchange.tunnelClientEnded();
        break;
      // S_WAIT: answer, then close (exchangeDone sees clientEnded)
    }
  };

  private onError = (): void => {
    // 'close' follows and cleans up
  };

  private onClose = (): void => {
    this.state = S_CLOSED;
    this.timer.clear();
    this.pending = null;
    this.exchange.cancel();
    this.ctx.connectionClosed(this);
  };
}

/** Client address as plain IPv4 when it arrived as an IPv4-mapped IPv6 address. */
function normalizeIp(address: string | undefined): string {
  if (address === undefined) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
