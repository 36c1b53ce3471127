import { accessLogStreamFolder } from "../../protocol/access-log-files";
import type { AccessLogStreamReport } from "../../protocol/metrics.types";
import type { SnapshotListener, SnapshotSyslogTarget } from "../../protocol/snapshot.types";
import type { ConnectionContext, RequestRecord } from "../observer.types";
import { compileLogListener, IsoSecondClock, lineBound, writeAccessLogLine, type CompiledLogListener } from "./access-log-format";
import { AccessLogFileWriter, type FileWriterOptions } from "./access-log-file-writer";
import type { AccessLogSink, AccessLogSinks } from "./access-log-sink.types";
import { SyslogSender, type SyslogOptions } from "./syslog-sender";

/** What a worker's access-log writers need: the state directory (files go under access-logs/) and the worker's index. */
export interface AccessLogSinksOptions {
  stateDir: string;
  workerIndex: number;
  /** Batching and bounds of the file writers (tests make them tiny); default production's. */
  files?: FileWriterOptions;
  /** Bounds of the syslog senders; default production's. */
  syslog?: SyslogOptions;
  /** The clock of msec, time_iso8601 and the hour files (ms since the epoch); default Date.now. */
  now?: () => number;
}

/** One log stream of this worker: its file writer and, when configured, its syslog sender. */
class StreamOutput {
  syslog: SyslogSender | null = null;

  constructor(
    readonly streamId: string,
    readonly files: AccessLogFileWriter,
  ) {}

  /** Points the syslog forwarding at `target` (a new sender when it changed, none when null). */
  setSyslog(target: SnapshotSyslogTarget | null, options: SyslogOptions | undefined): void {
    const current = this.syslog;
    if (current !== null && target !== null && sameTarget(current.target, target)) return;
    if (current !== null) void current.close();
    this.syslog = target === null ? null : new SyslogSender(target, options);
  }

  async close(): Promise<void> {
    await Promise.all([this.files.close(), this.syslog?.close()]);
  }
}

function sameTarget(a: SnapshotSyslogTarget, b: SnapshotSyslogTarget): boolean {
  return a.protocol === b.protocol && a.host === b.host && a.port === b.port;
}

/**
 * One listener's sink: its compiled line parts (made when the snapshot was applied) and its stream's
 * outputs. `write` makes room for the line's bound in the file writer's batch, writes the line's bytes
 * there, and commits them; when forwarding, the syslog sender gets them as a string. It never waits
 * and never throws (a full buffer drops the record and counts it).
 */
class ListenerSink implements AccessLogSink {
  constructor(
    private readonly compiled: CompiledLogListener,
    private readonly output: StreamOutput,
    private readonly clock: IsoSecondClock,
    private readonly scratch: ScratchLine,
    private readonly now: () => number,
  ) {}

  write(context: ConnectionContext, record: RequestRecord): void {
    if (record.detail === null) return; // a connection opened before the listener logged: nothing was collected
    const now = this.now();
    const compiled = this.compiled;
    const output = this.output;
    const files = output.files;
    const bound = lineBound(compiled, context, record);
    if (bound <= files.maxReserve) {
      const buf = files.reserve(bound, now);
      if (buf === null) return; // the writer is closed (counted)
      const at = files.reservedAt;
      const end = writeAccessLogLine(buf, at, compiled, this.clock, context, record, now);
      output.syslog?.send(buf.toString("latin1", at, end), now);
      files.commit(end - at);
      return;
    }
    // A line whose bound is large (long URIs or headers, escaped at their worst): written apart, then its
    // exact bytes copied into the batch, so that a batch is never sealed for the room of a bound.
    const scratch = this.scratch.take(bound);
    const end = writeAccessLogLine(scratch, 0, compiled, this.clock, context, record, now);
    if (end > scratch.length) {
      files.dropped++; // past its bound (cut): dropped, counted, never written
      return;
    }
    output.syslog?.send(scratch.toString("latin1", 0, end), now);
    files.append(scratch, end, now);
  }
}

/** The buffer a worker's long lines are written into before they are copied into a batch (grown as needed, kept). */
class ScratchLine {
  private buf = Buffer.alloc(0);

  take(bytes: number): Buffer {
    if (this.buf.length < bytes) this.buf = Buffer.allocUnsafe(Math.max(bytes, 2 * this.buf.length));
    return this.buf;
  }
}

/**
 * The access-log writers of one worker thread: one `StreamOutput` per log stream a live listener
 * writes to (listeners of one stream share it), files under
 * `<stateDir>/access-logs/<group>/<stream>/` (protocol/access-log-files.ts), syslog per the stream's
 * listeners' `accessLog.syslog`.
 */
export function createAccessLogSinks(options: AccessLogSinksOptions): AccessLogSinks {
  const streams = new Map<string, StreamOutput>();
  const clock = new IsoSecondClock();
  const scratch = new ScratchLine();
  const now = options.now ?? Date.now;

  const outputFor = (listener: SnapshotListener): StreamOutput => {
    const log = listener.accessLog!;
    let output = streams.get(log.streamId);
    if (output === undefined) {
      const folder = accessLogStreamFolder(options.stateDir, log.groupId, log.streamId);
      output = new StreamOutput(log.streamId, new AccessLogFileWriter(folder, options.workerIndex, options.files, now));
      streams.set(log.streamId, output);
    }
    output.setSyslog(log.syslog, options.syslog);
    return output;
  };

  return {
    sinkFor(listener) {
      if (!listener.accessLog || (listener.protocol !== "HTTP" && listener.protocol !== "HTTPS")) return null;
      return new ListenerSink(compileLogListener(listener), outputFor(listener), clock, scratch, now);
    },
    retain(listeners) {
      const used = new Set<string>();
      for (const listener of listeners) if (listener.accessLog) used.add(listener.accessLog.streamId);
      for (const [streamId, output] of streams) {
        if (used.has(streamId)) continue;
        streams.delete(streamId);
        void output.close();
      }
    },
    stats(): AccessLogStreamReport[] {
      const out: AccessLogStreamReport[] = [];
      for (const output of streams.values()) {
        out.push({
          streamId: output.streamId,
          written: output.files.written,
          dropped: output.files.dropped,
          syslogSent: output.syslog?.sent ?? 0,
          syslogDropped: output.syslog?.dropped ?? 0,
        });
      }
      return out;
    },
    async close() {
      const all = [...streams.values()];
      streams.clear();
      await Promise.all(all.map((output) => output.close()));
    },
  };
}
