import net from "node:net";
import { copyOf, latin1 } from "../io/bytes";
import { readInto } from "../io/socket-reader";
import type { TokenBucket } from "../limits/token-bucket";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";

/** Per-session settings, read from the handler's current route when the session starts. */
export interface TcpSessionOptions {
  /** Idle timeout (no bytes either way) in ms; the listener's idleTimeoutSeconds × 1000. */
  idleMs: number;
  /** Backend connect timeout in ms before trying the next member. */
  connectTimeoutMs: number;
}

/**
 * One read buffer shared by every L4 socket, both directions: reads are handled synchronously and
 * each chunk is copied before it is written on, so nothing refers to it after the callback.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Chunks up to this size are forwarded as latin1 strings (Node writes those from a stack copy). */
const STRING_COPY_BYTES = 16 * 1024;

/** Writes a private copy of buf[0, n) to `to` (a latin1 string when small, else a Buffer); false = buffer full. */
function forward(to: net.Socket, buf: Buffer, n: number): boolean {
  return n <= STRING_COPY_BYTES ? to.write(latin1(buf, 0, n), "latin1") : to.write(copyOf(buf, 0, n));
}

/** Why the backend is paused (bits): the client's write buffer is full / bandwidth shaping holds a chunk. */
const PAUSE_WRITE = 1;
const PAUSE_SHAPE = 2;

/** Timer callback of a shaping hold (module level: no closure per session or per chunk). */
function releaseHeld(session: TcpSession): void {
  session.releaseHeld();
}

/**
 * One proxied TCP connection: client ⇄ backend member, full duplex. Each side reads into the
 * shared buffer (no Readable stream, no allocation per read) and its bytes are written to the
 * other side at once; a write that returns false pauses the reading side until the writer drains
 * (backpressure). Half-close is forwarded (FIN from one side ends the other side's write half,
 * the opposite direction keeps flowing). Every read bumps `progress`; the handler's idle sweep
 * closes sessions whose progress stood still for idleMs (no per-socket timer refreshed per chunk).
 * A failed or timed-out backend connect retries the next available member, at most once per member.
 * Accepted on a limited address (an EIP), backend → client bytes are shaped by that address's
 * bucket: a chunk that puts it in debt is held (one private copy, backend paused) until the debt is
 * paid. Both pause reasons (client buffer full, shaping) compose: the backend resumes when neither holds.
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
  private member: MemberRuntime | null = null;
  private tried: Set<MemberRuntime> | undefined;
  private attempts = 0;
  private clientClosed = false;
  private clientEnded = false;
  /** PAUSE_* bits: why the backend is paused (0 = reading). */
  private backendPaused = 0;
  /** Backend bytes held back by shaping, and the timer that sends them. */
  private held: Buffer | null = null;
  private heldTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: net.Socket,
    private readonly pool: PoolRuntime,
    readonly options: TcpSessionOptions,
    private readonly onDone: (session: TcpSession) => void,
    /** Bucket of the limited address the client connected to; null = unlimited. */
    private readonly bandwidth: TokenBucket | null = null,
  ) {
    this.clientIp = client.remoteAddress ?? "";
    client.allowHalfOpen = true;
    client.setNoDelay(true);
    client.on("error", this.abort);
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

  private connect(member: MemberRuntime | null): void {
    if (member === null || this.clientClosed) return this.abort();
    this.attempts++;
    this.member = member;
    this.pool.acquire(member);
    const backend = net.connect({
      host: member.config.address,
      port: member.config.port,
      allowHalfOpen: true,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: this.onBackendRead },
    });
    this.backend = backend;
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
    this.connected = true;
    this.seenProgress = this.progress;
    this.idleSince = Date.now();
    backend.setTimeout(0);
    readInto(this.client, READ_BUFFER, this.onClientRead);
  };

  /** Client bytes → backend; a full backend buffer pauses the client. */
  private readonly onClientRead = (nread: number, buf: Buffer): void => {
    this.progress++;
    const backend = this.backend;
    if (backend === null || backend.destroyed) return; // backend gone: discard (see finishClient)
    if (!forward(backend, buf, nread)) this.client.pause();
  };

  /** Backend bytes → client; a full client buffer pauses the backend. */
  private readonly onBackendRead = (nread: number, buf: Buffer): boolean => {
    this.progress++;
    const client = this.client;
    if (client.destroyed) return true;
    if (this.bandwidth !== null) this.shape(nread, buf);
    else if (!forward(client, buf, nread)) this.pauseBackend(PAUSE_WRITE);
    return true;
  };

  /** Limited address: forwards the chunk when the bucket covers it, else holds a copy until it does. */
  private shape(nread: number, buf: Buffer): void {
    const wait = this.bandwidth!.take(nread);
    if (wait === 0 && this.held === null) {
      if (!forward(this.client, buf, nread)) this.pauseBackend(PAUSE_WRITE);
      return;
    }
    const copy = copyOf(buf, 0, nread);
    this.held = this.held === null ? copy : Buffer.concat([this.held, copy]); // bytes read before the pause took effect
    this.pauseBackend(PAUSE_SHAPE);
    this.heldTimer ??= setTimeout(releaseHeld, wait > 0 ? wait : 1, this);
  }

  /** Shaping timer: the held bytes go to the client; the backend resumes unless the client is full. */
  releaseHeld(): void {
    this.heldTimer = null;
    this.backendPaused &= ~PAUSE_SHAPE;
    if (!this.flushHeld()) this.backendPaused |= PAUSE_WRITE;
    if (this.backendPaused === 0) this.backend?.resume();
  }

  /** Writes held bytes now (shaping timer, or the backend ended); false = client buffer full. */
  private flushHeld(): boolean {
    const held = this.held;
    if (held === null) return true;
    this.held = null;
    if (this.heldTimer !== null) {
      clearTimeout(this.heldTimer);
      this.heldTimer = null;
    }
    const client = this.client;
    return client.destroyed || client.writableEnded ? true : client.write(held);
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
    this.flushHeld();
    this.client.end();
  };

  private readonly onBackendTimeout = (): void => {
    this.backend?.destroy(); // connect timeout: 'close' follows and retries
  };

  private readonly onBackendError = (): void => {
    if (!this.connected) return; // 'close' follows and retries the next member
    // The backend already sent everything (FIN, then e.g. a reset on our late data): let the client read it.
    if (this.backend?.readableEnded === true) this.finishClient();
    else this.abort();
  };

  private readonly onBackendClose = (): void => {
    if (this.member !== null) this.pool.release(this.member);
    const failed = this.member;
    this.member = null;
    this.backend = null;
    if (this.clientClosed) return this.onDone(this);
    if (!this.connected) return this.retry(failed);
    this.finishClient();
  };

  private retry(failed: MemberRuntime | null): void {
    if (failed === null || this.attempts >= this.pool.members.length) return this.abort();
    (this.tried ??= new Set()).add(failed);
    this.connect(this.pool.pick(this.clientIp, this.tried));
  }

  /** Backend gone: flush what the client still has to receive, then FIN; discard what it still sends. */
  private finishClient(): void {
    const client = this.client;
    if (client.destroyed) return;
    this.flushHeld();
    client.end();
    client.resume();
  }

  private readonly onClientClose = (): void => {
    this.clientClosed = true;
    if (this.heldTimer !== null) clearTimeout(this.heldTimer);
    this.heldTimer = this.held = null;
    const backend = this.backend;
    if (backend === null) return this.onDone(this);
    // Clean end: both directions finished, the backend flushes our FIN and closes by itself.
    if (!this.connected || !backend.readableEnded) backend.destroy();
  };
}
