import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { EventEmitter } from "node:events";
import net from "node:net";
import path from "node:path";
import { EXIT_STATE_DIR_LOCKED, controlSocketPath } from "@/engine/protocol/control-socket";
import { readLines, writeLine } from "@/engine/protocol/ndjson";
import type { ConsoleToEngine, EngineToConsole, MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { EngineStatus, EngineSupervisorOptions, UpgradeRequest } from "./engine-supervisor.types";
import { alive, connect, signal, sleep } from "./engine-process";
import type { Snapshot } from "@/engine/protocol/snapshot.types";

export type { EngineStatus, EngineSupervisorOptions, UpgradeRequest } from "./engine-supervisor.types";

/** One engine process as seen by this supervisor: from connecting (or spawning) to losing it. */
interface Incarnation {
  /** The process when this supervisor started it (exit code and signal are then known). */
  child: ChildProcess | null;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  socket: net.Socket | null;
  pid: number | null;
  startedAt: number;
  lastHeardAt: number;
  over: boolean;
  /** The engine said "upgrading": this pid serves now, and the coming disconnect is a hand-over. */
  successorPid: number | null;
}

/**
 * Supervises the engine process over its control socket (${stateDir}/control.sock). On start it adopts
 * an engine already running on the state folder (a console restart drops no traffic) or starts one,
 * detached, so it survives this process; it restarts the engine with exponential backoff when it exits
 * or stops answering pings, hands it snapshots, and collects what it reports (applied version, pong,
 * member health). Events: "spawn" (pid of a started process), "ready" (pid), "applied" (version),
 * "health" (reports), "pong", "exit" ({ code, signal, reason, restartInMs }: the delay before the next
 * attempt, null when supervision stopped), "upgrading" (pid of the engine taking over), "upgradeFailed"
 * (the engine's reason).
 *
 * Upgrades (engine/control/upgrade.ts): an engine that says "upgrading" has handed every listening socket
 * to a new engine process and is draining; its disconnect is not a crash — no kill, no restart: the
 * supervisor reconnects to the control socket and adopts the new engine. An engine found or adopted with
 * another `build` than the bundle on disk is asked to upgrade (options.autoUpgrade, once per build on disk).
 */
export class EngineSupervisor extends EventEmitter {
  private current: Incarnation | null = null;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private stopping = true;
  private latest: Snapshot | null = null;
  private nonce = 0;
  /** The build on disk this supervisor last asked an engine to upgrade to by itself (once per build). */
  private autoUpgradedTo: string | null = null;
  /** sha256 of the entry file, and the file's identity it was read from. */
  private diskBuild: { key: string; build: string } | null = null;
  readonly health = new Map<string, MemberHealthReport>();
  readonly status: EngineStatus = {
    state: "stopped",
    pid: null,
    version: 0,
    hash: "",
    restarts: 0,
    lastExit: null,
    lastPongAt: null,
    uptimeSeconds: null,
    listenerErrors: [],
    workers: null,
    build: null,
    buildOnDisk: null,
    upgrade: null,
  };

  constructor(private readonly options: EngineSupervisorOptions) {
    super();
    this.backoffMs = options.initialBackoffMs ?? 500;
  }

  private get socketPath(): string {
    return controlSocketPath(this.options.stateDir);
  }

  /** Adopts the running engine or starts one (idempotent). */
  start(): void {
    if (!this.stopping) return;
    this.stopping = false;
    void this.attach();
    this.pingTimer ??= setInterval(() => this.ping(), this.options.pingIntervalMs ?? 5000).unref();
  }

  /** Sends a snapshot now (and again after every restart until a newer one replaces it). */
  publish(snapshot: Snapshot): void {
    this.latest = snapshot;
    this.send({ type: "snapshot", snapshot });
  }

  /**
   * Asks the engine to hand over to the bundle on disk without closing a connection (the outcome comes
   * as "upgrading" then "ready" from the new engine, or "upgradeFailed"). Refused when no engine answers.
   */
  requestUpgrade(): UpgradeRequest {
    const current = this.current;
    if (!current?.socket || current.over || current.pid === null || this.status.state !== "running") return { ok: false, reason: "The engine is not running" };
    if (current.successorPid !== null) return { ok: false, reason: `The engine is handing over to engine ${current.successorPid}` };
    this.send({ type: "upgrade" });
    this.status.upgrade = { state: "requested", at: new Date().toISOString(), fromPid: current.pid, toPid: null };
    return { ok: true, pid: current.pid };
  }

  /**
   * Ends supervision. The engine keeps running (the next console adopts it) unless `stopEngine`
   * (default: options.stopEngineOnStop): then SIGTERM, and SIGKILL after 5 s.
   */
  async stop({ stopEngine = this.options.stopEngineOnStop ?? false }: { stopEngine?: boolean } = {}): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const current = this.current;
    this.current = null;
    this.status.state = "stopped";
    if (!current) return;
    current.over = true;
    current.socket?.destroy();
    const pid = current.pid ?? current.child?.pid ?? null;
    if (!stopEngine || pid === null || current.exit) return;
    signal(pid, "SIGTERM");
    if (!(await this.waitGone(current, pid, 5000))) {
      signal(pid, "SIGKILL");
      await this.waitGone(current, pid, 2000);
    }
    this.status.pid = null;
  }

  /** Connects to the engine on the state folder, or starts one and connects to it. */
  private async attach(): Promise<void> {
    this.restartTimer = null;
    this.status.state = this.status.restarts ? "restarting" : "starting";
    const existing = await connect(this.socketPath);
    if (this.stopping || this.current) return void existing?.destroy();
    if (existing) {
      this.status.adopted = true;
      return this.use(this.incarnation(null), existing);
    }
    this.status.adopted = false;
    const current = this.incarnation(this.spawn());
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000);
    while (this.isCurrent(current)) {
      const socket = await connect(this.socketPath);
      if (!this.isCurrent(current)) return void socket?.destroy();
      if (socket) return this.use(current, socket);
      if (Date.now() > deadline) return this.lost(current, "the engine did not open its control socket in time", true);
      await sleep(50);
    }
  }

  private isCurrent(current: Incarnation): boolean {
    return this.current === current && !current.over;
  }

  private incarnation(child: ChildProcess | null): Incarnation {
    const now = Date.now();
    const current: Incarnation = { child, exit: null, socket: null, pid: child?.pid ?? null, startedAt: now, lastHeardAt: now, over: false, successorPid: null };
    this.current = current;
    this.status.pid = current.pid;
    if (child) {
      child.on("error", (error) => console.error("[elb] engine process error:", error.message));
      child.once("exit", (code, signal) => {
        // Our engine lost the race for the state folder to another one, which we use: not our concern.
        if (current.child !== child) return;
        current.exit = { code, signal };
        void this.lost(current, "exited", false);
      });
    }
    return current;
  }

  /** Starts the engine detached (own session, output to the log file) so it outlives this process. */
  private spawn(): ChildProcess {
    const { stateDir } = this.options;
    const tied = this.options.stopEngineOnStop ?? false;
    const logFile = this.options.logFile ?? path.join(stateDir, "engine.log");
    mkdirSync(path.dirname(logFile), { recursive: true });
    mkdirSync(stateDir, { recursive: true });
    const out = openSync(/*turbopackIgnore: true*/ logFile, "a", 0o600);
    try {
      const child = spawn(process.execPath, [this.options.entry], {
        detached: true,
        // Tied to the console: an IPC channel whose end (console exit, even SIGKILL) stops the engine.
        stdio: tied ? ["ignore", out, out, "ipc"] : ["ignore", out, out],
        serialization: "json",
        env: {
          ...process.env,
          ...this.options.env,
          ELB_ENGINE_STATE_DIR: stateDir,
          ...(tied ? { ELB_ENGINE_EXIT_WITH_PARENT: "1" } : {}),
        },
      });
      child.unref();
      child.channel?.unref();
      if (child.pid !== undefined) this.emit("spawn", child.pid);
      return child;
    } finally {
      closeSync(out);
    }
  }

  private use(current: Incarnation, socket: net.Socket): void {
    current.socket = socket;
    current.lastHeardAt = Date.now();
    socket.on("error", () => {});
    socket.on("close", () => (current.successorPid !== null ? void this.adoptSuccessor(current) : void this.lost(current, "connection lost", false)));
    readLines(socket, (message) => {
      if (current.over) return;
      current.lastHeardAt = Date.now();
      this.onMessage(current, message as EngineToConsole);
    });
  }

  private onMessage(current: Incarnation, message: EngineToConsole): void {
    switch (message.type) {
      case "ready":
        // Connected to another engine than the one we started (it won the state folder): use it.
        if (current.child && current.child.pid !== message.pid) {
          current.child = null;
          this.status.adopted = true;
        }
        current.pid = message.pid;
        this.status.state = "running";
        this.status.pid = message.pid;
        this.status.version = message.version;
        this.status.hash = message.hash;
        this.status.build = message.build ?? null;
        if (this.status.upgrade?.state === "handing-over" && this.status.upgrade.toPid === message.pid) this.status.upgrade.state = "done";
        // The console is authoritative: whatever the engine kept on disk, it must hold the latest snapshot.
        if (this.latest && this.latest.hash !== message.hash) this.send({ type: "snapshot", snapshot: this.latest });
        this.emit("ready", message.pid);
        void this.compareBuild(current, message.build);
        break;
      case "applied":
        this.status.version = message.version;
        this.status.hash = message.hash;
        this.status.listenerErrors = message.errors;
        this.emit("applied", message.version);
        break;
      case "pong":
        this.status.version = message.version;
        this.status.hash = message.hash;
        this.status.uptimeSeconds = message.uptimeSeconds;
        this.status.lastPongAt = new Date().toISOString();
        this.status.workers = message.workers ?? null;
        this.status.build = message.build ?? null;
        void this.readDiskBuild().then((build) => (this.status.buildOnDisk = build));
        this.emit("pong", message);
        break;
      case "health":
        for (const report of message.members) this.health.set(report.memberId, report);
        this.emit("health", message.members);
        break;
      case "metrics":
        this.emit("metrics", message);
        break;
      case "upgrading":
        // A new engine serves on the same sockets; this one drains and closes the connection: adopt, do not restart.
        current.successorPid = message.pid;
        this.status.upgrade = { state: "handing-over", at: new Date().toISOString(), fromPid: current.pid, toPid: message.pid };
        console.error(`[elb] engine ${current.pid} hands over to engine ${message.pid}`);
        this.emit("upgrading", message.pid);
        break;
      case "upgradeFailed":
        this.status.upgrade = { state: "failed", at: new Date().toISOString(), fromPid: current.pid, toPid: null, message: message.message };
        console.error(`[elb] engine ${current.pid} did not upgrade and keeps serving: ${message.message}`);
        this.emit("upgradeFailed", message.message);
        break;
    }
  }

  /**
   * The engine that said "upgrading" closed its control connection: connect to the one that took over
   * (it opens the control socket once the old one let go of it) and use it. Only when it does not
   * answer in time (or dies) is this a loss like any other.
   */
  private async adoptSuccessor(previous: Incarnation): Promise<void> {
    if (previous.over || this.current !== previous) return;
    previous.over = true;
    previous.socket?.destroy();
    const pid = previous.successorPid!;
    const next = this.incarnation(null);
    next.pid = pid;
    this.status.pid = pid;
    this.status.adopted = true;
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000);
    while (this.isCurrent(next)) {
      const socket = await connect(this.socketPath);
      if (!this.isCurrent(next)) return void socket?.destroy();
      if (socket) return this.use(next, socket);
      if (!alive(pid)) return this.lost(next, "the engine that took over exited", false);
      if (Date.now() > deadline) return this.lost(next, "the engine that took over did not open its control socket in time", true);
      await sleep(25);
    }
  }

  /** sha256 of the engine entry on disk (re-read only when the file changed); null when it cannot be read. */
  private async readDiskBuild(): Promise<string | null> {
    try {
      const info = await stat(this.options.entry);
      const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
      if (this.diskBuild?.key !== key) this.diskBuild = { key, build: createHash("sha256").update(await readFile(this.options.entry)).digest("hex") };
      return this.diskBuild.build;
    } catch {
      return null;
    }
  }

  /** After "ready": an engine running another build than the one on disk is asked to upgrade (once per build on disk). */
  private async compareBuild(current: Incarnation, build: string | undefined): Promise<void> {
    const onDisk = await this.readDiskBuild();
    if (!this.isCurrent(current)) return;
    this.status.buildOnDisk = onDisk;
    if (!(this.options.autoUpgrade ?? true) || build === undefined || onDisk === null || build === onDisk) return;
    if (this.autoUpgradedTo === onDisk) {
      console.error(`[elb] engine ${current.pid} still runs build ${build.slice(0, 12)}, not ${onDisk.slice(0, 12)} on disk; not asking again (Settings → Engine: Upgrade engine)`);
      return;
    }
    this.autoUpgradedTo = onDisk;
    console.error(`[elb] engine ${current.pid} runs build ${build.slice(0, 12)}, the bundle on disk is ${onDisk.slice(0, 12)}: upgrading it`);
    this.requestUpgrade();
  }

  /**
   * The engine is gone (exited, connection closed) or hung (`kill`): make sure the process is dead —
   * so no two engines ever serve one state folder — then restart with backoff.
   */
  private async lost(current: Incarnation, reason: string, kill: boolean): Promise<void> {
    if (current.over) return;
    current.over = true;
    current.socket?.destroy();
    const pid = current.pid;
    if (pid !== null && !current.exit) {
      if (kill) signal(pid, "SIGKILL");
      // Closing the socket comes with exiting; a draining engine takes up to ELB_ENGINE_DRAIN_MS (3 s).
      else if (!(await this.waitGone(current, pid, 6000))) {
        console.error(`[elb] engine ${pid} closed its control connection but did not exit: killing it`);
        signal(pid, "SIGKILL");
      }
      await this.waitGone(current, pid, 2000);
    }
    if (this.current !== current) return;
    this.current = null;
    const exit = current.exit;
    this.status.pid = null;
    this.status.lastExit = exit
      ? { code: exit.code, signal: exit.signal, at: new Date().toISOString() }
      : { code: null, signal: null, at: new Date().toISOString(), reason };
    if (this.stopping) {
      this.status.state = "stopped";
      this.emit("exit", { code: exit?.code ?? null, signal: exit?.signal ?? null, reason, restartInMs: null });
      return;
    }
    const ranFor = Date.now() - current.startedAt;
    if (ranFor > (this.options.stableAfterMs ?? 60_000)) this.backoffMs = this.options.initialBackoffMs ?? 500;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
    this.emit("exit", { code: exit?.code ?? null, signal: exit?.signal ?? null, reason, restartInMs: delay });
    this.status.state = "restarting";
    // An engine that found another one on the state folder did not crash: the next attempt adopts that one.
    if (exit?.code !== EXIT_STATE_DIR_LOCKED) this.status.restarts += 1;
    const what = exit ? `code ${exit.code}, signal ${exit.signal}` : reason;
    console.error(`[elb] engine ${pid ?? ""} lost (${what}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => void this.attach(), delay);
  }

  /** Waits until the process is gone; false on timeout. Our own child is gone at its exit event. */
  private async waitGone(current: Incarnation, pid: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (current.child?.pid === pid ? current.exit === null : alive(pid)) {
      if (Date.now() > deadline) return false;
      await sleep(25);
    }
    return true;
  }

  private ping(): void {
    const current = this.current;
    if (!current?.socket || current.over) return;
    const timeout = this.options.pingTimeoutMs ?? Math.max(3 * (this.options.pingIntervalMs ?? 5000), 3000);
    if (Date.now() - current.lastHeardAt > timeout) return void this.lost(current, `no answer for ${timeout} ms`, true);
    this.send({ type: "ping", nonce: ++this.nonce });
  }

  private send(message: ConsoleToEngine): void {
    const socket = this.current?.socket;
    if (socket && !this.current?.over) writeLine(socket, message);
  }
}
