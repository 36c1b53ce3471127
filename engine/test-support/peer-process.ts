import { spawn } from "node:child_process";
import net from "node:net";

/** A server process a test started (nginx, HAProxy): stopped by its PID. */
export interface PeerProcess {
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM to its PID, then waits for it to exit (SIGKILL after 3 s); nothing when it has exited already. */
  stop(): Promise<void>;
}

/** An address a started process must accept on before it counts as up. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Starts `command args` (no shell) and resolves once something accepts on every address of `listens`
 * (each polled every 50 ms, `timeoutMs` in all). A process that exits first, or does not listen in time,
 * is stopped and the error quotes `name`, the address and what it printed.
 */
export async function startPeerProcess(name: string, command: string, args: readonly string[], listens: readonly ListenAddress[], timeoutMs = 5000): Promise<PeerProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let printed = "";
  child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  let spawnError: Error | null = null;
  child.once("error", (err) => (spawnError = err)); // e.g. ENOENT: no such command
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const gone = () => spawnError !== null || child.exitCode !== null || child.signalCode !== null;
  const peer: PeerProcess = {
    output: () => printed,
    async stop() {
      if (gone() || child.pid === undefined) return;
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => !gone() && process.kill(child.pid!, "SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  try {
    for (const { host, port } of listens) {
      for (;;) {
        if (gone()) throw new Error(`${name} exited with ${spawnError ?? child.exitCode ?? child.signalCode}: ${printed}`);
        if (await accepts(host, port)) break;
        if (Date.now() > deadline) throw new Error(`${name} not listening on ${host}:${port} after ${timeoutMs} ms: ${printed}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (err) {
    await peer.stop();
    throw err;
  }
  return peer;
}

/** Something accepts a TCP connection on host:port (an answer within 500 ms). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => finish(false), 500);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
