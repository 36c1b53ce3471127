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
}

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
  /** True when this console found the engine already running (started by an earlier console). */
  adopted?: boolean;
}
