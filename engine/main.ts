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
 * - ELB_METRICS_INTERVAL_MS: period of the "metrics" message (every listener's counters and gauges, summed
 *   over the worker threads, protocol/metrics.types.ts); an integer 100–3600000, default 10000.
 * - ELB_ENGINE_WORKERS: data-plane worker threads; default one per core (os.availableParallelism());
 *   1 = the whole engine in this one thread. With several, this thread is the primary (console, snapshot,
 *   health checks) and each worker accepts on every listener through SO_REUSEPORT (workers/README.md).
 *   This same file is the worker threads' script: not the main thread → a worker.
 * - ELB_SECRET_KEY, else ELB_SECRET_KEY_FILE: the key that opens the certificates' sealed private keys
 *   (HTTPS listeners; without it each reports a listener error naming its certificate).
 * - ELB_ENGINE_UPGRADE_DRAIN_MS: after handing over to a new build, how long connections may take to
 *   finish before this process exits; default 30000.
 * - ELB_ENGINE_UPGRADE_READY_MS: how long a new build may take to serve before the upgrade is given up
 *   (it is killed, this engine keeps serving); default 15000.
 *
 * Upgrade (control/upgrade.ts, workers/README.md): SIGUSR2 or the message { type: "upgrade" } starts the
 * bundle on disk (this file's path: a rebuilt bundle) as a new engine that inherits every listening socket;
 * once it serves, this one says "upgrading", lets go of the sockets, the control socket and the lock, drains
 * and exits. The new engine is started with ELB_ENGINE_UPGRADE_FROM (this pid) and
 * ELB_ENGINE_INHERITED_SOCKETS (the descriptors, runtime/inherited-sockets.ts); its IPC channel is to this
 * engine, not to a console. Every ready and pong carries `build`: the sha256 of the bundle at start.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { acquireStateDirLock, startControlServer, type ControlServer } from "./control/control-server";
import { acquireStateDirLockPatiently, awaitHandover, buildIdOf, predecessorOf, reportReady, startSuccessor } from "./control/upgrade";
import { EXIT_STATE_DIR_LOCKED, PID_FILE_NAME } from "./protocol/control-socket";
import { EngineRuntime } from "./runtime/engine-runtime";
import { INHERITED_SOCKETS_ENV, parseInheritedSockets } from "./runtime/inherited-sockets";
import { AccessLogPruner } from "./observe/access-log/access-log-pruner";
import { SNAPSHOT_FILE_NAME, isSnapshot, loadSnapshot, saveSnapshot } from "./runtime/snapshot-store";
import type { ConsoleToEngine, EngineToConsole } from "./protocol/ipc.types";
import type { MetricsReport } from "./protocol/metrics.types";
import { createAccessLogSinks } from "./observe/access-log/access-log-sinks";
import type { Snapshot } from "./protocol/snapshot.types";
import { readEngineSecretKey } from "./tls/secret-key";
import { TicketKeys } from "./tls/ticket-keys";
import { installTlsEnvironment, tlsEnvironmentData } from "./tls/tls-environment";
import { MultiWorkerEngine } from "./workers/multi-worker-engine";
import { pinWorkerEntry } from "./workers/pinned-entry";
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

/** ELB_METRICS_INTERVAL_MS as a period: an integer 100–3 600 000 ms, else 10 000 (a 0 or NaN period would spin). */
function metricsPeriod(value: string | undefined, log: (message: string) => void): number {
  if (value === undefined || value === "") return 10_000;
  const ms = Number(value);
  if (Number.isInteger(ms) && ms >= 100 && ms <= 3_600_000) return ms;
  log(`ELB_METRICS_INTERVAL_MS=${value} is not an integer 100–3600000; using 10000`);
  return 10_000;
}

/** The engine process's main thread: the console's side of the engine, and the whole engine with one worker. */
function runPrimary(): void {
  const env = process.env;
  const stateFile = env.ELB_ENGINE_STATE_DIR ? path.join(env.ELB_ENGINE_STATE_DIR, SNAPSHOT_FILE_NAME) : null;
  const drainMs = Number(env.ELB_ENGINE_DRAIN_MS ?? 3000);
  const healthReportMs = Number(env.ELB_ENGINE_HEALTH_REPORT_MS ?? 10_000);
  const upgradeDrainMs = Number(env.ELB_ENGINE_UPGRADE_DRAIN_MS ?? 30_000);
  const upgradeReadyMs = Number(env.ELB_ENGINE_UPGRADE_READY_MS ?? 15_000);
  const startedAt = Date.now();
  const entry = fileURLToPath(import.meta.url);
  /** This process's build: the bundle as it was at start (a rebuild on disk is what an upgrade runs). */
  const build = buildIdOf(entry);

  const log = (message: string): void => void process.stderr.write(`[engine ${process.pid}] ${message}\n`);
  const metricsIntervalMs = metricsPeriod(env.ELB_METRICS_INTERVAL_MS, log);
  // Output gone (a pipe whose reader died, e.g. a bench or test harness killed): a failed write must not
  // become an uncaught exception, whose handler logs, which fails again — a loop that starves the event
  // loop (no drain, no exit) at 100 % CPU. With nowhere to write, the lines are lost; serving goes on.
  process.stderr.on("error", () => {});
  process.stdout.on("error", () => {});

  /** The engine this one takes over from (its IPC channel is ours), or null: our IPC parent, if any, is a console. */
  const predecessor = predecessorOf(env);
  const inherited = parseInheritedSockets(env[INHERITED_SOCKETS_ENV], log);

  let control: ControlServer | null = null;
  let lock: net.Server | null = null;
  /** "ready" once started (sent to every console that connects afterwards), null before. */
  let readyMessage: (() => EngineToConsole) | null = null;

  /** Sends to every connected console: the IPC parent, if it is one, and the control socket's clients. */
  function send(message: EngineToConsole): void {
    if (predecessor === null && process.send !== undefined && process.connected) process.send(message);
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

  // HTTPS: the secret key that opens sealed private keys and the ticket keys every worker thread shares (engine/tls/).
  const tls = { secretKey: readEngineSecretKey(env), ticketKeys: new TicketKeys() };
  installTlsEnvironment(tls);
  const workers = workerCount(env.ELB_ENGINE_WORKERS, log);
  const multi =
    workers > 1
      ? new MultiWorkerEngine({ workers, entry: pinWorkerEntry(entry, build), onHealthChange: scheduleHealthReport, inheritedSockets: inherited, tls: tlsEnvironmentData(tls), stateDir: env.ELB_ENGINE_STATE_DIR || undefined, log })
      : null;
  const accessLogSinks = multi === null && env.ELB_ENGINE_STATE_DIR ? createAccessLogSinks({ stateDir: env.ELB_ENGINE_STATE_DIR, workerIndex: 0 }) : undefined;
  const single = multi === null ? new EngineRuntime({ onHealthChange: scheduleHealthReport, inheritedSockets: inherited, accessLogSinks }) : null;
  const runtime: EngineRuntime | MultiWorkerEngine = multi ?? single!;
  /** Access-log retention (by age and size, per log group): once a minute and after each snapshot. */
  const pruner = env.ELB_ENGINE_STATE_DIR ? new AccessLogPruner(env.ELB_ENGINE_STATE_DIR) : null;
  /** Every listener's counters and gauges now (summed over the worker threads). */
  const metricsReport = async (): Promise<MetricsReport> => (multi !== null ? multi.metrics(startedAt) : { startedAt, at: Date.now(), ...single!.metrics() });

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
    if (result.applied && runtime.snapshot !== null) void pruner?.retain(runtime.snapshot.listeners, runtime.snapshot.accessLogGroups);
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
      const pong: EngineToConsole = { type: "pong", nonce: message.nonce, pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, uptimeSeconds, build };
      if (multi !== null) pong.workers = multi.workers();
      send(pong);
    } else if (message?.type === "upgrade") {
      void upgrade("upgrade requested");
    } else if (message?.type === "restartWorker") {
      if (multi === null || !multi.restartWorker(message.index)) log(`restartWorker ${message.index}: no such worker`);
    }
  }
  // Registered before anything async: a snapshot sent right after fork must not be missed. A successor's
  // IPC channel is to the engine it replaces (control/upgrade.ts), not to a console.
  if (predecessor === null) process.on("message", onConsoleMessage);

  process.on("disconnect", () => {
    if (predecessor !== null) return; // the replaced engine let go of us after our "ready"
    if (env.ELB_ENGINE_EXIT_WITH_PARENT === "1") void shutdown("console disconnected");
    else log("console disconnected; serving the last applied snapshot");
  });

  let shuttingDown = false;
  /** Set once a new engine took over: this one only drains. */
  let handedOver = false;
  async function shutdown(reason: string): Promise<void> {
    if (shuttingDown) process.exit(1); // second signal: stop now
    shuttingDown = true;
    log(`${reason}: draining for up to ${drainMs} ms`);
    // After a handover the drain under way has the upgrade's longer grace: a stop signal cuts it to drainMs.
    if (handedOver) setTimeout(() => process.exit(0), drainMs).unref();
    await runtime.stop(drainMs);
    await persisting;
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGUSR2", () => void upgrade("SIGUSR2"));
  // A data plane should not drop every connection for one bug in one of them: log and keep serving.
  process.on("uncaughtException", (err) => log(`uncaught: ${err.stack ?? err.message}`));

  let upgrading = false;
  let healthInterval: NodeJS.Timeout | undefined;
  let metricsInterval: NodeJS.Timeout | undefined;
  /**
   * Hands over to the bundle on disk (control/upgrade.ts): a new engine inherits every listening socket;
   * once it serves, this one tells its consoles, lets go of the sockets, the control socket and the lock,
   * drains (up to ELB_ENGINE_UPGRADE_DRAIN_MS) and exits. If the new engine fails, this one keeps serving.
   */
  async function upgrade(reason: string): Promise<void> {
    const busy = upgrading ? "an upgrade is under way" : shuttingDown ? "shutting down" : readyMessage === null ? "still starting" : null;
    if (busy !== null) return log(`${reason}: ignored (${busy})`);
    upgrading = true;
    let successor;
    try {
      const sockets = await runtime.listeningSockets();
      log(`${reason}: starting ${entry} with ${sockets.length} listening socket(s)`);
      successor = await startSuccessor({ entry, execArgv: process.execArgv, sockets, snapshot: runtime.snapshot, env, readyTimeoutMs: upgradeReadyMs });
    } catch (err) {
      const message = (err as Error).message;
      log(`upgrade failed, this engine keeps serving: ${message}`);
      send({ type: "upgradeFailed", message });
      upgrading = false;
      return;
    }
    handedOver = true;
    send({ type: "upgrading", pid: successor.pid, build: successor.build });
    // The console side goes to the successor: it retries the lock and opens the control socket.
    readyMessage = null;
    control?.close();
    control = null;
    lock?.close();
    lock = null;
    clearInterval(healthInterval);
    clearInterval(metricsInterval);
    successor.release();
    log(`engine ${successor.pid} serves now; draining for up to ${upgradeDrainMs} ms`);
    await runtime.stop(upgradeDrainMs);
    await persisting;
    log("drained; exiting");
    process.exit(0);
  }

  /** Takes the state folder (or exits if another engine holds it; a successor waits for it) and opens the control socket. */
  async function openControl(stateDir: string): Promise<void> {
    const taken = predecessor === null ? await acquireStateDirLock(stateDir) : await acquireStateDirLockPatiently(stateDir, log);
    if (taken === null) {
      log(`another engine is running on ${stateDir}; exiting`);
      process.exit(EXIT_STATE_DIR_LOCKED);
    }
    if (taken !== "unlocked") lock = taken;
    const pidFile = path.join(stateDir, PID_FILE_NAME);
    try {
      control = await startControlServer({ stateDir, onMessage: onConsoleMessage, hello: () => readyMessage?.() ?? null, log });
    } catch (err) {
      log(`control socket ${path.join(stateDir, "control.sock")} unavailable: ${(err as Error).message}`);
    }
    writeFileSync(pidFile, `${process.pid}\n`);
    process.on("exit", () => {
      control?.close();
      // After a handover the file names the successor: leave it.
      if (readPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
    });
  }

  /** Applies the snapshot to serve at start: the state folder's (or ELB_ENGINE_SNAPSHOT_FILE). */
  async function applyPersisted(): Promise<void> {
    const source = env.ELB_ENGINE_SNAPSHOT_FILE ?? stateFile;
    if (source === null) return;
    try {
      const initial = await loadSnapshot(source);
      if (initial !== null) await applySnapshot(initial);
    } catch (err) {
      log(`cannot apply ${source}: ${(err as Error).message}`);
    }
  }

  async function start(): Promise<void> {
    if (predecessor === null && env.ELB_ENGINE_STATE_DIR) await openControl(env.ELB_ENGINE_STATE_DIR);
    if (multi !== null) {
      await multi.start();
      log(`${workers} worker threads accepting through SO_REUSEPORT`);
    }
    pruner?.start();
    if (predecessor === null) await applyPersisted();
    else {
      // Taking over: serve the predecessor's snapshot on its sockets, say ready to it, then take the console side.
      let handover;
      try {
        handover = await awaitHandover(upgradeReadyMs);
      } catch (err) {
        log(`taking over from engine ${predecessor} failed: ${(err as Error).message}; exiting`);
        process.exit(1);
      }
      if (handover.snapshot !== null && isSnapshot(handover.snapshot)) await applySnapshot(handover.snapshot);
      else await applyPersisted();
      log(`took over ${inherited.length} listening socket(s) from engine ${predecessor}`);
    }
    readyMessage = () => ({ type: "ready", pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, build });
    if (predecessor !== null) {
      reportReady({ type: "ready", pid: process.pid, epoch: runtime.epoch, version: runtime.version, hash: runtime.hash, build });
      if (env.ELB_ENGINE_STATE_DIR) await openControl(env.ELB_ENGINE_STATE_DIR);
    }
    if (process.send !== undefined || control !== null) {
      healthInterval = setInterval(() => send({ type: "health", members: runtime.healthReport() }), healthReportMs).unref();
      let collecting = false; // a slow collection (a worker not answering) is not stacked on by the next tick
      metricsInterval = setInterval(() => {
        if (collecting) return;
        collecting = true;
        metricsReport()
          .then((report) => {
            if (readyMessage !== null) send({ type: "metrics", ...report });
          })
          .catch((err: Error) => log(`metrics report failed: ${err.message}`))
          .finally(() => (collecting = false));
      }, metricsIntervalMs).unref();
    }
    send(readyMessage());
    log(`ready, snapshot version ${runtime.version}${runtime.epoch === "" ? "" : ` (epoch ${runtime.epoch})`}, build ${build.slice(0, 12)}`);
  }

  void start();
}

/** The pid a pid file names; null when unreadable. */
function readPid(file: string): number | null {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return null;
  }
}
