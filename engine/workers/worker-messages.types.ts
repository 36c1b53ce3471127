import type { EngineWorkerStatus, ListenerError } from "../protocol/ipc.types";
import type { BandwidthSlot } from "../limits/shared-token-bucket";
import type { Snapshot } from "../protocol/snapshot.types";
import type { InheritedSocket } from "../runtime/inherited-sockets";
import type { ThreadMetrics } from "../observe/metrics-sum";

/**
 * Messages between the engine's primary thread and its worker threads (worker_threads postMessage,
 * structured clone). The primary holds the console's connection, the health checks and the snapshot;
 * each worker accepts on every listener through its own SO_REUSEPORT sockets and routes with the
 * member state the primary shares with it (workers/README.md).
 */

/** Where one member's shared state lives: the slot of `poolId`'s member `memberId` at `address:port`. */
export interface MemberSlot {
  poolId: string;
  memberId: string;
  address: string;
  port: number;
  slot: number;
}

/** Where a snapshot's shared state lives: one slot per member, one bucket per limited address (EIP). */
export interface SlotAssignment {
  members: MemberSlot[];
  bandwidth: BandwidthSlot[];
}

/** Primary → worker. */
export type PrimaryToWorker =
  /** Apply this snapshot (after any apply still running); answer "applied" with the same `seq`. */
  | { type: "apply"; seq: number; snapshot: Snapshot; slots: SlotAssignment }
  /** Stop accepting, give connections `graceMs`, then answer "stopped" (the primary then ends the thread). */
  | { type: "stop"; graceMs: number }
  /** List your listening sockets (after the applies queued now); answer "sockets" with the same `seq`. */
  | { type: "sockets"; seq: number }
  /** Report your listeners' metrics and access-log totals now; answer "metrics" with the same `seq`. */
  | { type: "metrics"; seq: number };

/** Worker → primary. */
export type WorkerToPrimary =
  /** The worker started and waits for its first snapshot. */
  | { type: "ready" }
  /** Snapshot `seq` is what this worker serves now; `errors` are its listener problems (bind failures). */
  | { type: "applied"; seq: number; version: number; errors: ListenerError[] }
  /** Every listener closed and every connection ended (or the grace ran out). */
  | { type: "stopped" }
  /** The worker's listening sockets: descriptors of this process (threads share them), for a new engine build. */
  | { type: "sockets"; seq: number; sockets: InheritedSocket[] }
  /**
   * This worker's listener rows (counters since this thread started, gauges now) and access-log totals:
   * the answer to "metrics" `seq`, or, with seq 0, sent unasked just before the thread exits on an error.
   */
  | { type: "metrics"; seq: number; metrics: ThreadMetrics };

/** What the primary knows of one worker (the console sees it in pong). */
export type WorkerStatus = EngineWorkerStatus;
