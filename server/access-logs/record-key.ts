/**
 * The position of a record in a stream, which orders the search results (newest first) and makes the
 * paging cursor: the file's hour, the record's msec in ms, the worker, the line number in its file.
 * Hour first, so an hour's files always hold the records between their neighbours' (paging can stop
 * at an hour boundary and never miss or repeat one).
 */
export interface RecordKey {
  hourStartMs: number;
  ms: number;
  worker: number;
  line: number;
}

/** Negative when `a` comes before (is older than) `b`. */
export function compareKeys(a: RecordKey, b: RecordKey): number {
  return a.hourStartMs - b.hourStartMs || a.ms - b.ms || a.worker - b.worker || a.line - b.line;
}

const CURSOR = /^(\d{1,15})\.(\d{1,15})\.(\d{1,6})\.(\d{1,12})$/;

/** The cursor text of a key ("older" page: records before it). */
export function formatCursor(key: RecordKey): string {
  return `${key.hourStartMs}.${key.ms}.${key.worker}.${key.line}`;
}

/** The key of a cursor text, or null when it is not one. */
export function parseCursor(text: string): RecordKey | null {
  const m = CURSOR.exec(text);
  return m ? { hourStartMs: Number(m[1]), ms: Number(m[2]), worker: Number(m[3]), line: Number(m[4]) } : null;
}
