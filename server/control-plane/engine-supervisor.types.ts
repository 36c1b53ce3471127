import type { EngineWorkerStatus, ListenerError } from "@/engine/protocol/ipc.types";

/** Options of the engine supervisor. */
export interface EngineSupervisorOptions {
  /** Built engine entry, e.g. dist/engine/main.js. */
  entry: string;
  /** Folder where the engine keeps its last applied snapshot and its control socket. */
  stateDir: string;
  /** First restart delay; doubles per crash up to maxBackoffMs. Default 500 ms. */
  initialBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** A run longer than this resets the backoff. Default 60 s. */
  stableAfterMs?: number;
  /** Liveness ping period. Default 5 s. */
  pingIntervalMs?: number;
  /** An engine silent for this long is killed and restarted. Default max(3 pings, 3 s). */
  pingTimeoutMs?: number;
  /** How long a started engine may take to open its control socket. Default 15 s. */
  startTimeoutMs?: number;
  /**
   * Stop the engine in stop() and tie it to this process (it exits when the console dies), as before
   * detached engines. Default false: the engine outlives the console, which adopts it on its next start.
   */
  stopEngineOnStop?: boolean;
  /** Engine output (appended). Default `${stateDir}/engine.log`. */
  logFile?: string;
  /** Extra environment for the engine. */
  env?: Record<string, string>;
  /**
   * When the engine it finds or adopts runs another build than `entry` on disk (its `build`, the sha256
   * of its bundle at start, against the file's), ask it to upgrade (hand over to the bundle on disk
   * without closing a connection): `npm start` after a rebuild upgrades the running engine. Once per
   * build on disk. Default true.
   */
  autoUpgrade?: boolean;
}

/** The last engine upgrade this console asked for or saw. */
export interface EngineUpgradeStatus {
  /** requested: sent to the engine; handing-over: a new engine serves, the console reconnects; done: adopted; failed: the old one keeps serving. */
  state: "requested" | "handing-over" | "done" | "failed";
  at: string;
  fromPid: number | null;
  toPid: number | null;
  /** Why it failed (the engine's words). */
  message?: string;
}

/** Answer to EngineSupervisor.requestUpgrade. */
export type UpgradeRequest = { ok: true; pid: number } | { ok: false; reason: string };

/** What the console knows about the engine process. */
export interface EngineStatus {
  state: "starting" | "running" | "restarting" | "stopped";
  pid: number | null;
  /** Snapshot version/hash the engine reports holding. */
  version: number;
  hash: string;
  restarts: number;
  /** code/signal are known only for an engine this console started; an adopted one gives only `reason`. */
  lastExit: { code: number | null; signal: string | null; at: string; reason?: string } | null;
  lastPongAt: string | null;
  uptimeSeconds: number | null;
  listenerErrors: ListenerError[];
  /** The engine's worker threads from its last pong; null for an engine running in one thread (or not yet heard). */
  workers: EngineWorkerStatus[] | null;
  /** True when this console found the engine already running (started by an earlier console, or by an upgrade). */
  adopted?: boolean;
  /** The build the engine runs: sha256 of its bundle when it started; null when not known (not heard yet, or an engine too old to say). */
  build: string | null;
  /** sha256 of the engine bundle on disk (the supervisor's entry); null when missing or not read yet. */
  buildOnDisk: string | null;
  /** The last upgrade (see EngineUpgradeStatus); null when none since this console started. */
  upgrade: EngineUpgradeStatus | null;
}
