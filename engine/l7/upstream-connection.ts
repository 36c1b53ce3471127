import net from "node:net";
import { directFd, writeLatin1, writeLatin1Bytes } from "../io/direct-write";
import { SharedReadBuffer } from "../io/shared-read-buffer";
import { ResponseParser } from "./http1/response-parser";

/** Who receives a backend connection's events while it carries a request. */
export interface UpstreamOwner {
  onUpstreamConnect(): void;
  /** Backend bytes in a shared read buffer: valid only during the call, copy what must outlive it. */
  onUpstreamData(chunk: Buffer): void;
  onUpstreamDrain(): void;
  /** The backend sent FIN. */
  onUpstreamEnd(): void;
  /** Socket error, or closed without FIN; `err` null for a plain close. */
  onUpstreamError(err: Error | null): void;
}

/** What a connection needs from the pool that made it. */
export interface UpstreamHome {
  /** The connection died; forget it if it sits idle. */
  discard(conn: UpstreamConnection): void;
}

/**
 * One read buffer shared by every backend socket (Node's `onread`): it skips the Readable stream
 * machinery and a buffer allocation per read. Safe because reads are handled synchronously and
 * nothing keeps a reference past the callback: the proxy copies whatever it forwards.
 */
const READ_BUFFER = new SharedReadBuffer(64 * 1024);

/** The error an owner sees when a connect times out (one shared object: no stack per timeout). */
const CONNECT_TIMEOUT = new Error("backend connect timeout");

/** The connection a backend socket belongs to (one property on the socket: the shared handlers below find it). */
const UPSTREAM = Symbol("UpstreamConnection");
type UpstreamSocket = net.Socket & { [UPSTREAM]: UpstreamConnection };

// Socket handlers shared by every backend connection (Node calls them with `this` = the socket): no closure per connection.
function onSocketRead(this: UpstreamSocket, nread: number, buf: Uint8Array): boolean {
  return this[UPSTREAM].onRead(nread, buf);
}
function onSocketConnect(this: UpstreamSocket): void {
  this[UPSTREAM].onConnect();
}
function onSocketDrain(this: UpstreamSocket): void {
  this[UPSTREAM].owner?.onUpstreamDrain();
}
function onSocketEnd(this: UpstreamSocket): void {
  this[UPSTREAM].onEnd();
}
function onSocketError(this: UpstreamSocket, err: Error): void {
  this[UPSTREAM].onError(err);
}
function onSocketClose(this: UpstreamSocket): void {
  this[UPSTREAM].onClose();
}
/** Connect timer callback (the connection is the timer's argument). */
function connectTimedOut(conn: UpstreamConnection): void {
  conn.timeOut();
}

/**
 * One keep-alive TCP connection to a backend server. Socket events go to the current owner (one
 * request at a time); while idle in its pool, any data or close makes it unusable and it is dropped.
 * Its socket handlers are functions shared by every connection; nothing is bound per request.
 */
export class UpstreamConnection {
  readonly socket: net.Socket;
  /** Request currently using the connection; null while idle. */
  owner: UpstreamOwner | null = null;
  /** TCP connect completed. */
  connected = false;
  /** Still usable: no error, close or FIN seen. */
  alive = true;
  /** Handed out from the idle list (it carried a request before): failure may be a stale keep-alive race. */
  reused = false;
  /** When it went idle (ms). */
  idleSince = 0;
  /** The connect did not complete within its timeout (the owner sees an error with this set). */
  timedOut = false;
  /** Response parser, reused for every response on this connection. */
  readonly response = new ResponseParser();
  /** The descriptor for direct writes (io/direct-write.ts), known once connected; -1 = through Node. */
  private fd = -1;
  /** This socket's own connect deadline (precise, unlike the handler's sweep); null once connected or gone. */
  private connectTimer: NodeJS.Timeout | null;

  constructor(
    private readonly home: UpstreamHome,
    host: string,
    port: number,
    /** Connect timeout; the connection fails with `timedOut` set when it passes. */
    connectTimeoutMs: number,
  ) {
    // onread's callback is called as socket[kBufferCb](nread, buffer): `this` is the socket.
    const onread = { buffer: READ_BUFFER.buf, callback: onSocketRead as (nread: number, buf: Uint8Array) => boolean };
    const socket = net.connect({ host, port, noDelay: true, onread }) as UpstreamSocket;
    socket[UPSTREAM] = this;
    this.socket = socket;
    this.connectTimer = setTimeout(connectTimedOut, connectTimeoutMs, this);
    this.connectTimer.unref();
    socket.on("connect", onSocketConnect);
    socket.on("drain", onSocketDrain);
    socket.on("end", onSocketEnd);
    socket.on("error", onSocketError);
    socket.on("close", onSocketClose);
  }

  /** Writes a latin1 string (a request head, a buffered body): returns false once it had to be queued. */
  write(data: string): boolean {
    return writeLatin1(this.socket, this.fd, data);
  }

  /** Writes bytes[start, end) of a read buffer (valid only now; copied only if they must wait): as `write`. */
  writeBytes(bytes: Buffer, start: number, end: number): boolean {
    return writeLatin1Bytes(this.socket, this.fd, "", bytes, start, end);
  }

  /** Ends the connection now. */
  destroy(): void {
    this.clearConnectTimer();
    this.alive = false;
    this.owner = null;
    this.socket.destroy();
  }

  /** The connect timed out (own timer, or the owner's backstop): fails the connection as a timeout. */
  timeOut(): void {
    this.connectTimer = null;
    if (this.connected || !this.alive) return;
    this.timedOut = true;
    this.onError(CONNECT_TIMEOUT);
    this.socket.destroy();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) {
      clearTimeout(this.connectTimer);
      this.connectTimer = null;
    }
  }

  /** Socket handler: the TCP connect completed. */
  onConnect(): void {
    this.clearConnectTimer();
    this.connected = true;
    this.fd = directFd(this.socket);
    this.owner?.onUpstreamConnect();
  }

  /** Socket handler: bytes in the shared READ_BUFFER, valid only during this call. */
  onRead(nread: number, buf: Uint8Array): boolean {
    const owner = this.owner;
    if (owner !== null) owner.onUpstreamData(READ_BUFFER.chunk(nread, buf as Buffer));
    else this.destroy(); // unsolicited bytes on an idle connection: it can no longer be trusted
    return true;
  }

  /** Socket handler: the backend sent FIN. */
  onEnd(): void {
    this.alive = false;
    const owner = this.owner;
    if (owner !== null) owner.onUpstreamEnd();
    else this.home.discard(this);
  }

  /** Socket handler (and the connect timeout): the connection failed. */
  onError(err: Error): void {
    this.alive = false;
    const owner = this.owner;
    this.owner = null;
    if (owner !== null) owner.onUpstreamError(err);
    this.home.discard(this);
  }

  /** Socket handler: the socket closed. */
  onClose(): void {
    this.clearConnectTimer();
    this.alive = false;
    const owner = this.owner;
    this.owner = null;
    this.home.discard(this);
    if (owner !== null) owner.onUpstreamError(null);
  }
}
