import type { MetricsReport } from "./metrics.types";
import type { MemberHealth, Snapshot } from "./snapshot.types";

/**
 * Messages between the console (supervisor) and the engine process over the Node IPC channel
 * (`child_process.fork`) or the engine's control socket `${ELB_ENGINE_STATE_DIR}/control.sock` (one JSON
 * object per line, see ./ndjson.ts). Plain JSON objects, discriminated by `type`. On the control
 * socket every new connection first receives "ready" (once the engine has started): it is the hello
 * with which a console adopts an engine that outlived the previous console.
 */

/**
 * `epoch` on ready/applied/pong: the epoch of the snapshot held ("" = none, or one persisted before
 * epochs existed). This engine always sends it; it is optional so a console also accepts an older engine.
 * Versions compare only within an epoch: a console seeing another epoch than its own sends its snapshot.
 */

/**
 * `build` on ready/pong: the engine's build identity, the sha256 (hex) of its bundle file as it was when
 * the process started (optional: older engines do not send it). A console compares it with the bundle on
 * disk to know whether the engine runs the current build.
 */

/** Console → engine. */
export type ConsoleToEngine =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "ping"; nonce: number }
  /**
   * Hand over to the engine bundle on disk (a new build) without closing a connection, as SIGUSR2 does
   * (engine/control/upgrade.ts): answered by "upgrading" once the new engine serves, or "upgradeFailed".
   */
  | { type: "upgrade" }
  /**
   * Ends worker thread `index` (its connections close with it) so the engine starts a fresh one with the
   * current snapshot, as when a worker dies; the other workers keep serving. Ignored with one thread.
   */
  | { type: "restartWorker"; index: number };

/** Engine → console. */
export type EngineToConsole =
  /** Sent once the engine has started (and applied any snapshot kept on disk). */
  | { type: "ready"; pid: number; epoch?: string; version: number; hash: string; build?: string }
  /**
   * Answer to a snapshot message, applied or not: the epoch, version and hash the engine holds now
   * (a same-epoch snapshot that is not newer is ignored and answered with the held ones).
   * `errors` lists per-listener problems (e.g. bind failures) that did not stop the rest.
   */
  | { type: "applied"; epoch?: string; version: number; hash: string; errors: ListenerError[] }
  /**
   * Answer to ping: alive, and which snapshot it holds. `workers`: the data-plane worker threads (absent
   * from an engine that runs in one thread, or from an older engine).
   */
  | { type: "pong"; nonce: number; pid: number; epoch?: string; version: number; hash: string; uptimeSeconds: number; workers?: EngineWorkerStatus[]; build?: string }
  /** Current health of every member of every pool with a health check (sent on change and periodically). */
  | { type: "health"; members: MemberHealthReport[] }
  /** Counters and gauges of every listener and log stream (./metrics.types.ts), every metrics interval. */
  | ({ type: "metrics" } & MetricsReport)
  /**
   * The engine handed over to a new engine process (`pid`, running `build`), which serves every listener
   * now on the same sockets. This engine stops accepting, closes the control socket (a console reconnects:
   * the new engine opens it and says "ready"), drains its connections and exits: not a crash.
   */
  | { type: "upgrading"; pid: number; build?: string }
  /** An upgrade did not happen (the new engine failed to start or to become ready): this engine keeps serving. */
  | { type: "upgradeFailed"; message: string };

/** One data-plane worker thread of the engine (Settings → Engine shows them). */
export interface EngineWorkerStatus {
  /** 0 … count − 1: the worker's place, kept across restarts. */
  index: number;
  /** worker_threads thread id of the current thread (changes on restart); 0 while none runs. */
  threadId: number;
  state: "starting" | "running" | "restarting" | "stopping";
  /** Snapshot version the worker serves (0 = none yet). */
  version: number;
  /** When the current thread started (ms since the epoch). */
  startedAt: number;
  /** Times this worker's thread died and was started again. */
  restarts: number;
  /** Connections (and UDP sessions) this worker accepted since the engine started. */
  connectionsAccepted?: number;
  /** Connections (and UDP sessions) open on this worker now. */
  connectionsOpen?: number;
}

/** A listener that could not be applied, with the reason. */
export interface ListenerError {
  listenerId: string;
  message: string;
}

/** Health of one member as seen by the engine. */
export interface MemberHealthReport {
  poolId: string;
  memberId: string;
  status: MemberHealth;
  /**
   * Passive health (optional: older engines omit it, read absent as "not ejected"): true while the
   * engine skips the member after consecutive failed connects (nginx max_fails/fail_timeout), whatever
   * the active check says. This engine sends both fields once a member has failed a connect.
   */
  ejected?: boolean;
  /** Consecutive failed connects seen by the proxy (optional, like `ejected`); 0 after a success. */
  consecutiveFailures?: number;
}
