import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startPeerProcess, type ListenAddress, type PeerProcess } from "./peer-process";

/** Debian's HAProxy (installed by `npm test` when missing): the first of its usual paths that exists. */
export const HAPROXY = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].find((candidate) => existsSync(candidate)) ?? "/usr/sbin/haproxy";

/**
 * Writes `config` to `dir`/haproxy.cfg and starts HAProxy in the foreground (`-db`) on it; resolves once
 * every address of `listens` (its frontends' binds) accepts, within `timeoutMs`. stop() by its PID.
 */
export async function startHaproxy(dir: string, config: string, listens: readonly ListenAddress[], timeoutMs = 5000): Promise<PeerProcess> {
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, "haproxy.cfg");
  writeFileSync(conf, config);
  return startPeerProcess("haproxy", HAPROXY, ["-db", "-f", conf], listens, timeoutMs);
}
