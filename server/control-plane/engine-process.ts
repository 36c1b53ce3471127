import "server-only";
import net from "node:net";
import type { SecretKey } from "../crypto/secret-key";

/** Process and socket helpers of the engine supervisor. */

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True while a process with this pid exists (and may be signalled by us). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Sends a signal to a process that may already be gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Connects to a Unix socket; null when nobody listens there. */
export function connect(socketPath: string): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const fail = () => {
      socket.destroy();
      resolve(null);
    };
    socket.once("error", fail);
    socket.once("connect", () => {
      socket.off("error", fail);
      resolve(socket);
    });
  });
}

/**
 * The engine's environment for opening sealed private keys (snapshot certificates): the console's own
 * secret key source — `ELB_SECRET_KEY` passed on, or the key file as `ELB_SECRET_KEY_FILE` — so both
 * processes use one key. An engine adopted by a later console was started with the same data directory's file.
 */
export function engineSecretKeyEnvironment(key: SecretKey): Record<string, string> {
  return key.file ? { ELB_SECRET_KEY_FILE: key.file } : { ELB_SECRET_KEY: key.key.toString("hex") };
}
