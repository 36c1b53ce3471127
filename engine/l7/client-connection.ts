import type net from "node:net";
import { ProxyError, requestParseErrorKind, statusOf, type ProxyErrorKind } from "./errors";
import { Exchange } from "./exchange";
import { generatedResponse } from "./generated-response";
import { BodyFramer, BodyMode } from "./http1/body-framer";
import { copyOf } from "./http1/bytes";
import { INVALID, NEED_MORE } from "./http1/head-reader";
import { RequestParser } from "./http1/request-parser";
import { coarseClock } from "./coarse-clock";
import type { CompiledRoute } from "./compiled-route";
import { readInto } from "./socket-reader";
import {
  PROGRESS_TIMER, S_BODY, S_CLOSED, S_CLOSING, S_HEAD, S_TUNNEL, S_WAIT, T_BODY, T_CONNECT, T_HEAD, T_IDLE,
  T_LINGER, T_NONE, T_RESPONSE, T_STREAM, type ProxyContext,
} from "./proxy-context";

/**
 * One read buffer shared by every client socket: reads are handled synchronously and whatever
 * must outlive a read (pipelined bytes, body bytes, partial heads) is copied.
 */
const CLIENT_READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Pipelined bytes buffered while a request is in flight before the socket stops reading. */
const MAX_PIPELINED_BYTES = 64 * 1024;
/** How long a closing connection waits for the client's FIN before it is destroyed (lingering close). */
const LINGER_MS = 5_000;

/**
 * One client connection of an HTTP listener: reads request heads (strict parser), streams request
 * bodies to the current Exchange, processes pipelined requests strictly one after another, keeps
 * the connection alive per HTTP/1.1 (or 1.0 keep-alive), and enforces its timeouts through one
 * deadline checked by the handler's sweep. All handlers are bound once per connection.
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
  private readonly exchange: Exchange;
  private pending: Buffer | null = null;
  private feeding = false;
  private headStarted = false;
  private timer = T_NONE;
  private timerMs = 0;
  private deadline = 0;
  private seenProgress = 0;
  private fieldsRoute: CompiledRoute | null = null;
  private fields = "";

  constructor(
    readonly ctx: ProxyContext,
    readonly socket: net.Socket,
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

  /**
   * Arms the connection's single timer. The coarse clock may lag by one sweep period, so one period
   * is added: a deadline never fires early, and at most two periods (≤ half the timeout) late.
   */
  setTimer(kind: number, ms: number): void {
    this.timer = kind;
    this.timerMs = ms;
    this.deadline = coarseClock.now + this.ctx.sweepMs + ms;
    this.seenProgress = this.progress;
  }

  /** Called by the handler's sweep. */
  onTick(now: number): void {
    const kind = this.timer;
    if (kind === T_NONE) return;
    if (PROGRESS_TIMER[kind] && this.progress !== this.seenProgress) {
      this.seenProgress = this.progress;
      this.deadline = now + this.timerMs;
      return;
    }
    if (now < this.deadline) return;
    this.timer = T_NONE;
    switch (kind) {
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
      this.feed(pending, 0);
    }
  }

  /** Answers a client error with a generated response and closes. */
  reject(kind: ProxyErrorKind): void {
    const onError = this.ctx.options.onError;
    if (onError !== null) onError(new ProxyError(kind));
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

  private feed(buf: Buffer, start: number): void {
    this.feeding = true;
    for (;;) {
      while (start < buf.length) {
        if (this.state !== S_HEAD) {
          this.stash(buf, start);
          break;
        }
        if (!this.headStarted) {
          this.headStarted = true;
          if (this.timer !== T_HEAD) this.setTimer(T_HEAD, this.ctx.options.headTimeoutMs);
        }
        const r = this.parser.execute(buf, start);
        if (r === NEED_MORE) break;
        if (r === INVALID) {
          this.reject(requestParseErrorKind(this.parser.error));
          break;
        }
        start = r;
        this.beginRequest();
        if (this.state === S_BODY) start = this.forwardBody(buf, start);
      }
      const pending = this.pending;
      if (this.state !== S_HEAD || pending === null) break;
      this.pending = null;
      buf = pending;
      start = 0;
    }
    this.feeding = false;
  }

  private beginRequest(): void {
    const p = this.parser;
    this.keepAlive = p.keepAlive;
    const body = this.body;
    if (p.chunked) body.start(BodyMode.CHUNKED);
    else if (p.contentLength > 0) body.start(BodyMode.LENGTH, p.contentLength);
    else body.start(BodyMode.NONE);
    this.state = body.done ? S_WAIT : S_BODY;
    this.exchange.start();
  }

  /** Forwards body bytes of buf[start..]; returns where the body ended. */
  private forwardBody(buf: Buffer, start: number): number {
    const body = this.body;
    const stop = body.consume(buf, start, buf.length);
    if (body.error !== 0) {
      this.exchange.clientFailed("bad_request");
      return buf.length;
    }
    if (stop > start) this.exchange.sendBody(buf, start, stop);
    if (body.done && this.state === S_BODY) {
      this.state = S_WAIT;
      this.exchange.requestSent();
    }
    return stop;
  }

  private stash(buf: Buffer, start: number): void {
    if (this.state >= S_CLOSING) return;
    const part = copyOf(buf, start, buf.length);
    this.pending = this.pending === null ? part : Buffer.concat([this.pending, part]);
    if (this.pending.length > MAX_PIPELINED_BYTES) this.socket.pause();
  }

  private onRead = (nread: number, buf: Buffer): void => {
    const chunk = buf.subarray(0, nread);
    this.progress++;
    switch (this.state) {
      case S_HEAD:
        this.feed(chunk, 0);
        break;
      case S_BODY: {
        const stop = this.forwardBody(chunk, 0);
        if (stop < chunk.length) this.stash(chunk, stop);
        break;
      }
      case S_WAIT:
        this.stash(chunk, 0);
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
    this.timer = T_NONE;
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
