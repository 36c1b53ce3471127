import net from "node:net";
import { tickClock } from "../io/coarse-clock";
import { directFd, writeLatin1Bytes } from "../io/direct-write";
import { readInto } from "../io/socket-reader";
import { ShapedWriter, type ShapedTarget } from "../io/shaped-writer";
import { connectTransparent, isTransparentRefusal } from "../io/transparent-socket";
import type { ConnectionContext } from "../observe/observer.types";
import type { ErrorKind } from "../observe/error-kind.types";
import { normalizeIp } from "../observe/connection-context";
import { proxyHeaderFor } from "../pools/client-ip-transport";
import { decodeProxyHeader } from "../protocol/proxy-protocol/decode";
import { memberFailed, memberSucceeded, type EjectionPolicy } from "../pools/passive-ejection";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";

/** Per-session settings, read from the handler's current route when the session starts. */
export interface TcpSessionOptions {
  /** Idle timeout (no bytes either way) in ms; the listener's idleTimeoutSeconds × 1000. */
  idleMs: number;
  /** Backend connect timeout in ms before trying the next member. */
  connectTimeoutMs: number;
  /** Passive ejection: failed connects (refused, timed out) count against the member, as on HTTP listeners. */
  ejection: EjectionPolicy;
}

/**
 * One read buffer shared by every L4 socket, both directions: reads are handled synchronously and
 * each chunk is copied before it is written on, so nothing refers to it after the callback.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Writes buf[0, n) to `to` (directly on `fd` when nothing is queued, else a private copy); false = buffer full. */
function forward(to: net.Socket, fd: number, buf: Buffer, n: number): boolean {
  return writeLatin1Bytes(to, fd, "", buf, 0, n);
}

/** Why the backend is paused (bits): the client's write buffer is full / bandwidth shaping holds a chunk. */
/** A first segment this long that is still a valid prefix of a PROXY header ("PROXY TC", CRLF CRLF NUL CRLF Q) is taken for one. */
const SPOOF_PREFIX = 8;
const PAUSE_WRITE = 1;
const PAUSE_SHAPE = 2;

/**
 * One client connection piped to one member. With Transfer Client IP Address on the pool
 * (`PoolRuntime.transferClientIp`, read once when the session starts): PROXY_V1/PROXY_V2 write a PROXY
 * header (encoded once per session) as the very first bytes of every backend connection, a failover
 * connection included, before any client byte is read; TRANSPARENT connects from the client's own
 * address (`io/transparent-socket.ts`), and a refusal there (EPERM without CAP_NET_ADMIN, a family the
 * member lacks) is reported as `connect_failed` and fails over, without counting against the member.
 */
export class TcpSession {
  /** Bumped by every read in either direction; watched by the idle sweep. */
  progress = 0;
  /** Progress value and time the idle sweep last saw it change. */
  seenProgress = -1;
  idleSince = 0;
  /** Backend connected: bytes flow and the idle timeout applies. */
  connected = false;
  private readonly clientIp: string;
  private backend: net.Socket | null = null;
  /** Descriptors for direct writes (io/direct-write.ts); -1 = through Node (the backend's until it connects). */
  private readonly clientFd: number;
  private backendFd = -1;
  private member: MemberRuntime | null = null;
  private tried: Set<MemberRuntime> | undefined;
  private attempts = 0;
  /** The last connect failed on our side (out of descriptors): no other member would do better. */
  private localFailure = false;
  private clientClosed = false;
  private clientEnded = false;
  /** PAUSE_* bits: why the backend is paused (0 = reading). */
  private backendPaused = 0;
  /** Shapes backend → client bytes on a limited address; null = unlimited. */
  private readonly shaper: ShapedWriter | null;
  /** The PROXY header every backend connection of this session starts with; null = none. */
  private readonly proxyHeader: Buffer | null;
  /** TRANSPARENT: the client's address, the source address of every backend connection; null = the engine's own. */
  private readonly sourceAddress: string | null;

  constructor(
    private readonly client: net.Socket,
    private readonly pool: PoolRuntime,
    readonly options: TcpSessionOptions,
    private readonly onDone: (session: TcpSession) => void,
    private readonly context: ConnectionContext,
  ) {
    this.clientIp = context.clientAddress;
    this.clientFd = directFd(client);
    this.shaper = context.bandwidth === null ? null : new ShapedWriter(context.bandwidth, this);
    const transport = pool.transferClientIp;
    this.sourceAddress = transport === "TRANSPARENT" ? context.clientAddress : null;
    // The destination is the listener address the client reached (a unit test's handler has no binding: the socket's own).
    this.proxyHeader =
      transport === null || transport === "TRANSPARENT"
        ? null
        : context.localAddress !== ""
          ? proxyHeaderFor(transport, "STREAM", context.clientAddress, context.clientPort, context.localAddress, context.localPort)
          : proxyHeaderFor(transport, "STREAM", context.clientAddress, context.clientPort, normalizeIp(client.localAddress), client.localPort ?? 0);
    context.observer.connectionOpened(context);
    client.allowHalfOpen = true;
    client.setNoDelay(true);
    client.on("error", this.onClientError);
    client.on("close", this.onClientClose);
    client.on("end", this.onClientEnd);
    client.on("drain", this.onClientDrain);
    this.connect(pool.pick(this.clientIp));
  }

  /** Tears both sides down at once (errors, idle timeout, end of a drain). */
  readonly abort = (): void => {
    this.client.destroy();
    this.backend?.destroy();
  };

  /** A client reset (RST) is passed on as a reset: an aborted upload must not reach the backend as a clean FIN. */
  private readonly onClientError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== "ECONNRESET") return this.abort();
    const backend = this.backend;
    if (this.connected && backend !== null && !backend.destroyed) backend.resetAndDestroy();
    this.client.destroy();
  };

  private connect(member: MemberRuntime | null): void {
    if (member === null && !this.clientClosed) this.report("no_member", null);
    if (member === null || this.clientClosed) return this.abort();
    this.attempts++;
    this.member = member;
    this.pool.acquire(member);
    const options = {
      host: member.config.address,
      port: member.config.port,
      allowHalfOpen: true,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: this.onBackendRead },
    };
    const sourceAddress = this.sourceAddress;
    // TRANSPARENT: from the client's address; a refusal (EPERM, other family) is the socket's 'error', a failed connect.
    const backend = sourceAddress === null ? net.connect(options) : connectTransparent({ ...options, sourceAddress });
    this.backend = backend;
    this.backendFd = -1;
    backend.setTimeout(this.options.connectTimeoutMs);
    backend.on("connect", this.onBackendConnect);
    backend.on("timeout", this.onBackendTimeout);
    backend.on("error", this.onBackendError);
    backend.on("close", this.onBackendClose);
    backend.on("end", this.onBackendEnd);
    backend.on("drain", this.onBackendDrain);
  }

  private readonly onBackendConnect = (): void => {
    const backend = this.backend;
    if (backend === null) return;
    const member = this.member;
    if (member !== null && member.failures !== 0) memberSucceeded(member); // the run of failures ends
    this.connected = true;
    this.seenProgress = this.progress;
    this.idleSince = Date.now();
    backend.setTimeout(0);
    this.backendFd = directFd(backend);
    // The header goes first, alone: no client byte has been read yet (client reads start below), and a
    // protocol where the server speaks first must not wait for the client to get its header.
    const header = this.proxyHeader;
    if (header !== null) backend.write(header);
    readInto(this.client, READ_BUFFER, this.onClientRead);
  };

  /** Client bytes → backend; a full backend buffer pauses the client. */
  private readonly onClientRead = (nread: number, buf: Buffer): void => {
    this.progress++;
    const context = this.context;
    if (context.proxyHeaderCheck && this.spoofsProxyHeader(buf, nread)) return;
    context.bytesIn += nread;
    context.observer.bytesIn(context, nread);
    const backend = this.backend;
    if (backend === null || backend.destroyed) return; // backend gone: discard (see finishClient)
    if (!forward(backend, this.backendFd, buf, nread)) this.client.pause();
  };

  /**
   * The first bytes of an untrusted peer on a listener that accepts the PROXY protocol (the accept path
   * handed it on without reading): a PROXY header there — a complete or malformed one, or a first segment
   * of at least SPOOF_PREFIX bytes that can only be the start of one — would claim another address, so the
   * connection is closed and reported as `proxy_protocol`; anything else is the client's data and the check
   * is done. A shorter prefix ("P", a bare CRLF: the v2 signature starts with CRLF CRLF) passes as data, so a
   * line protocol's empty first line is not refused.
   */
  private spoofsProxyHeader(buf: Buffer, nread: number): boolean {
    const context = this.context;
    context.proxyHeaderCheck = false;
    const status = decodeProxyHeader(buf, 0, nread).status;
    if (status === "absent" || (status === "incomplete" && nread < SPOOF_PREFIX)) return false;
    context.observer.error(context, "proxy_protocol", new Error(`PROXY header from an untrusted peer ${context.peerAddress}`));
    this.abort();
    return true;
  }

  /** Backend bytes → client; a full client buffer pauses the backend. */
  private readonly onBackendRead = (nread: number, buf: Buffer): boolean => {
    this.progress++;
    const client = this.client;
    if (client.destroyed) return true;
    const shaper = this.shaper;
    if (shaper !== null && !shaper.pass(buf, nread)) return true; // held: deliverHeld sends it
    this.sent(nread);
    if (!forward(client, this.clientFd, buf, nread)) this.pauseBackend(PAUSE_WRITE);
    return true;
  };

  private sent(bytes: number): void {
    const context = this.context;
    context.bytesOut += bytes;
    context.observer.bytesOut(context, bytes);
  }

  /** ShapedTarget: held bytes are due (timer, or the backend ended behind them). */
  deliverHeld(bytes: Buffer): void {
    const client = this.client;
    if (client.destroyed || client.writableEnded) return;
    this.sent(bytes.length);
    if (!client.write(bytes)) this.backendPaused |= PAUSE_WRITE;
  }

  /** ShapedTarget: a hold began. */
  pauseSource(): void {
    this.pauseBackend(PAUSE_SHAPE);
  }

  /** ShapedTarget: the hold is over; the backend resumes unless the client is full. */
  holdReleased(): void {
    this.backendPaused &= ~PAUSE_SHAPE;
    if (this.backendPaused === 0) this.backend?.resume();
  }

  private pauseBackend(reason: number): void {
    this.backendPaused |= reason;
    this.backend?.pause();
  }

  private readonly onBackendDrain = (): void => {
    if (!this.clientEnded) this.client.resume();
  };

  private readonly onClientDrain = (): void => {
    this.backendPaused &= ~PAUSE_WRITE;
    if (this.backendPaused === 0) this.backend?.resume();
  };

  /** Client FIN: forward it to the backend once everything before it is written. */
  private readonly onClientEnd = (): void => {
    this.clientEnded = true;
    this.backend?.end();
  };

  /** Backend FIN: forward it to the client; the client may keep sending. */
  private readonly onBackendEnd = (): void => {
    this.shaper?.flush();
    this.client.end();
  };

  private readonly onBackendTimeout = (): void => {
    this.report("connect_timeout", null);
    this.memberFailed();
    this.backend?.destroy(); // connect timeout: 'close' follows and retries
  };

  /** Passive health: a failed connect counts against the member (a black-holed or refusing server is then skipped). */
  private memberFailed(): void {
    const member = this.member;
    if (member !== null) memberFailed(member, this.options.ejection, tickClock()); // rare: a fresh clock for the window
  }

  private readonly onBackendError = (err: Error): void => {
    if (!this.connected) {
      if (isDescriptorExhaustion(err)) {
        // Our own limit, not the member's fault: no ejection, and no other member would do better.
        this.localFailure = true;
        const member = this.member;
        return reportDescriptorExhaustion(this.context, err as NodeJS.ErrnoException, "connect", member === null ? "" : `${member.config.address}:${member.config.port}`);
      }
      this.report("connect_failed", err);
      // TRANSPARENT: a source address this host could not use is not the member's fault (no ejection);
      // 'close' still tries the next member (one of the client's family may take it).
      if (this.sourceAddress !== null && isTransparentRefusal(err)) return;
      return this.memberFailed(); // 'close' follows and retries the next member
    }
    // The backend already sent everything (FIN, then e.g. a reset on our late data): let the client read it.
    if (this.backend?.readableEnded === true) return this.finishClient();
    this.report("backend_reset", err);
    // A backend reset reaches the client as a reset too (not a FIN that looks like a complete response).
    if ((err as NodeJS.ErrnoException).code === "ECONNRESET" && !this.client.destroyed) this.client.resetAndDestroy();
    this.abort();
  };

  private readonly onBackendClose = (): void => {
    if (this.member !== null) this.pool.release(this.member);
    const failed = this.member;
    this.member = null;
    this.backend = null;
    this.backendFd = -1;
    if (this.clientClosed) return this.onDone(this);
    if (!this.connected) return this.retry(failed);
    this.finishClient();
  };

  private report(kind: ErrorKind, cause: unknown): void {
    const context = this.context;
    context.observer.error(context, kind, cause);
  }

  private retry(failed: MemberRuntime | null): void {
    if (failed === null || this.localFailure || this.attempts >= this.pool.members.length) return this.abort();
    (this.tried ??= new Set()).add(failed);
    this.connect(this.pool.pick(this.clientIp, this.tried));
  }

  /** Backend gone: flush what the client still has to receive, then FIN; discard what it still sends. */
  private finishClient(): void {
    const client = this.client;
    if (client.destroyed) return;
    this.shaper?.flush();
    client.end();
    client.resume();
  }

  private readonly onClientClose = (): void => {
    this.clientClosed = true;
    this.shaper?.drop();
    const context = this.context;
    context.observer.connectionClosed(context);
    const backend = this.backend;
    if (backend === null) return this.onDone(this);
    // Clean end: both directions finished, the backend flushes our FIN and closes by itself.
    if (!this.connected || !backend.readableEnded) backend.destroy();
  };
}
