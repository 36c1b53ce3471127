/**
 * Engine process entry (bundled to dist/engine/main.js by scripts/build-engine.mjs).
 *
 * Started by the console's supervisor as a detached process that outlives the console: talks over the
 * control socket $ELB_ENGINE_STATE_DIR/control.sock (newline-delimited JSON, mode 0600; every new
 * connection first gets "ready") and, when forked with one, over the IPC channel too — the same
 * ConsoleToEngine in, EngineToConsole out on both. One engine per state folder: a second one exits
 * with code 75 (see control/control-server.ts). It persists the last applied snapshot (with its epoch) to
 * $ELB_ENGINE_STATE_DIR/snapshot.json and applies it on start, before "ready", so it serves without
 * the console. A snapshot from another epoch than the held one (the console switched database or
 * restored a backup) is applied whatever its version.
 *
 * Environment (all optional):
 * - ELB_ENGINE_STATE_DIR: folder for snapshot.json, control.sock and engine.pid; unset = no persistence, no control socket.
 * - ELB_ENGINE_SNAPSHOT_FILE: standalone mode (benchmarks, ops): apply this snapshot file at start.
 * - ELB_ENGINE_EXIT_WITH_PARENT=1: exit when the IPC channel closes (console died); default keep serving.
 * - ELB_ENGINE_DRAIN_MS: grace for connections on SIGTERM/SIGINT; default 3000 (the supervisor kills at 5 s).
 * - ELB_ENGINE_HEALTH_REPORT_MS: period of the full health report; default 10000.
 * - ELB_ENGINE_WORKERS: data-plane worker threads; default one per core (os.availableParallelism());
 *   1 = the whole engine in this one thread. With several, this thread is the primary (console, snapshot,
 *   health checks) and each worker accepts on every listener through SO_REUSEPORT (workers/README.md).
 *   This same file is the worker threads' script: not the main thread → a worker.
 */
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { acquireStateDirLock, startControlServer, type ControlServer } from "./control/control-server";
import { EXIT_STATE_DIR_LOCKED, PID_FILE_NAME } from "./protocol/control-socket";
import { EngineRuntime } from "./runtime/engine-runtime";
import { SNAPSHOT_FILE_NAME, isSnapshot, loadSnapshot, saveSnapshot } from "./runtime/snapshot-store";
import type { ConsoleToEngine, EngineToConsole } from "./protocol/ipc.types";
import type { Snapshot } from "./protocol/snapshot.types";
import { MultiWorkerEngine } from "./workers/multi-worker-engine";
import { runWorkerThread } from "./workers/worker-thread";

process.setSourceMapsEnabled(true);
if (isMainThread) runPrimary();
else runWorkerThread();

/** ELB_ENGINE_WORKERS as a count: an integer 1–256, else one per core. */
function workerCount(value: string | undefined, log: (message: string) => void): number {
  const cores = os.availableParallelism();
  if (value === undefined || value === "") return cores;
  const count = Number(value);
  if (Number.isInteger(count) && count >= 1 && count <= 256) return count;
  log(`ELB_ENGINE_WORKERS=${value} is not an integer 1–256; using ${cores} (one per core)`);
  return cores;
}

/** The engine process's main thread: the console's side of the engine, and the whole engine with one worker. */
function runPrimary(): void {
  const env = process.env;
  const stateFile = env.ELB_ENGINE_STATE_DIR ? path.join(env.ELB_ENGINE_STATE_DIR, SNAPSHOT_FILE_NAME) : null;
  const drainMs = Number(env.ELB_ENGINE_DRAIN_MS ?? 3000);
  const healthReportMs = Number(env.ELB_ENGINE_HEALTH_REPORT_MS ?? 10_000);
  const startedAt = Date.now();

  const log = (message: string): void => void process.stderr.write(`[engine ${process.pid}] ${message}\n`);

  let control: ControlServer | null = null;
  /** "ready" once started (sent to every console that connects afterwards), null before. */
  let readyMessage: (() => EngineToConsole) | null = null;

  /** Sends to every connected console: the IPC parent, if any, and the control socket's clients. */
  function send(message: EngineToConsole): void {
    if (process.send !== undefined && process.connected) process.send(message);
    control?.broadcast(message);
  }

  let healthTimer: NodeJS.Timeout | undefined;
  /** Coalesces a burst of transitions (e.g. a backend with many pools going down) into one report. */
  function scheduleHealthReport(): void {
    healthTimer ??= setTimeout(() => {
      healthTimer = undefined;
      send({ type: "health", members: runtime.healthReport() });
    }, 50);
  }

  const workers = workerCount(env.ELB_ENGINE_WORKERS, log);
  const multi = workers > 1 ? new MultiWorkerEngine({ workers, entry: fileURLToPath(import.meta.url), onHealthChange: scheduleHealthReport, log }) : null;
  const runtime: EngineRuntime | MultiWorkerEngine = multi ?? new EngineRuntime({ onHealthChange: scheduleHealthReport });

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

  function onConsoleMessage(message: ConsoleToEngine): void {
    if (message?.type === "snapshot") {
      if (isSnapshot(message.snapshot)) void applySnapshot(message.snapshot);
      else log("ignored a malformed snapshot message (an epoch string, a version, a hash, listeners and pools are required)");
    } else if (message?.type === "ping") {
      const uptimeSeconds = Math.floor((Date.now() - startedAt) / 1000);
      const pong: EngineToConsole = { type: "pong", nonce: message.nonce, pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, uptimeSeconds };
      if (multi !== null) pong.workers = multi.workers();
      send(pong);
    }
  }
  // Registered before anything async: a snapshot sent right after fork must not be missed.
  process.on("message", onConsoleMessage);

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

  /** Takes the state folder (or exits if another engine holds it) and opens the control socket. */
  async function openControl(stateDir: string): Promise<void> {
    const lock = await acquireStateDirLock(stateDir);
    if (lock === null) {
      log(`another engine is running on ${stateDir}; exiting`);
      process.exit(EXIT_STATE_DIR_LOCKED);
    }
    const pidFile = path.join(stateDir, PID_FILE_NAME);
    try {
      control = await startControlServer({ stateDir, onMessage: onConsoleMessage, hello: () => readyMessage?.() ?? null, log });
    } catch (err) {
      log(`control socket ${path.join(stateDir, "control.sock")} unavailable: ${(err as Error).message}`);
    }
    writeFileSync(pidFile, `${process.pid}\n`);
    process.on("exit", () => {
      control?.close();
      rmSync(pidFile, { force: true });
    });
  }

  async function start(): Promise<void> {
    if (env.ELB_ENGINE_STATE_DIR) await openControl(env.ELB_ENGINE_STATE_DIR);
    if (multi !== null) {
      await multi.start();
      log(`${workers} worker threads accepting through SO_REUSEPORT`);
    }
    const source = env.ELB_ENGINE_SNAPSHOT_FILE ?? stateFile;
    if (source !== null) {
      try {
        const initial = await loadSnapshot(source);
        if (initial !== null) await applySnapshot(initial);
      } catch (err) {
        log(`cannot apply ${source}: ${(err as Error).message}`);
      }
    }
    if (process.send !== undefined || control !== null) setInterval(() => send({ type: "health", members: runtime.healthReport() }), healthReportMs).unref();
    readyMessage = () => ({ type: "ready", pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash });
    send(readyMessage());
    log(`ready, snapshot version ${runtime.version}${runtime.epoch === "" ? "" : ` (epoch ${runtime.epoch})`}`);
  }

  void start();
}
