import type { MemberHealth, Snapshot } from "./snapshot.types";

/**
 * Messages between the console (supervisor) and the engine process over the Node IPC channel
 * (`child_process.fork`). Plain JSON objects, discriminated by `type`.
 */

/** Console → engine. */
export type ConsoleToEngine =
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "ping"; nonce: number };

/** Engine → console. */
export type EngineToConsole =
  /** Sent once the engine has started (and applied any snapshot kept on disk). */
  | { type: "ready"; pid: number; version: number; hash: string }
  /** A snapshot was applied; `errors` lists per-listener problems (e.g. bind failures) that did not stop the rest. */
  | { type: "applied"; version: number; hash: string; errors: ListenerError[] }
  /** Answer to ping: alive, and which snapshot it holds. */
  | { type: "pong"; nonce: number; pid: number; version: number; hash: string; uptimeSeconds: number }
  /** Current health of every member of every pool with a health check (sent on change and periodically). */
  | { type: "health"; members: MemberHealthReport[] };

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
}
