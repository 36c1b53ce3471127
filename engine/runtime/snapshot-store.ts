import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Snapshot } from "../protocol/snapshot.types";

/** File name of the persisted snapshot inside ELB_ENGINE_STATE_DIR. */
export const SNAPSHOT_FILE_NAME = "snapshot.json";

/**
 * True when a parsed value has the shape of a Snapshot (shallow: the console's compiler made it).
 * The epoch is required; files persisted before epochs existed go through `upgradeSnapshot` first.
 */
export function isSnapshot(value: unknown): value is Snapshot {
  const v = value as Partial<Snapshot> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.epoch === "string" &&
    typeof v.version === "number" &&
    typeof v.hash === "string" &&
    Array.isArray(v.listeners) &&
    Array.isArray(v.pools)
  );
}

/**
 * A snapshot file written before epochs existed has no `epoch`: it counts as epoch "", so the first
 * snapshot the console sends (which carries its database's epoch) replaces it whatever its version.
 */
export function upgradeSnapshot(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !("epoch" in value)) return { epoch: "", ...value };
  return value;
}

/** Reads a snapshot file (an epoch-less one as epoch ""); null when it does not exist. Throws on unreadable or malformed content. */
export async function loadSnapshot(file: string): Promise<Snapshot | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  const parsed = upgradeSnapshot(JSON.parse(text));
  if (!isSnapshot(parsed)) throw new Error(`${file} is not a snapshot`);
  return parsed;
}

/**
 * Writes a snapshot atomically: a temp file beside the target, then rename, so a crash mid-write
 * leaves the previous snapshot intact. Creates the folder when missing.
 */
export async function saveSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(snapshot), { mode: 0o600 });
  await rename(temp, file);
}
