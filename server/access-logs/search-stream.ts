import type { AccessLogEntry } from "@/engine/protocol/access-log-entry.types";
import { parseAccessLogLine } from "@/engine/protocol/access-log-line";
import { compileFilter, type AccessLogFilter } from "./access-log-filter";
import { readLineBatches } from "./read-line-batches";
import { compareKeys, formatCursor, type RecordKey } from "./record-key";
import { listStreamHours } from "./stream-files";

/** One record found by a search: the parsed fields and the line as written. */
export interface FoundRecord {
  entry: AccessLogEntry;
  line: string;
  /** This record's position; pass it as `before` for the page after it. */
  cursor: string;
}

/** A page of search results, newest first. */
export interface SearchPage {
  records: FoundRecord[];
  /** Cursor of the next ("older") page, or null when there are no older matches. */
  olderCursor: string | null;
  /** Lines read to build the page (what it cost). */
  linesScanned: number;
}

interface Kept {
  key: RecordKey;
  entry: AccessLogEntry;
  line: string;
}

/**
 * The newest `pageSize` records of a stream's folder matching `filter` and older than `before`. Hours
 * are read newest first, each hour's files whole (a file's newest records are at its end); only the
 * best `pageSize + 1` matches are kept (sorted, oldest dropped), and reading stops after the first hour
 * that fills the page — so the first page of a busy day reads one hour, and memory is one page.
 * A line whose msec alone shows it is outside the range, or cannot beat the kept ones, is not parsed.
 */
export async function searchStream(folder: string, filter: AccessLogFilter, pageSize: number, before: RecordKey | null = null): Promise<SearchPage> {
  const limit = pageSize + 1;
  const compiled = compileFilter(filter);
  const kept: Kept[] = []; // ascending by key; kept[0] is the oldest kept
  let linesScanned = 0;
  const hours = await listStreamHours(folder, filter.fromMs, filter.toMs);
  for (const hour of hours) {
    if (before && hour.hourStartMs > before.hourStartMs) continue;
    for (const file of hour.files) {
      let lineNo = 0;
      for await (const lines of readLineBatches(file)) {
        for (const line of lines) {
          lineNo++;
          linesScanned++;
          const ms = Math.round(parseFloat(line) * 1000); // msec is the first field
          if (!(ms >= filter.fromMs && ms <= filter.toMs)) continue;
          const key: RecordKey = { hourStartMs: hour.hourStartMs, ms, worker: file.worker, line: lineNo };
          if (before && compareKeys(key, before) >= 0) continue;
          if (kept.length === limit && compareKeys(key, kept[0]!.key) <= 0) continue;
          if (!compiled.mayMatch(line)) continue;
          const entry = parseAccessLogLine(line);
          if (entry === null || !compiled.matches(entry)) continue;
          insertSorted(kept, { key, entry, line });
          if (kept.length > limit) kept.shift();
        }
      }
    }
    if (kept.length === limit) break;
  }
  const newestFirst = kept.reverse();
  const records = newestFirst.slice(0, pageSize).map((k) => ({ entry: k.entry, line: k.line, cursor: formatCursor(k.key) }));
  const olderCursor = newestFirst.length > pageSize ? records[records.length - 1]!.cursor : null;
  return { records, olderCursor, linesScanned };
}

/** Inserts into an ascending array; records mostly arrive in order, so the search starts at the end. */
function insertSorted(kept: Kept[], item: Kept): void {
  let i = kept.length;
  while (i > 0 && compareKeys(kept[i - 1]!.key, item.key) > 0) i--;
  kept.splice(i, 0, item);
}
