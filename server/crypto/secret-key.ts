import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDirectory } from "@/db/client";
import { parseSecretKey } from "@/engine/protocol/sealed-secret";

/** Name of the generated key file in the data directory. */
export const SECRET_KEY_FILE_NAME = "secret.key";

/** The 32-byte key that seals certificate private keys at rest (AES-256-GCM), and where it came from. */
export interface SecretKey {
  key: Buffer;
  /** "env": `ELB_SECRET_KEY`; "file": the key file (generated on first use). */
  source: "env" | "file";
  /** The key file, when `source` is "file" (the engine is given it as `ELB_SECRET_KEY_FILE`). */
  file: string | null;
}

/** Where `loadSecretKey` looks: the environment's `ELB_SECRET_KEY`, else `<dataDir>/secret.key`. */
export interface SecretKeyOptions {
  /** Default `process.env.ELB_SECRET_KEY`; empty = not set. */
  envKey?: string;
  /** Default `dataDirectory()` (`ELB_DATA_DIR`, `./data`). */
  dataDir?: string;
}

/**
 * Reads the secret key: `ELB_SECRET_KEY` (64 hex digits or base64 of 32 bytes) when set, else the key file
 * `<dataDir>/secret.key`, which is generated once (32 random bytes as hex, mode 0600, never overwritten:
 * created with O_EXCL, so two processes starting together end up with the same key) and reused after.
 * A key file another tool left readable by others is tightened to 0600. Throws, naming the source, when
 * the key is malformed: a console that cannot open its sealed keys must not start sealing with another.
 */
export function loadSecretKey(options: SecretKeyOptions = {}): SecretKey {
  const envKey = options.envKey ?? process.env.ELB_SECRET_KEY ?? "";
  if (envKey.trim() !== "") {
    try {
      return { key: parseSecretKey(envKey), source: "env", file: null };
    } catch (error) {
      throw new Error(`ELB_SECRET_KEY: ${(error as Error).message}`);
    }
  }
  const dataDir = options.dataDir ?? dataDirectory();
  const file = path.join(/*turbopackIgnore: true*/ dataDir, SECRET_KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  try {
    return { key: parseSecretKey(readFileSync(file, "utf8")), source: "file", file };
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

const cache = new Map<string, SecretKey>();

/**
 * The process's secret key (see `loadSecretKey`), read once per source: the certificate services seal with
 * it, and the engine supervisor hands the same source to the engine, which opens with it.
 */
export function secretKey(): SecretKey {
  const envKey = process.env.ELB_SECRET_KEY ?? "";
  const id = envKey.trim() !== "" ? `env\u0000${envKey}` : `file\u0000${dataDirectory()}`;
  let found = cache.get(id);
  if (!found) {
    found = loadSecretKey({ envKey });
    cache.set(id, found);
  }
  return found;
}
