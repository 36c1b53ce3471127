import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import type { ConsoleToEngine, EngineToConsole, ListenerError, MemberHealthReport } from "@/engine/snapshot/ipc.types";
import type { Snapshot } from "@/engine/snapshot/snapshot.types";

/** Options of the engine supervisor. */
export interface EngineSupervisorOptions {
  /** Built engine entry, e.g. dist/engine/main.js. */
  entry: string;
  /** Folder where the engine keeps its last applied snapshot. */
  stateDir: string;
  /** First restart delay; doubles per crash up to maxBackoffMs. Default 500 ms. */
  initialBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** A run longer than this resets the backoff. Default 60 s. */
  stableAfterMs?: number;
  /** Liveness ping period. Default 5 s. */
  pingIntervalMs?: number;
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
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  lastPongAt: string | null;
  uptimeSeconds: number | null;
  listenerErrors: ListenerError[];
}

/**
 * Starts the engine as a separate Node process, restarts it with exponential backoff when it exits,
 * hands it snapshots, and collects what it reports (applied version, pong, member health).
 * Events: "ready" (pid), "applied" (version), "health" (reports), "exit".
 */
export class EngineSupervisor extends EventEmitter {
  private child: ChildProcess | null = null;
  private backoffMs: number;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private stopping = false;
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
  };

  constructor(private readonly options: EngineSupervisorOptions) {
    super();
    this.backoffMs = options.initialBackoffMs ?? 500;
  }

  /** Starts the engine process (idempotent). */
  start(): void {
    this.stopping = false;
    if (!this.child) this.spawn();
    this.pingTimer ??= setInterval(() => this.ping(), this.options.pingIntervalMs ?? 5000).unref();
  }

  /** Sends a snapshot now (and again after every restart until a newer one replaces it). */
  publish(snapshot: Snapshot): void {
    this.latest = snapshot;
    this.send({ type: "snapshot", snapshot });
  }

  /** Stops the engine (SIGTERM, then SIGKILL after 5 s) and supervision. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(killTimer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  private spawn(): void {
    this.status.state = this.status.restarts ? "restarting" : "starting";
    const child = fork(this.options.entry, [], {
      env: { ...process.env, ...this.options.env, ELB_ENGINE_STATE_DIR: this.options.stateDir },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "json",
    });
    this.child = child;
    this.startedAt = Date.now();
    this.status.pid = child.pid ?? null;
    child.on("message", (message: EngineToConsole) => this.onMessage(message));
    child.on("error", (error) => console.error("[elb] engine process error:", error.message));
    child.on("exit", (code, signal) => this.onExit(child, code, signal));
  }

  private onMessage(message: EngineToConsole): void {
    switch (message.type) {
      case "ready":
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
        this.emit("pong", message);
        break;
      case "health":
        for (const report of message.members) this.health.set(report.memberId, report);
        this.emit("health", message.members);
        break;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.status.pid = null;
    this.status.lastExit = { code, signal, at: new Date().toISOString() };
    this.emit("exit", { code, signal });
    if (this.stopping) {
      this.status.state = "stopped";
      return;
    }
    const ranFor = Date.now() - this.startedAt;
    if (ranFor > (this.options.stableAfterMs ?? 60_000)) this.backoffMs = this.options.initialBackoffMs ?? 500;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
    this.status.state = "restarting";
    this.status.restarts += 1;
    console.error(`[elb] engine exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.spawn(), delay);
  }

  private ping(): void {
    this.send({ type: "ping", nonce: ++this.nonce });
  }

  private send(message: ConsoleToEngine): void {
    const child = this.child;
    if (child?.connected) child.send(message, (error) => error && console.error("[elb] could not reach the engine:", error.message));
  }
}
