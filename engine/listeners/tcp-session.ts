import net from "node:net";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";

/** Per-session settings, read from the handler's current route when the session starts. */
export interface TcpSessionOptions {
  /** Idle timeout (no bytes either way) in ms; the listener's idleTimeoutSeconds × 1000. */
  idleMs: number;
  /** Backend connect timeout in ms before trying the next member. */
  connectTimeoutMs: number;
}

/**
 * One proxied TCP connection: client ⇄ backend member, full duplex with backpressure (stream.pipe
 * both ways), half-close forwarded (FIN from one side ends the other side's write half, the opposite
 * direction keeps flowing), idle timeout on the client socket (it sees bytes in both directions).
 * A failed or timed-out backend connect retries the next available member, at most once per member.
 */
export class TcpSession {
  private readonly clientIp: string;
  private backend: net.Socket | null = null;
  private member: MemberRuntime | null = null;
  private tried: Set<MemberRuntime> | undefined;
  private attempts = 0;
  private connected = false;
  private clientClosed = false;

  constructor(
    private readonly client: net.Socket,
    private readonly pool: PoolRuntime,
    private readonly options: TcpSessionOptions,
    private readonly onDone: (session: TcpSession) => void,
  ) {
    this.clientIp = client.remoteAddress ?? "";
    client.allowHalfOpen = true;
    client.setNoDelay(true);
    client.on("error", this.abort);
    client.on("close", this.onClientClose);
    client.on("timeout", this.abort);
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
    const backend = net.connect({ host: member.config.address, port: member.config.port, allowHalfOpen: true, noDelay: true });
    this.backend = backend;
    backend.setTimeout(this.options.connectTimeoutMs);
    backend.on("connect", this.onBackendConnect);
    backend.on("timeout", this.onBackendTimeout);
    backend.on("error", this.onBackendError);
    backend.on("close", this.onBackendClose);
  }

  private readonly onBackendConnect = (): void => {
    const { client, backend } = this;
    if (backend === null) return;
    this.connected = true;
    backend.setTimeout(0);
    client.setTimeout(this.options.idleMs);
    client.pipe(backend);
    backend.pipe(client);
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
    client.end();
    client.resume();
  }

  private readonly onClientClose = (): void => {
    this.clientClosed = true;
    const backend = this.backend;
    if (backend === null) return this.onDone(this);
    // Clean end: both directions finished, the backend flushes our FIN and closes by itself.
    if (!this.connected || !backend.readableEnded) backend.destroy();
  };
}
