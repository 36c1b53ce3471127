import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { EngineToConsole } from "../protocol/ipc.types";
import type { Snapshot } from "../protocol/snapshot.types";
import { INHERITED_SOCKETS_ENV, type InheritedSocket } from "../runtime/inherited-sockets";
import { acquireStateDirLock } from "./control-server";

/**
 * A new engine build takes over from the running one without closing a connection (nginx's binary
 * upgrade, HAProxy's seamless reload; workers/README.md "Upgrade"):
 *
 * 1. the running engine (the predecessor) collects the descriptors of its listening sockets and starts the
 *    engine bundle on disk (`startSuccessor`) with them in its stdio slots 4… (named in
 *    ELB_ENGINE_INHERITED_SOCKETS), an IPC channel in slot 3 and ELB_ENGINE_UPGRADE_FROM = its pid;
 * 2. it sends the successor its snapshot over that channel ("handover"); the successor applies it,
 *    binding every listener on the inherited sockets first (runtime/inherited-sockets.ts), and answers
 *    "ready": from then on both processes accept on the same sockets;
 * 3. the predecessor tells its consoles "upgrading" (the successor's pid), closes its copies of the
 *    listening sockets (the successor's copies keep them open: nothing queued is lost), gives up the
 *    control socket and the state-folder lock (the successor, retrying, takes them), drains its
 *    connections up to ELB_ENGINE_UPGRADE_DRAIN_MS and exits.
 *
 * A successor that is not ready in time (or exits first) is killed and the predecessor keeps serving.
 */

/** Environment variable telling an engine it takes over from the engine with this pid. */
export const UPGRADE_FROM_ENV = "ELB_ENGINE_UPGRADE_FROM";

/** Predecessor → successor, over the IPC channel of the spawn: the snapshot to serve (null: none held). */
export interface HandoverMessage {
  type: "handover";
  snapshot: Snapshot | null;
}

/** Successor → predecessor: the successor serves the handed-over snapshot (the same message consoles get). */
export type SuccessorReady = Extract<EngineToConsole, { type: "ready" }>;

/** The build identity of an engine bundle: sha256 (hex) of the file. */
export function buildIdOf(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A started successor that said ready. */
export interface Successor {
  pid: number;
  /** The successor's build (absent from an engine too old to say). */
  build: string | undefined;
  /** Lets the successor go: closes the IPC channel; it runs on by itself. */
  release(): void;
}

/** What `startSuccessor` needs. */
export interface SuccessorOptions {
  /** The engine bundle to run (the one on disk: the new build). */
  entry: string;
  /** Node options of the successor (this process's). */
  execArgv: readonly string[];
  /** The listening sockets to hand over (descriptors of this process). */
  sockets: readonly InheritedSocket[];
  /** The snapshot this engine holds (null: none). */
  snapshot: Snapshot | null;
  /** The successor's environment before the upgrade variables (this process's). */
  env: NodeJS.ProcessEnv;
  /** How long the successor may take to say ready; then it is killed. */
  readyTimeoutMs: number;
}

/**
 * Starts the successor (detached: it outlives this process) and resolves once it said ready; rejects,
 * after killing it, when it exits, fails to start or is not ready within `readyTimeoutMs`.
 */
export function startSuccessor(options: SuccessorOptions): Promise<Successor> {
  const FIRST_SOCKET_SLOT = 4; // 0–2 stdio, 3 the IPC channel
  const named = options.sockets.map((socket, i) => ({ type: socket.type, address: socket.address, port: socket.port, fd: FIRST_SOCKET_SLOT + i }));
  const env: NodeJS.ProcessEnv = { ...options.env, [INHERITED_SOCKETS_ENV]: JSON.stringify(named), [UPGRADE_FROM_ENV]: String(process.pid) };
  // The successor is not the console's child: tying it to this process's IPC channel would stop it when this one exits.
  delete env.ELB_ENGINE_EXIT_WITH_PARENT;
  const stdio: StdioOptions = ["ignore", "inherit", "inherit", "ipc", ...options.sockets.map((socket) => socket.fd)];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [...options.execArgv, options.entry], { detached: true, stdio, env, serialization: "json" });
  } catch (err) {
    return Promise.reject(err as Error);
  }
  return new Promise<Successor>((resolve, reject) => {
    let settled = false;
    const cleanup = (): void => {
      settled = true;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.off("error", onError);
      child.off("message", onMessage);
    };
    const fail = (why: string): void => {
      if (settled) return;
      cleanup();
      child.kill("SIGKILL");
      reject(new Error(why));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`the new engine exited before it was ready (code ${code}, signal ${signal})`);
    const onError = (err: Error): void => fail(`the new engine could not be started: ${err.message}`);
    const onMessage = (message: SuccessorReady): void => {
      if (settled || message?.type !== "ready") return;
      cleanup();
      resolve({
        pid: message.pid,
        build: message.build,
        release: () => {
          if (child.connected) child.disconnect();
          child.unref();
        },
      });
    };
    const timer = setTimeout(() => fail(`the new engine was not ready within ${options.readyTimeoutMs} ms`), options.readyTimeoutMs);
    child.on("exit", onExit);
    child.on("error", onError);
    child.on("message", onMessage);
    const handover: HandoverMessage = { type: "handover", snapshot: options.snapshot };
    child.send(handover, (err) => err && fail(`the handover message could not be sent: ${err.message}`));
  });
}

/** In a successor: the pid of the engine it takes over from (ELB_ENGINE_UPGRADE_FROM), else null. */
export function predecessorOf(env: NodeJS.ProcessEnv): number | null {
  const pid = Number(env[UPGRADE_FROM_ENV] ?? "");
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** In a successor: waits for the predecessor's handover message; rejects after `timeoutMs` or when the channel closes first. */
export function awaitHandover(timeoutMs: number): Promise<HandoverMessage> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) return reject(new Error("no IPC channel to the engine being replaced"));
    const done = (): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
      process.off("disconnect", onDisconnect);
    };
    const onMessage = (message: HandoverMessage): void => {
      if (message?.type !== "handover") return;
      done();
      resolve(message);
    };
    const onDisconnect = (): void => {
      done();
      reject(new Error("the engine being replaced closed the channel before the handover"));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no handover within ${timeoutMs} ms`));
    }, timeoutMs);
    process.on("message", onMessage);
    process.on("disconnect", onDisconnect);
  });
}

/** In a successor: tells the predecessor it serves (over the IPC channel of the spawn). */
export function reportReady(message: SuccessorReady): void {
  if (process.send !== undefined && process.connected) process.send(message);
}

/**
 * In a successor: takes the state-folder lock once the predecessor let it go (it does right after our
 * "ready"), retrying every 25 ms, slowing to 1 s; logs once if it takes more than 10 s. Never gives up: the
 * kernel releases the lock when the predecessor's process ends, whatever way it ends.
 */
export async function acquireStateDirLockPatiently(stateDir: string, log: (message: string) => void): Promise<Awaited<ReturnType<typeof acquireStateDirLock>>> {
  const started = Date.now();
  let delay = 25;
  let warned = false;
  for (;;) {
    const lock = await acquireStateDirLock(stateDir);
    if (lock !== null) return lock;
    if (!warned && Date.now() - started > 10_000) {
      warned = true;
      log(`the engine being replaced still holds ${stateDir}; waiting for it`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(1000, delay * 2);
  }
}
