import { coarseClock } from "../io/coarse-clock";
import { UpstreamConnection, type UpstreamHome, type UpstreamOwner } from "./upstream-connection";

/** Keep-alive settings for backend connections. */
export interface UpstreamPoolOptions {
  /** Idle connections kept per backend server; default 256 (≥ expected concurrency, or reuse churns). */
  maxIdle: number;
  /**
   * Idle connections older than this are closed; default 60 000 ms, as nginx's upstream
   * keepalive_timeout: connections stay warm through a pause, so a burst after it does not reconnect
   * everything. A backend that closes first (many use 5 s) is seen by its FIN and dropped from the
   * idle list; one that closes just as a request goes out costs an idempotent request a retry on a
   * fresh connection (retry-policy.ts), as in nginx.
   */
  idleTimeoutMs: number;
  /** TCP connect timeout of a new connection (its own timer); default 5 000 ms. */
  connectTimeoutMs?: number;
}

/** Defaults for UpstreamPoolOptions. */
export const DEFAULT_UPSTREAM_POOL_OPTIONS: UpstreamPoolOptions = { maxIdle: 256, idleTimeoutMs: 60_000, connectTimeoutMs: 5_000 };

/**
 * Keep-alive connections to one backend server (address:port). Idle connections are reused
 * most-recent first (LIFO keeps the working set small and warm); closed idle sockets are dropped
 * as soon as their FIN/close arrives; the idle list is bounded in count and age. Every open
 * connection (connecting, busy or idle) is counted until it closes, for the per-member cap
 * (`tryAcquire`; one Set operation per new or closed connection, none per request).
 */
export class UpstreamPool implements UpstreamHome {
  private readonly idle: UpstreamConnection[] = [];
  /** Connections made here and not yet closed (connecting, busy and idle). */
  private readonly open = new Set<UpstreamConnection>();
  private closed = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly options: UpstreamPoolOptions,
  ) {}

  /** Number of idle connections (tests, metrics). */
  get idleCount(): number {
    return this.idle.length;
  }

  /** Open connections: connecting, busy and idle (the per-member cap counts these). */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * A connection for `owner`: an idle one when `reuse` (marked `reused`), else a new one (connecting).
   * Writes before the connect completes are queued by the socket; a new connection fails (timedOut)
   * after `connectTimeoutMs` (default: the pool's option).
   */
  acquire(owner: UpstreamOwner, reuse = true, connectTimeoutMs = this.options.connectTimeoutMs ?? 5_000): UpstreamConnection {
    return this.tryAcquire(owner, reuse, connectTimeoutMs, Infinity)!;
  }

  /**
   * As `acquire`, under a cap: an idle connection is always reused (when `reuse`), but a new one is
   * opened only while fewer than `maxOpen` are open; null = at the cap (the caller tries another member).
   */
  tryAcquire(owner: UpstreamOwner, reuse: boolean, connectTimeoutMs: number, maxOpen: number): UpstreamConnection | null {
    if (reuse) {
      const idle = this.idle;
      while (idle.length > 0) {
        const conn = idle.pop()!;
        if (conn.alive && !conn.socket.destroyed && conn.socket.writable) {
          conn.owner = owner;
          conn.reused = true;
          return conn;
        }
        this.drop(conn);
      }
    }
    if (this.open.size >= maxOpen) return null;
    const conn = new UpstreamConnection(this, this.host, this.port, connectTimeoutMs);
    this.open.add(conn);
    conn.owner = owner;
    return conn;
  }

  /** Destroys a connection of this pool and stops counting it at once (its 'close' event comes later). */
  drop(conn: UpstreamConnection): void {
    conn.destroy();
    this.open.delete(conn);
  }

  /** Takes a connection back after a complete exchange: kept idle when `reusable`, else closed. */
  release(conn: UpstreamConnection, reusable: boolean): void {
    conn.owner = null;
    if (!reusable || this.closed || !conn.alive || !conn.connected || this.idle.length >= this.options.maxIdle) {
      this.drop(conn);
      return;
    }
    conn.response.reset();
    conn.idleSince = coarseClock.now;
    if (conn.socket.isPaused()) conn.socket.resume(); // idle sockets must read, to see the backend's FIN
    this.idle.push(conn);
  }

  /** UpstreamHome: a connection died (may be called more than once for one connection). */
  discard(conn: UpstreamConnection): void {
    this.open.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** Closes idle connections idle for longer than the timeout (oldest sit at the bottom). */
  sweep(now: number): void {
    const idle = this.idle;
    const limit = now - this.options.idleTimeoutMs;
    let n = 0;
    while (n < idle.length && idle[n]!.idleSince <= limit) n++;
    if (n === 0) return;
    for (const conn of idle.splice(0, n)) this.drop(conn);
  }

  /** Closes all idle connections; with `forever`, connections released later are closed too. */
  close(forever = true): void {
    if (forever) this.closed = true;
    for (const conn of this.idle.splice(0)) this.drop(conn);
  }
}
