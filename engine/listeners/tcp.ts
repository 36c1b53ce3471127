import type net from "node:net";
import { tickClock } from "../io/coarse-clock";
import { UNBOUND, createConnectionContext } from "../observe/connection-context";
import type { ConnectionContext } from "../observe/observer.types";
import { DEFAULT_EJECTION_POLICY, type EjectionPolicy } from "../pools/passive-ejection";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";
import { TcpSession, type TcpSessionOptions } from "./tcp-session";

/** Default backend connect timeout of TCP listeners: 5 000 ms (then the next member is tried). */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 5_000;

/** Options of the TCP handler; defaults suit production. */
export interface TcpHandlerOptions {
  /** Backend connect timeout before the next member is tried; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Consecutive failed connects (refused or timed out) after which a member is skipped for `failTimeoutMs`; default 3; 0 = never (as on HTTP listeners). */
  maxFails?: number;
  /** How long a member is skipped after `maxFails` failed connects; default 10 000 ms. */
  failTimeoutMs?: number;
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
 * one sweep period late. Failed connects feed the members' passive ejection
 * (pools/passive-ejection.ts), shared with HTTP listeners of the same pool: after `maxFails` in a row a
 * member is skipped by new connections for `failTimeoutMs`.
 */
export function createTcpHandler(route: ListenerRoute, options: TcpHandlerOptions = {}): ConnectionHandler {
  const ejection: EjectionPolicy = {
    maxFails: options.maxFails ?? DEFAULT_EJECTION_POLICY.maxFails,
    failTimeoutMs: options.failTimeoutMs ?? DEFAULT_EJECTION_POLICY.failTimeoutMs,
  };
  return new TcpHandler(route, options.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS, ejection);
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
    private readonly ejection: EjectionPolicy,
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
    tickClock(); // the coarse clock the pick reads for ejection windows (HTTP handlers tick it too)
    this.sessions.add(new TcpSession(socket, pool, this.sessionOptions, this.onSessionDone, context));
    if (this.sweepTimer === null) this.startSweep();
  }

  update(route: ListenerRoute): void {
    this.route = route;
    const idleSeconds = route.listener.idleTimeoutSeconds > 0 ? route.listener.idleTimeoutSeconds : DEFAULT_IDLE_SECONDS;
    this.sessionOptions = { idleMs: idleSeconds * 1000, connectTimeoutMs: this.connectTimeoutMs, ejection: this.ejection };
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
