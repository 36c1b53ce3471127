import { chmodSync, lstatSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * Makes files this process creates from now on owner-only (umask 077): the embedded database holds
 * secrets, sessions and password hashes, and PGlite creates files long after it opened the folder.
 * A no-op where the umask cannot be set (worker threads).
 */
export function useOwnerOnlyUmask(): void {
  try {
    process.umask(process.umask() | 0o077);
  } catch {
    // process.umask() is not available in worker threads: the chmod walk below still applies.
  }
}

/** Tightens `dir` and everything under it: folders 0700, files 0600 (symbolic links are left alone). */
export function restrictToOwner(dir: string): void {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) return;
  if (!stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o600) chmodSync(dir, 0o600);
    return;
  }
  if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) restrictToOwner(path.join(dir, name));
}
