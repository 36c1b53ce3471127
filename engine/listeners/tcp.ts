import type net from "node:net";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";
import { TcpSession, type TcpSessionOptions } from "./tcp-session";

/** Default backend connect timeout of TCP listeners: 5 000 ms (then the next member is tried). */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 5_000;

/** Options of the TCP handler; defaults suit production. */
export interface TcpHandlerOptions {
  /** Backend connect timeout before the next member is tried; default 5000 ms. */
  connectTimeoutMs?: number;
}

/** Idle timeout when a listener does not set one (guide: 300 s for TCP). */
const DEFAULT_IDLE_SECONDS = 300;

/** Idle sweep period: a quarter of the idle timeout, within these bounds. */
const MIN_SWEEP_MS = 100;
const MAX_SWEEP_MS = 1000;

/**
 * The Layer-4 TCP handler of one listener: every accepted connection becomes a TcpSession piped to
 * a member picked from the listener's default pool. No pool or no available member → the client
 * socket is destroyed. Route updates apply to new connections; established sessions keep theirs.
 * Idle timeouts are enforced by one periodic sweep over the sessions while any are open (no
 * per-socket timer): a session whose byte counter stood still for its idleMs is closed, at most
 * one sweep period late.
 */
export function createTcpHandler(route: ListenerRoute, options: TcpHandlerOptions = {}): ConnectionHandler {
  return new TcpHandler(route, options.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS);
}

class TcpHandler implements ConnectionHandler {
  private readonly sessions = new Set<TcpSession>();
  private route!: ListenerRoute;
  private sessionOptions!: TcpSessionOptions;
  private draining = false;
  private onEmpty: (() => void) | null = null;
  private sweepMs = MAX_SWEEP_MS;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    route: ListenerRoute,
    private readonly connectTimeoutMs: number,
  ) {
    this.update(route);
  }

  handle(socket: net.Socket, context?: ConnectionContext): void {
    const pool = this.route.pool;
    if (pool === null || this.draining) {
      socket.destroy();
      return;
    }
    context ??= createConnectionContext(UNBOUND, socket.remoteAddress, socket.remotePort);
    this.sessions.add(new TcpSession(socket, pool, this.sessionOptions, this.onSessionDone, context));
    if (this.sweepTimer === null) this.startSweep();
  }

  update(route: ListenerRoute): void {
    this.route = route;
    const idleSeconds = route.listener.idleTimeoutSeconds > 0 ? route.listener.idleTimeoutSeconds : DEFAULT_IDLE_SECONDS;
    this.sessionOptions = { idleMs: idleSeconds * 1000, connectTimeoutMs: this.connectTimeoutMs };
    const sweepMs = Math.min(MAX_SWEEP_MS, Math.max(MIN_SWEEP_MS, (idleSeconds * 1000) / 4));
    if (sweepMs !== this.sweepMs) {
      this.sweepMs = sweepMs;
      if (this.sweepTimer !== null) this.startSweep();
    }
  }

  private startSweep(): void {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(this.sweep, this.sweepMs);
    this.sweepTimer.unref();
  }

  /** Closes connected sessions that moved no byte for their idleMs; stops when no session is left. */
  private readonly sweep = (): void => {
    if (this.sessions.size === 0) {
      clearInterval(this.sweepTimer!);
      this.sweepTimer = null;
      return;
    }
    const now = Date.now();
    for (const session of this.sessions) {
      if (!session.connected) continue;
      if (session.progress !== session.seenProgress) {
        session.seenProgress = session.progress;
        session.idleSince = now;
      } else if (now - session.idleSince >= session.options.idleMs) {
        session.abort();
      }
    }
  };

  drain(graceMs: number): Promise<void> {
    this.draining = true;
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const session of this.sessions) session.abort();
      }, graceMs);
      this.onEmpty = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private readonly onSessionDone = (session: TcpSession): void => {
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.onEmpty !== null) {
      this.onEmpty();
      this.onEmpty = null;
    }
  };
}
