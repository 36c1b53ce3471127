import { parentPort, threadId, workerData } from "node:worker_threads";
import { WorkerCounters } from "../observe/worker-counters";
import { AppCookieSync, installAppCookieSync } from "../l7/sticky/app-cookie-sync";
import { SharedTokenBuckets } from "../limits/shared-token-bucket";
import { SharedMemberStates } from "../pools/shared-member-states";
import { SharedSourceIpTable } from "../pools/sticky/shared-source-ip-table";
import { EngineRuntime } from "../runtime/engine-runtime";
import { createAccessLogSinks } from "../observe/access-log/access-log-sinks";
import { installTlsEnvironment, tlsEnvironmentFromData, type TlsEnvironmentData } from "../tls/tls-environment";
import type { InheritedSocket } from "../runtime/inherited-sockets";
import type { PrimaryToWorker, WorkerToPrimary } from "./worker-messages.types";

/** What the primary passes to every worker thread (`workerData`). */
export interface WorkerThreadData {
  /** The engine's shared member states (connections, health, passive ejection), one slot per member. */
  memberStates: SharedArrayBuffer;
  /** The engine's source-IP sticky sessions (pools/sticky/shared-source-ip-table.ts). */
  sourceIpTable: SharedArrayBuffer;
  /** The engine's EIP bandwidth buckets (limits/shared-token-bucket.ts), slots assigned with each snapshot. */
  buckets: SharedArrayBuffer;
  /** Int32s: connections open on every worker (element 0, under the engine-wide cap: runtime/connection-gate.ts), then each worker's own. */
  connectionCount: SharedArrayBuffer;
  /** Per-worker connection counters (observe/worker-counters.ts); this worker writes its own row. */
  counters: SharedArrayBuffer;
  /** This worker's place, 0 … count − 1. */
  workerIndex: number;
  /** Grace for connections of listeners a snapshot removes; default 30 000 ms. */
  drainGraceMs?: number;
  /**
   * This worker's share of the listening sockets inherited from the engine this one replaces (given to
   * the first thread of each place only: a restarted worker opens its own).
   */
  inheritedSockets?: InheritedSocket[];
  /** The primary's secret key and ticket-key secret (HTTPS): tickets one worker issues resume on the others. */
  tls?: TlsEnvironmentData;
  /** The engine's state folder: this worker's access logs go under it (none when unset). */
  stateDir?: string;
}

/**
 * A data-plane worker thread: serves every listener of the snapshots the primary sends, through its own
 * SO_REUSEPORT sockets (the kernel spreads connections over the workers), with no health checks of its
 * own — it routes by the member states the primary's checks write into shared memory. Snapshots are
 * applied in order and each is answered with "applied" (the primary's version barrier waits for all).
 */
export function runWorkerThread(): void {
  const port = parentPort;
  if (port === null) throw new Error("runWorkerThread() must run in a worker thread");
  const data = workerData as WorkerThreadData;
  const states = new SharedMemberStates(data.memberStates);
  const observer = new WorkerCounters(data.counters).observerFor(data.workerIndex);
  if (data.tls !== undefined) installTlsEnvironment(tlsEnvironmentFromData(data.tls)); // before the first snapshot
  installAppCookieSync(new AppCookieSync()); // before any table exists: application-cookie learning reaches every worker
  const buckets = new SharedTokenBuckets(data.buckets);
  const runtime = new EngineRuntime({
    role: "worker",
    memberStates: states,
    sourceIpTable: new SharedSourceIpTable(data.sourceIpTable),
    buckets,
    connectionCount: new Int32Array(data.connectionCount),
    connectionCountSlot: 1 + data.workerIndex,
    drainGraceMs: data.drainGraceMs,
    observer,
    inheritedSockets: data.inheritedSockets,
    accessLogSinks: data.stateDir === undefined ? undefined : createAccessLogSinks({ stateDir: data.stateDir, workerIndex: data.workerIndex }),
  });
  const post = (message: WorkerToPrimary): void => port.postMessage(message);
  const log = (message: string): void => void process.stderr.write(`[engine worker ${data.workerIndex} (thread ${threadId})] ${message}\n`);

  port.on("message", (message: PrimaryToWorker) => {
    if (message.type === "apply") {
      states.assign(message.slots.members);
      buckets.assign(message.slots.bandwidth);
      runtime.apply(message.snapshot).then(
        (result) => post({ type: "applied", seq: message.seq, version: result.version, errors: result.errors }),
        (err: Error) => {
          log(`applying snapshot ${message.snapshot.version} failed: ${err.stack ?? err.message}`);
          post({ type: "metrics", seq: 0, metrics: runtime.metrics() }); // what this thread counted stays in the totals
          process.exit(1); // the primary starts a fresh worker and gives it the snapshot again
        },
      );
    } else if (message.type === "stop") {
      void runtime.stop(message.graceMs).then(() => post({ type: "stopped" }));
    } else if (message.type === "metrics") {
      post({ type: "metrics", seq: message.seq, metrics: runtime.metrics() });
    } else if (message.type === "sockets") {
      void runtime.listeningSockets().then((sockets) => post({ type: "sockets", seq: message.seq, sockets }));
    }
  });
  // A data plane should not drop every connection for one bug in one of them: log and keep serving.
  process.on("uncaughtException", (err) => log(`uncaught: ${err.stack ?? err.message}`));
  post({ type: "ready" });
}
