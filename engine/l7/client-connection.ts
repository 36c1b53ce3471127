import type net from "node:net";
import { readInto } from "../io/socket-reader";
import type { ConnectionContext } from "../observe/observer.types";
import type { CompiledRoute } from "./compiled-route";
import { ConnectionTimer } from "./connection-timer";
import { isClosing, type ClientState, type TimerKind } from "./connection-state";
import { statusOf, type ProxyErrorKind } from "./errors";
import { Exchange } from "./exchange";
import type { ClientSide, ProxyHost, RequestReaderConnection } from "./exchange.types";
import { generatedResponse } from "./generated-response";
import { BodyFramer } from "./http1/body-framer";
import { RequestParser } from "./http1/request-parser";
import { feedRequests, forwardRequestBody, stashPipelined } from "./request-reader";

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
 * one is the Exchange. All handlers are bound once per connection. Bytes and open/close go to the
 * connection context's observer.
 */
export class ClientConnection implements ClientSide, RequestReaderConnection {
  readonly clientIp: string;
  readonly parser: RequestParser;
  readonly body = new BodyFramer();
  state: ClientState = "head";
  keepAlive = true;
  clientEnded = false;
  progress = 0;
  readonly exchange: Exchange;
  pending: Buffer | null = null;
  feeding = false;
  headStarted = false;
  private readonly timer = new ConnectionTimer();
  private fieldsRoute: CompiledRoute | null = null;
  private fields = "";

  constructor(
    readonly proxy: ProxyHost,
    readonly socket: net.Socket,
    readonly context: ConnectionContext,
  ) {
    // We answer a request even after the client half-closes; we close our side ourselves.
    (socket as { allowHalfOpen: boolean }).allowHalfOpen = true;
    socket.setNoDelay(true);
    this.clientIp = context.clientAddress;
    this.parser = new RequestParser(proxy.options.requestLimits);
    this.exchange = new Exchange(this);
    context.observer.connectionOpened(context);
    readInto(socket, CLIENT_READ_BUFFER, this.onRead);
    socket.on("drain", this.onDrain);
    socket.on("end", this.onEnd);
    socket.on("error", this.onError);
    socket.on("close", this.onClose);
    this.setTimer("head", proxy.options.headTimeoutMs);
  }

  clientFields(route: CompiledRoute): string {
    if (this.fieldsRoute !== route) {
      this.fieldsRoute = route;
      this.fields = `X-Forwarded-For: ${this.clientIp}\r\n${route.forwardedFields}`;
    }
    return this.fields;
  }

  write(data: string | Buffer): boolean {
    if (this.state === "closed") return true;
    const context = this.context;
    context.bytesOut += data.length; // latin1: one char per byte
    context.observer.bytesOut(context, data.length);
    return typeof data === "string" ? this.socket.write(data, "latin1") : this.socket.write(data);
  }

  /** The kind of deadline armed now. */
  get timerKind(): TimerKind {
    return this.timer.kind;
  }

  setTimer(kind: TimerKind, ms: number): void {
    this.timer.arm(kind, ms, this.proxy.sweepMs, this.progress);
  }

  /** Called by the handler's sweep. */
  onTick(now: number): void {
    if (this.state === "body" && this.exchange.checkBodyRate(now)) return; // slow POST: once per sweep, not per chunk
    const kind = this.timer.expired(now, this.progress);
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
    this.parser.reset();
    this.headStarted = false;
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
    this.write(generatedResponse(status, true, this.parser.versionMinor));
    this.exchange.rejected(kind, status);
    this.closeGracefully();
  }

  startTunnel(): void {
    this.state = "tunnel";
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) this.exchange.tunnelToBackend(pending, true);
    if (this.socket.isPaused()) this.socket.resume();
  }

  /** Handler drain: close now when idle, otherwise after the in-flight response. */
  drain(): void {
    if (this.state === "head" && !this.headStarted) this.closeGracefully();
  }

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

  private onRead = (nread: number, buf: Buffer): void => {
    const chunk = buf.subarray(0, nread);
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
  };

  private onDrain = (): void => {
    this.progress++;
    this.exchange.onClientDrain();
  };

  private onEnd = (): void => {
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
  };

  private onError = (): void => {
    // 'close' follows and cleans up
  };

  private onClose = (): void => {
    this.state = "closed";
    this.timer.clear();
    this.pending = null;
    this.exchange.cancel();
    const context = this.context;
    context.observer.connectionClosed(context);
    this.proxy.connectionClosed(this);
  };
}
