/**
 * Engine process entry (bundled to dist/engine/main.js by scripts/build-engine.mjs).
 *
 * Forked by the console's supervisor: talks over the IPC channel (ConsoleToEngine in,
 * EngineToConsole out), persists the last applied snapshot (with its epoch) to
 * $ELB_ENGINE_STATE_DIR/snapshot.json and applies it on start, before "ready", so it serves without
 * the console. A snapshot from another epoch than the held one (the console switched database or
 * restored a backup) is applied whatever its version.
 *
 * Environment (all optional):
 * - ELB_ENGINE_STATE_DIR: folder for snapshot.json; unset = no persistence.
 * - ELB_ENGINE_SNAPSHOT_FILE: standalone mode (benchmarks, ops): apply this snapshot file at start.
 * - ELB_ENGINE_EXIT_WITH_PARENT=1: exit when the IPC channel closes (console died); default keep serving.
 * - ELB_ENGINE_DRAIN_MS: grace for connections on SIGTERM/SIGINT; default 3000 (the supervisor kills at 5 s).
 * - ELB_ENGINE_HEALTH_REPORT_MS: period of the full health report; default 10000.
 */
import path from "node:path";
import { EngineRuntime } from "./runtime/engine-runtime";
import { SNAPSHOT_FILE_NAME, isSnapshot, loadSnapshot, saveSnapshot } from "./runtime/snapshot-store";
import type { ConsoleToEngine, EngineToConsole } from "./snapshot/ipc.types";
import type { Snapshot } from "./snapshot/snapshot.types";

process.setSourceMapsEnabled(true);

const env = process.env;
const stateFile = env.ELB_ENGINE_STATE_DIR ? path.join(env.ELB_ENGINE_STATE_DIR, SNAPSHOT_FILE_NAME) : null;
const drainMs = Number(env.ELB_ENGINE_DRAIN_MS ?? 3000);
const healthReportMs = Number(env.ELB_ENGINE_HEALTH_REPORT_MS ?? 10_000);
const startedAt = Date.now();

const log = (message: string): void => void process.stderr.write(`[engine ${process.pid}] ${message}\n`);

/** Sends to the console when there is one and it is still connected. */
function send(message: EngineToConsole): void {
  if (process.send !== undefined && process.connected) process.send(message);
}

let healthTimer: NodeJS.Timeout | undefined;
/** Coalesces a burst of transitions (e.g. a backend with many pools going down) into one report. */
function scheduleHealthReport(): void {
  healthTimer ??= setTimeout(() => {
    healthTimer = undefined;
    send({ type: "health", members: runtime.healthReport() });
  }, 50);
}

const runtime = new EngineRuntime({ onHealthChange: scheduleHealthReport });

let persisting: Promise<void> = Promise.resolve();
/** Persists snapshots in apply order; a failed write is logged, the engine keeps serving. */
function persist(snapshot: Snapshot): void {
  if (stateFile === null) return;
  persisting = persisting
    .then(() => saveSnapshot(stateFile, snapshot))
    .catch((err: Error) => void log(`persisting snapshot ${snapshot.version} failed: ${err.message}`));
}

async function applySnapshot(snapshot: Snapshot): Promise<void> {
  let result;
  try {
    result = await runtime.apply(snapshot);
  } catch (err) {
    return log(`applying snapshot ${snapshot.version} failed: ${(err as Error).stack ?? String(err)}`);
  }
  if (result.applied && runtime.snapshot !== null) persist(runtime.snapshot);
  for (const error of result.errors) log(`listener ${error.listenerId}: ${error.message}`);
  send({ type: "applied", epoch: result.epoch, version: result.version, hash: result.hash, errors: result.errors });
  if (result.applied) scheduleHealthReport();
}

// Registered before anything async: a snapshot sent right after fork must not be missed.
process.on("message", (message: ConsoleToEngine) => {
  if (message?.type === "snapshot") {
    if (isSnapshot(message.snapshot)) void applySnapshot(message.snapshot);
    else log("ignored a malformed snapshot message (an epoch string, a version, a hash, listeners and pools are required)");
  } else if (message?.type === "ping") {
    const uptimeSeconds = Math.floor((Date.now() - startedAt) / 1000);
    send({ type: "pong", nonce: message.nonce, pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, uptimeSeconds });
  }
});

process.on("disconnect", () => {
  if (env.ELB_ENGINE_EXIT_WITH_PARENT === "1") void shutdown("console disconnected");
  else log("console disconnected; serving the last applied snapshot");
});

let shuttingDown = false;
async function shutdown(reason: string): Promise<void> {
  if (shuttingDown) process.exit(1); // second signal: stop now
  shuttingDown = true;
  log(`${reason}: draining for up to ${drainMs} ms`);
  await runtime.stop(drainMs);
  await persisting;
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// A data plane should not drop every connection for one bug in one of them: log and keep serving.
process.on("uncaughtException", (err) => log(`uncaught: ${err.stack ?? err.message}`));

async function start(): Promise<void> {
  const source = env.ELB_ENGINE_SNAPSHOT_FILE ?? stateFile;
  if (source !== null) {
    try {
      const initial = await loadSnapshot(source);
      if (initial !== null) await applySnapshot(initial);
    } catch (err) {
      log(`cannot apply ${source}: ${(err as Error).message}`);
    }
  }
  if (process.send !== undefined) setInterval(() => send({ type: "health", members: runtime.healthReport() }), healthReportMs).unref();
  send({ type: "ready", pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash });
  log(`ready, snapshot version ${runtime.version}${runtime.epoch === "" ? "" : ` (epoch ${runtime.epoch})`}`);
}

void start();
