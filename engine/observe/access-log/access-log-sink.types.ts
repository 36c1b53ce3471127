import type { AccessLogStreamReport } from "../../protocol/metrics.types";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestRecord } from "../observer.types";

/**
 * Where one listener's finished requests become table 7-1 records. `write` runs on the hot path inside
 * the observer's requestDone: it formats into a bounded buffer and returns (never waits for the disk,
 * never throws); a full buffer drops the record and counts it.
 */
export interface AccessLogSink {
  write(context: ConnectionContext, record: RequestRecord): void;
}

/**
 * One worker thread's access-log writers, one per log stream, shared by the listeners writing to it.
 * The listener set asks for a listener's sink whenever it (re)builds that listener's observer.
 */
export interface AccessLogSinks {
  /** The sink of a listener whose `accessLog` is set (null otherwise); the same stream gives the same writer. */
  sinkFor(listener: SnapshotListener): AccessLogSink | null;
  /** Streams no live listener uses any more are flushed and closed (called after each snapshot is applied). */
  retain(listeners: readonly SnapshotListener[]): void;
  /** Totals per stream since this worker started (summed by the primary into the metrics report). */
  stats(): AccessLogStreamReport[];
  /** Flushes every buffer and closes every file and syslog connection. */
  close(): Promise<void>;
}
