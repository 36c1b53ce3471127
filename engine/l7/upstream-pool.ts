import { coarseClock } from "../io/coarse-clock";
import { UpstreamConnection, type UpstreamHome, type UpstreamOwner } from "./upstream-connection";

/** Keep-alive settings for backend connections. */
export interface UpstreamPoolOptions {
  /** Idle connections kept per backend server; default 256 (≥ expected concurrency, or reuse churns). */
  maxIdle: number;
  /** Idle connections older than this are closed; default 4 000 ms, below the common 5 s server keep-alive timeout, so we close first. */
  idleTimeoutMs: number;
  /** TCP connect timeout of a new connection (its own timer); default 5 000 ms. */
  connectTimeoutMs?: number;
}

/** Defaults for UpstreamPoolOptions. */
export const DEFAULT_UPSTREAM_POOL_OPTIONS: UpstreamPoolOptions = { maxIdle: 256, idleTimeoutMs: 4_000, connectTimeoutMs: 5_000 };

/**
 * Keep-alive connections to one backend server (address:port). Idle connections are reused
 * most-recent first (LIFO keeps the working set small and warm); closed idle sockets are dropped
 * as soon as their FIN/close arrives; the idle list is bounded in count and age.
 */
export class UpstreamPool implements UpstreamHome {
  private readonly idle: UpstreamConnection[] = [];
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

  /**
   * A connection for `owner`: an idle one when `reuse` (marked `reused`), else a new one (connecting).
   * Writes before the connect completes are queued by the socket; a new connection fails (timedOut)
   * after `connectTimeoutMs` (default: the pool's option).
   */
  acquire(owner: UpstreamOwner, reuse = true, connectTimeoutMs = this.options.connectTimeoutMs ?? 5_000): UpstreamConnection {
    if (reuse) {
      const idle = this.idle;
      while (idle.length > 0) {
        const conn = idle.pop()!;
        if (conn.alive && !conn.socket.destroyed && conn.socket.writable) {
          conn.owner = owner;
          conn.reused = true;
          return conn;
        }
        conn.destroy();
      }
    }
    const conn = new UpstreamConnection(this, this.host, this.port, connectTimeoutMs);
    conn.owner = owner;
    return conn;
  }

  /** Takes a connection back after a complete exchange: kept idle when `reusable`, else closed. */
  release(conn: UpstreamConnection, reusable: boolean): void {
    conn.owner = null;
    if (!reusable || this.closed || !conn.alive || !conn.connected || this.idle.length >= this.options.maxIdle) {
      conn.destroy();
      return;
    }
    conn.response.reset();
    conn.idleSince = coarseClock.now;
    if (conn.socket.isPaused()) conn.socket.resume(); // idle sockets must read, to see the backend's FIN
    this.idle.push(conn);
  }

  /** UpstreamHome: a connection died. */
  discard(conn: UpstreamConnection): void {
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
    for (const conn of idle.splice(0, n)) conn.destroy();
  }

  /** Closes all idle connections; with `forever`, connections released later are closed too. */
  close(forever = true): void {
    if (forever) this.closed = true;
    for (const conn of this.idle.splice(0)) conn.destroy();
  }
}
