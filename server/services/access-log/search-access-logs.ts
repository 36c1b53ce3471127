import "server-only";
import type { AccessLogEntry } from "@/engine/protocol/access-log-entry.types";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { parseCursor } from "../../access-logs/record-key";
import { searchStream } from "../../access-logs/search-stream";
import { searchAccessLogsSchema } from "./access-log.schemas";
import type { AccessLogView } from "./access-log-view";
import { resolveAccessLogSearch } from "./resolve-access-log-filter";

/** A page of the Access Logs tab. */
export interface AccessLogPage {
  settings: AccessLogView;
  /** The time range searched (the defaults filled in). */
  fromMs: number;
  toMs: number;
  /** Newest first: every table 7-1 field, the line as written, and the record's cursor. */
  records: { cursor: string; line: string; entry: AccessLogEntry }[];
  /** Pass as `cursor` for the next, older page; null on the last page. */
  olderCursor: string | null;
}

/** Searches the load balancer's access logs (guide chapter 7, "View Access Logs"): newest first, one page. */
export async function searchAccessLogs(ctx: ServiceContext, rawInput: unknown, opts: { now?: number; stateDir?: string } = {}): Promise<AccessLogPage> {
  const input = parseInput(searchAccessLogsSchema, rawInput);
  const before = input.cursor ? parseCursor(input.cursor) : null;
  if (input.cursor && !before) throw new AppError("BAD_REQUEST", "Cursor: not a page of this search; search again", "cursor");
  const { view, folder, filter } = await resolveAccessLogSearch(ctx, input, opts);
  const page = folder ? await searchStream(folder, filter, input.pageSize, before) : { records: [], olderCursor: null };
  return { settings: view, fromMs: filter.fromMs, toMs: filter.toMs, records: page.records, olderCursor: page.olderCursor };
}
