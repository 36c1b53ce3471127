import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseAccessLogFileName, type AccessLogFileName } from "@/engine/protocol/access-log-files";

/** A record file of a log stream's folder. */
export interface StreamFile extends AccessLogFileName {
  path: string;
}

/** One UTC hour's files (one per worker), by worker. */
export interface StreamHour {
  hourStartMs: number;
  files: StreamFile[];
}

const HOUR_MS = 3_600_000;

/**
 * The hours of a stream's folder that can hold records finished in [fromMs, toMs], newest first (or
 * oldest first), each with its workers' files. When an hour of a worker exists both finished (.log.gz)
 * and plain (.log, a rotation under way) the finished file is taken. A missing folder has no hours.
 */
export async function listStreamHours(folder: string, fromMs: number, toMs: number, order: "newest" | "oldest" = "newest"): Promise<StreamHour[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const firstHour = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const byHourWorker = new Map<string, StreamFile>();
  for (const name of names) {
    const parsed = parseAccessLogFileName(name);
    if (!parsed || parsed.hourStartMs < firstHour || parsed.hourStartMs > toMs) continue;
    const key = `${parsed.hourStartMs}/${parsed.worker}`;
    const seen = byHourWorker.get(key);
    if (!seen || (parsed.compressed && !seen.compressed)) byHourWorker.set(key, { ...parsed, path: path.join(folder, name) });
  }
  const hours = new Map<number, StreamFile[]>();
  for (const file of byHourWorker.values()) {
    const files = hours.get(file.hourStartMs) ?? [];
    files.push(file);
    hours.set(file.hourStartMs, files);
  }
  const sign = order === "newest" ? -1 : 1;
  return [...hours.entries()]
    .map(([hourStartMs, files]) => ({ hourStartMs, files: files.sort((a, b) => a.worker - b.worker) }))
    .sort((a, b) => sign * (a.hourStartMs - b.hourStartMs));
}
