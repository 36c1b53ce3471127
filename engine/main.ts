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
 */
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { acquireStateDirLock, startControlServer, type ControlServer } from "./control/control-server";
import { EXIT_STATE_DIR_LOCKED, PID_FILE_NAME } from "./protocol/control-socket";
import { EngineRuntime } from "./runtime/engine-runtime";
import { SNAPSHOT_FILE_NAME, isSnapshot, loadSnapshot, saveSnapshot } from "./runtime/snapshot-store";
import type { ConsoleToEngine, EngineToConsole } from "./protocol/ipc.types";
import type { Snapshot } from "./protocol/snapshot.types";

process.setSourceMapsEnabled(true);

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

function onConsoleMessage(message: ConsoleToEngine): void {
  if (message?.type === "snapshot") {
    if (isSnapshot(message.snapshot)) void applySnapshot(message.snapshot);
    else log("ignored a malformed snapshot message (an epoch string, a version, a hash, listeners and pools are required)");
  } else if (message?.type === "ping") {
    const uptimeSeconds = Math.floor((Date.now() - startedAt) / 1000);
    send({ type: "pong", nonce: message.nonce, pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, uptimeSeconds });
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
