import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { EventEmitter } from "node:events";
import net from "node:net";
import path from "node:path";
import { EXIT_STATE_DIR_LOCKED, controlSocketPath } from "@/engine/protocol/control-socket";
import { readLines, writeLine } from "@/engine/protocol/ndjson";
import type { ConsoleToEngine, EngineToConsole, MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { EngineStatus, EngineSupervisorOptions } from "./engine-supervisor.types";
import { alive, connect, signal, sleep } from "./engine-process";
import type { Snapshot } from "@/engine/protocol/snapshot.types";

export type { EngineStatus, EngineSupervisorOptions } from "./engine-supervisor.types";

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
}

/**
 * Supervises the engine process over its control socket (${stateDir}/control.sock). On start it adopts
 * an engine already running on the state folder (a console restart drops no traffic) or starts one,
 * detached, so it survives this process; it restarts the engine with exponential backoff when it exits
 * or stops answering pings, hands it snapshots, and collects what it reports (applied version, pong,
 * member health). Events: "spawn" (pid of a started process), "ready" (pid), "applied" (version),
 * "health" (reports), "pong", "exit" ({ code, signal, reason, restartInMs }: the delay before the next
 * attempt, null when supervision stopped).
 */
export class EngineSupervisor extends EventEmitter {
  private current: Incarnation | null = null;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private stopping = true;
  private latest: Snapshot | null = null;
  private nonce = 0;
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
    const current: Incarnation = { child, exit: null, socket: null, pid: child?.pid ?? null, startedAt: now, lastHeardAt: now, over: false };
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
    socket.on("close", () => this.lost(current, "connection lost", false));
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
        // The console is authoritative: whatever the engine kept on disk, it must hold the latest snapshot.
        if (this.latest && this.latest.hash !== message.hash) this.send({ type: "snapshot", snapshot: this.latest });
        this.emit("ready", message.pid);
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
        this.emit("pong", message);
        break;
      case "health":
        for (const report of message.members) this.health.set(report.memberId, report);
        this.emit("health", message.members);
        break;
    }
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
