import "server-only";
import { fork, type ChildProcess } from "node:child_process";
import type { EngineToConsole } from "@/engine/protocol/ipc.types";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import { ClientIpTestError } from "./client-ip-test-error";
import { LogTail } from "./log-tail";

/** How to start a test engine. */
export interface TestEngineOptions {
  /** The engine bundle (the console's own: dist/engine/main.js). */
  entry: string;
  /** Added to the engine's environment (the secret key that opens sealed private keys, for HTTPS). */
  env: Record<string, string>;
  /** The one-listener configuration it runs. */
  snapshot: Snapshot;
  /** How long it may take to say "ready" (default 5000 ms). */
  startTimeoutMs?: number;
  /** How long it may take to apply the snapshot once ready (default 3000 ms). */
  applyTimeoutMs?: number;
  /** Called with the pid as soon as the process exists (tests check that it is gone afterwards). */
  onStarted?: (pid: number) => void;
}

/** A running test engine: its process, forked with an IPC channel, serving `snapshot`. */
export interface TestEngine {
  readonly pid: number;
  /** Its last log lines (stderr). */
  logTail(): string[];
  /** Stops it by its pid: SIGTERM, SIGKILL after 1.5 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts a second process of the engine bundle for one test (one worker thread, no state folder, exits
 * with its parent) and has it apply `snapshot`. Throws a ClientIpTestError naming the step when it does
 * not start, exits, or reports a listener error (e.g. the port is taken); the process is stopped first.
 */
export async function startTestEngine(options: TestEngineOptions): Promise<TestEngine> {
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const applyTimeoutMs = options.applyTimeoutMs ?? 3000;
  const child = fork(options.entry, [], {
    env: { ...inheritedEnvironment(), ...options.env } as NodeJS.ProcessEnv,
    execArgv: [],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "json",
  });
  const log = new LogTail();
  child.stderr?.on("data", (chunk: Buffer) => log.push(chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("error", () => {}); // a failed fork surfaces as an exit
  const engine: TestEngine = { pid: child.pid ?? 0, logTail: () => log.lines(), stop: () => stopProcess(child, exited) };
  if (child.pid !== undefined) options.onStarted?.(child.pid);
  try {
    await nextMessage(child, "ready", startTimeoutMs, () => `the test engine did not start within ${seconds(startTimeoutMs)}`, log);
    child.send({ type: "snapshot", snapshot: options.snapshot });
    const applied = await nextMessage(child, "applied", applyTimeoutMs, () => `the test engine did not apply the listener within ${seconds(applyTimeoutMs)}`, log);
    const problem = applied.errors.find((e) => e.listenerId === options.snapshot.listeners[0]?.id);
    if (problem) throw new ClientIpTestError("start", `the test engine could not run the listener: ${problem.message}`);
    return engine;
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

/** The console's environment without its engine's settings (state folder, workers, secret key) or Node options. */
function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith("ELB_ENGINE_") || key.startsWith("ELB_SECRET_KEY") || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return { ...env, ELB_ENGINE_WORKERS: "1", ELB_ENGINE_EXIT_WITH_PARENT: "1", ELB_ENGINE_DRAIN_MS: "300", ELB_ENGINE_HEALTH_REPORT_MS: "600000" };
}

const seconds = (ms: number) => `${ms / 1000} s`;

/** The first message of `type` from the child within `timeoutMs`; a timeout or an exit throws with the log's tail. */
function nextMessage<T extends EngineToConsole["type"]>(child: ChildProcess, type: T, timeoutMs: number, late: () => string, log: LogTail): Promise<Extract<EngineToConsole, { type: T }>> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      reject(new ClientIpTestError("start", log.withTail(message)));
    };
    const onMessage = (message: EngineToConsole) => {
      if (message?.type !== type) return;
      cleanup();
      resolve(message as Extract<EngineToConsole, { type: T }>);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(`the test engine exited (${signal ?? `code ${code}`}) before it was ready`);
    const timer = setTimeout(() => fail(late()), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Ends the child by its pid: SIGTERM (it drains for 300 ms), SIGKILL if it is still there after 1.5 s. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 1500);
  await exited;
  clearTimeout(killer);
}
