import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { downloadStream } from "../../access-logs/download-stream";
import { accessLogFiltersSchema } from "./access-log.schemas";
import { resolveAccessLogSearch } from "./resolve-access-log-filter";

/** A download of the selection: a file name and its text, produced while it is sent. */
export interface AccessLogDownload {
  fileName: string;
  /** The raw table 7-1 lines matching the filters, oldest first, newline-terminated, in chunks. */
  chunks: AsyncGenerator<string>;
}

/** The Access Logs tab's download: the raw lines of the selection as a .log text file (streamed, never held whole). */
export async function downloadAccessLogs(ctx: ServiceContext, rawInput: unknown, opts: { now?: number; stateDir?: string } = {}): Promise<AccessLogDownload> {
  const input = parseInput(accessLogFiltersSchema, rawInput);
  const { view, folder, filter } = await resolveAccessLogSearch(ctx, input, opts);
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return {
    fileName: `access-log_${view.name}_${stamp(filter.fromMs)}-${stamp(filter.toMs)}.log`,
    chunks: folder ? downloadStream(folder, filter) : (async function* () {})(),
  };
}
