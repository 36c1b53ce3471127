import { createReadStream, createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/**
 * Compresses a finished hour's file: `<name>.log` → `<name>.log.gz` (zlib gzip, streamed: never the
 * whole file in memory, never blocking the event loop), written under a temporary name and renamed,
 * then the plain file is removed. Two compressions of one file at once (a writer's rotation and the
 * primary's pruner) end with one `.gz`: the loser's rename or unlink fails and is ignored.
 */
export async function compressFile(plainPath: string): Promise<boolean> {
  const temp = `${plainPath}.gz.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await pipeline(createReadStream(plainPath), createGzip(), createWriteStream(temp, { mode: 0o640 }));
    await rename(temp, `${plainPath}.gz`);
    await unlink(plainPath);
    return true;
  } catch {
    await unlink(temp).catch(() => {});
    return false;
  }
}
