import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, realpathSync, rmSync } from "node:fs";
import net from "node:net";
import type { ConsoleToEngine, EngineToConsole } from "../protocol/ipc.types";
import { controlSocketPath } from "../protocol/control-socket";
import { readLines, writeLine } from "../protocol/ndjson";

/** The engine's end of the control channel. */
export interface ControlServer {
  readonly path: string;
  /** Sends a message to every connected console. */
  broadcast(message: EngineToConsole): void;
  /** Number of consoles connected now. */
  readonly connections: number;
  /** Stops accepting, closes connections and removes the socket file. */
  close(): void;
}

/**
 * One engine per state folder. On Linux the lock is an abstract-namespace socket named after the
 * folder's real path: binding is atomic and the kernel releases it when the process dies (even on
 * SIGKILL), so there is no stale lock to clean up. Elsewhere the lock is "the control socket answers".
 * Resolves null when another live engine holds the folder.
 */
export async function acquireStateDirLock(stateDir: string): Promise<net.Server | "unlocked" | null> {
  mkdirSync(stateDir, { recursive: true });
  if (process.platform !== "linux") return (await answers(controlSocketPath(stateDir))) ? null : "unlocked";
  const id = createHash("sha256").update(realpathSync(stateDir)).digest("hex").slice(0, 32);
  const lock = net.createServer((socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    lock.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(null) : reject(err)));
    lock.listen(`\0elb-engine-${id}`, () => {
      lock.unref();
      resolve(lock);
    });
  });
}

/** True when something accepts connections on the socket at `socketPath`. */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Listens on `${stateDir}/control.sock` (mode 0600; a stale file from a dead engine is removed first:
 * call it only while holding the state-folder lock). Every connection gets `hello()` as its first line
 * when it returns a message (the engine's "ready" once started), then whatever is broadcast; each
 * line it sends is handed to `onMessage`.
 */
export async function startControlServer(options: {
  stateDir: string;
  onMessage: (message: ConsoleToEngine) => void;
  hello: () => EngineToConsole | null;
  log: (message: string) => void;
}): Promise<ControlServer> {
  const socketPath = controlSocketPath(options.stateDir);
  rmSync(socketPath, { force: true });
  const clients = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
    socket.on("error", () => {});
    readLines(
      socket,
      (message) => options.onMessage(message as ConsoleToEngine),
      (line) => options.log(`control socket: ignored a line that is not JSON: ${line}`),
    );
    const hello = options.hello();
    if (hello) writeLine(socket, hello);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // The socket file is created by bind(), inside listen(): a restrictive umask closes the window before chmod.
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath, () => resolve());
    } finally {
      process.umask(umask);
    }
  });
  chmodSync(socketPath, 0o600);
  let closed = false;
  return {
    path: socketPath,
    broadcast(message) {
      for (const socket of clients) writeLine(socket, message);
    },
    get connections() {
      return clients.size;
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of clients) socket.destroy();
      rmSync(socketPath, { force: true });
    },
  };
}
