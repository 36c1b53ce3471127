import path from "node:path";

/**
 * Where access-log records live on disk, shared by the engine (writes) and the console (searches,
 * downloads). Layout under the engine's state directory:
 *
 *   access-logs/<log group id>/<log stream id>/<YYYYMMDDHH>-w<worker>.log      hour being written (UTC)
 *   access-logs/<log group id>/<log stream id>/<YYYYMMDDHH>-w<worker>.log.gz   finished hours, gzip
 *
 * One file per worker thread and UTC hour (each worker writes only its own, so no lock is needed);
 * one table 7-1 record per line, newline-terminated, in the order the worker finished the requests.
 */
export const ACCESS_LOG_FOLDER = "access-logs";

/** The folder of every log group's records, under the engine state directory. */
export function accessLogRoot(stateDir: string): string {
  return path.join(stateDir, ACCESS_LOG_FOLDER);
}

/** The folder of one log stream's files. */
export function accessLogStreamFolder(stateDir: string, groupId: string, streamId: string): string {
  return path.join(accessLogRoot(stateDir), groupId, streamId);
}

/** File name of worker `worker`'s records of the UTC hour starting at `hourStartMs` (without ".gz"). */
export function accessLogFileName(hourStartMs: number, worker: number): string {
  const d = new Date(hourStartMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}-w${worker}.log`;
}

/** A file of a stream folder, as `parseAccessLogFileName` reads it. */
export interface AccessLogFileName {
  /** Start of the UTC hour the file holds (ms since the epoch). */
  hourStartMs: number;
  worker: number;
  /** True for a finished, gzip-compressed hour. */
  compressed: boolean;
}

const FILE_NAME = /^(\d{4})(\d{2})(\d{2})(\d{2})-w(\d+)\.log(\.gz)?$/;

/** Reads a file name written by the engine; null for anything else in the folder (temporary files …). */
export function parseAccessLogFileName(name: string): AccessLogFileName | null {
  const m = FILE_NAME.exec(name);
  if (m === null) return null;
  const hourStartMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
  return { hourStartMs, worker: Number(m[5]), compressed: m[6] !== undefined };
}
