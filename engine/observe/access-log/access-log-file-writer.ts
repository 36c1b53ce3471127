import { mkdir, open, readdir, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { accessLogFileName, parseAccessLogFileName } from "../../protocol/access-log-files";
import { compressFile } from "./compress-file";

const HOUR_MS = 3_600_000;

/** How a stream's file writer batches and bounds; defaults suit production. */
export interface FileWriterOptions {
  /** Records in memory at most (batch being filled, batches waiting, the one being written), in bytes; default 4 MiB. */
  maxBufferBytes?: number;
  /**
   * A batch is written once it holds this many bytes; default 256 KiB (a write is a hop to the thread pool
   * and back: on a saturated core, 64 KiB batches cost ~1,000 context switches a second more).
   */
  flushBytes?: number;
  /** …or this long after its first record; default 1000 ms. */
  flushIntervalMs?: number;
}

/** A batch of lines of one UTC hour: the bytes they were copied into as they came. */
interface Batch {
  hourStartMs: number;
  /** The batch's whole buffer (kept for reuse once written) … */
  buffer: Buffer;
  /** … and the part holding lines. */
  data: Buffer;
  count: number;
}

/**
 * One worker thread's writer of one log stream (protocol/access-log-files.ts layout: one file per
 * worker per UTC hour). Lines are written into an in-memory batch buffer as they come (`reserve` makes
 * room for a line's bound, the formatter writes there, `commit` takes it: no copy, no join, no string
 * encoding), sealed every `flushBytes` or `flushIntervalMs` and written
 * asynchronously, one write at a time, in order: each write takes every batch sealed meanwhile (one
 * `writev`), and written batch buffers are reused. The
 * memory is bounded: a line that would take the bytes held past `maxBufferBytes` is dropped and
 * counted (`dropped`) — a slow or full disk costs records, never the event loop or unbounded memory;
 * a failed write drops its batch (counted) and the next batch reopens the file.
 *
 * Rotation: a batch of a new hour closes the previous hour's file, which is then gzip-compressed
 * (compress-file.ts); an hour that ends without traffic is closed by a timer set for its end. Lines
 */
export class AccessLogFileWriter {
  /** Records written to the files (the write completed). */
  written = 0;
  /** Records dropped: buffer full, or their batch's write failed. */
  dropped = 0;
  /** Where the line of the last `reserve` goes in the buffer it returned. */
  reservedAt = 0;
  /**
   * The most room `reserve` makes in a batch: 1/16 of a batch, so that a batch sealed for want of room
   * is at least 15/16 full (`held` counts the bytes of lines, and the buffers stay within it by that
   * much). A line of a larger bound is written elsewhere and `append`ed.
   */
  readonly maxReserve: number;
  private readonly maxBufferBytes: number;
  private readonly flushBytes: number;
  private readonly flushIntervalMs: number;
  /** The batch being filled: `batch[0 .. lineBytes)` holds `lineCount` lines of hour `lineHour`. */
  private batch: Buffer | null = null;
  private lineCount = 0;
  private lineBytes = 0;
  private lineHour = -1;
  private readonly queue: Batch[] = [];
  /**
   * Batch buffers whose write completed, kept for the next batches (at most `MAX_SPARE_BYTES` of them): a
   * new batch buffer every few hundred lines is external memory that V8 answers with major collections.
   */
  private readonly spare: Buffer[] = [];
  /** Bytes of every line held: being batched, queued, being written. */
  private held = 0;
  private pumping: Promise<void> | null = null;
  private handle: FileHandle | null = null;
  private handleHour = -1;
  private flushTimer: NodeJS.Timeout | null = null;
  private rotateTimer: NodeJS.Timeout | null = null;
  private readonly compressions = new Set<Promise<boolean>>();
  private folderReady: Promise<void> | null = null;
  private closed = false;

  constructor(
    /** The stream's folder (protocol/access-log-files.ts `accessLogStreamFolder`). */
    readonly folder: string,
    /** This worker's index (file names end in -w<worker>). */
    readonly worker: number,
    options: FileWriterOptions = {},
    /** The clock (ms since the epoch) that decides a line's hour; tests move it across an hour. */
    private readonly now: () => number = Date.now,
  ) {
    this.maxBufferBytes = options.maxBufferBytes ?? 4 * 1024 * 1024;
    this.flushBytes = options.flushBytes ?? 256 * 1024;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxReserve = Math.max(1, this.flushBytes >> 4);
  }

  /** Bytes of lines held in memory now (never above `maxBufferBytes`). */
  get bufferedBytes(): number {
    return this.held;
  }

  /**
   * Adds one newline-terminated line, `line[0, bytes)`, finished at `epochMs` (copied: the caller reuses
   * its buffer); false when it was dropped (buffer full, writer closed).
   */
  append(line: Buffer, bytes: number, epochMs: number): boolean {
    const batch = this.reserve(bytes, epochMs);
    if (batch === null) return false;
    line.copy(batch, this.reservedAt, 0, bytes);
    return this.commit(bytes);
  }

  /**
   * Makes room for a line of at most `maxBytes` (≤ `maxReserve`; `append` takes longer ones) finished at
   * `epochMs` and returns the buffer to write it into, at `reservedAt` (the batch itself: the line is
   * never copied); then `commit`. Null when the writer is closed (the line is dropped and counted).
   */
  reserve(maxBytes: number, epochMs: number): Buffer | null {
    if (this.closed) {
      this.dropped++;
      return null;
    }
    const hour = epochMs - (epochMs % HOUR_MS);
    if (hour !== this.lineHour && this.lineCount > 0) this.seal();
    let batch = this.batch;
    if (batch !== null && this.lineBytes + maxBytes > batch.length) {
      if (this.lineCount > 0) this.seal();
      else this.keepSpare(batch); // lines reserved there were all dropped
      this.batch = batch = null;
    }
    if (batch === null) this.batch = batch = this.freshBatch(maxBytes);
    this.lineHour = hour;
    this.reservedAt = this.lineBytes;
    return batch;
  }

  /**
   * Takes the line written at `reservedAt` by the last `reserve`, `bytes` long (at most the room
   * reserved); false when it was dropped: it would take the bytes held past `maxBufferBytes`.
   */
  commit(bytes: number): boolean {
    // A line past its batch's end lost its last bytes (a bound too short): dropped, never written cut.
    if (this.held + bytes > this.maxBufferBytes || this.reservedAt + bytes > this.batch!.length) {
      this.dropped++;
      return false;
    }
    this.lineCount++;
    this.lineBytes += bytes;
    this.held += bytes;
    if (this.lineBytes >= this.flushBytes) this.flush();
    else {
      // A batch sealed above (full, or of the previous hour) is written now, not at the flush timer.
      if (this.queue.length > 0) this.pump();
      if (this.flushTimer === null) {
        this.flushTimer = setTimeout(onFlushTimer, this.flushIntervalMs, this);
        this.flushTimer.unref();
      }
    }
    return true;
  }

  /** Seals the lines batched so far and starts writing them. */
  flush(): void {
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.lineCount > 0) this.seal();
    this.pump();
  }

  /** Resolves once every line appended so far was written (or dropped) and every compression finished. */
  async drain(): Promise<void> {
    this.flush();
    while (this.pumping !== null) await this.pumping;
    while (this.compressions.size > 0) await Promise.all([...this.compressions]);
  }

  /** Writes what is held, closes the file (compressing it when its hour is over) and stops taking lines. */
  async close(): Promise<void> {
    // Refused from the start: a line taken while draining would sit in a batch nobody writes, and its
    // flush timer would reopen the file after close (a leaked handle).
    this.closed = true;
    await this.drain();
    if (this.rotateTimer !== null) clearTimeout(this.rotateTimer);
    this.rotateTimer = null;
    await this.closeHandle(this.now());
    while (this.compressions.size > 0) await Promise.all([...this.compressions]);
  }

  /** Closes the file when its hour is over (a timer at the hour's end, and before a batch of a later hour). */
  async rotate(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
    const now = this.now();
    // Checked and closed in one step after the wait: no batch can be writing to the handle being closed.
    if (this.handle !== null && this.handleHour + HOUR_MS <= now) await this.closeHandle(now);
  }

  /** A buffer for a new batch: a spare one when the line fits, else a new one of `flushBytes` (or the line's size, when longer). */
  private freshBatch(bytes: number): Buffer {
    if (bytes <= this.flushBytes && this.spare.length > 0) return this.spare.pop()!;
    return Buffer.allocUnsafe(Math.max(this.flushBytes, bytes));
  }

  /** Keeps a written batch's buffer for reuse; only the usual size (an outsized line's buffer is let go). */
  private keepSpare(buffer: Buffer): void {
    if (buffer.length === this.flushBytes && (this.spare.length + 1) * buffer.length <= Math.max(MAX_SPARE_BYTES, buffer.length)) this.spare.push(buffer);
  }

  private seal(): void {
    const buffer = this.batch!;
    this.queue.push({ hourStartMs: this.lineHour, buffer, data: buffer.subarray(0, this.lineBytes), count: this.lineCount });
    this.batch = null;
    this.lineCount = 0;
    this.lineBytes = 0;
  }

  private pump(): void {
    if (this.pumping !== null || this.queue.length === 0) return;
    this.pumping = this.writeQueued().finally(() => {
      this.pumping = null;
      if (this.queue.length > 0) this.pump();
    });
  }

  /**
   * Writes the queued batches in order: every batch queued of the first one's hour in one `writev`. A
   * write completes only when the event loop gets to it, and a saturated core gets to it seldom: one
   * batch per write fell behind and dropped lines; one write of all that came meanwhile keeps up.
   */
  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const hour = this.queue[0]!.hourStartMs;
      let n = 1;
      while (n < this.queue.length && n < MAX_BATCHES_PER_WRITE && this.queue[n]!.hourStartMs === hour) n++;
      const batches = this.queue.splice(0, n);
      let count = 0;
      for (const batch of batches) count += batch.count;
      try {
        const handle = await this.handleFor(hour);
        await writeAll(handle, batches.map(dataOf));
        this.written += count;
      } catch {
        this.dropped += count;
        await this.closeHandle(-1).catch(() => {});
      }
      for (const batch of batches) {
        this.held -= batch.data.length;
        this.keepSpare(batch.buffer);
      }
    }
  }

  /** The open file of `hourStartMs` (the previous hour's closed and compressed first). */
  private async handleFor(hourStartMs: number): Promise<FileHandle> {
    if (this.handle !== null && this.handleHour === hourStartMs) return this.handle;
    await this.closeHandle(hourStartMs);
    if (this.folderReady === null) this.folderReady = this.prepareFolder(hourStartMs);
    await this.folderReady;
    this.handle = await open(path.join(this.folder, accessLogFileName(hourStartMs, this.worker)), "a", 0o640);
    this.handleHour = hourStartMs;
    if (this.rotateTimer !== null) clearTimeout(this.rotateTimer);
    const untilEnd = hourStartMs + HOUR_MS - this.now() + 1000;
    this.rotateTimer = setTimeout(onRotateTimer, Math.max(1000, Math.min(untilEnd, HOUR_MS + 1000)), this);
    this.rotateTimer.unref();
    return this.handle;
  }

  /**
   * Closes the open file; when its hour is before `currentHourMs`'s (or `currentHourMs` is -1 for a
   * failed write: never), its hour is over and it is compressed.
   */
  private async closeHandle(current: number): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    const hour = this.handleHour;
    this.handle = null;
    this.handleHour = -1;
    await handle.close().catch(() => {});
    if (current >= 0 && hour + HOUR_MS <= current) this.compress(path.join(this.folder, accessLogFileName(hour, this.worker)));
  }

  /** Creates the folder and compresses this worker's files of earlier hours left plain (a crash, a restart). */
  private async prepareFolder(hourStartMs: number): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    for (const name of await readdir(this.folder).catch(() => [] as string[])) {
      const file = parseAccessLogFileName(name);
      if (file !== null && !file.compressed && file.worker === this.worker && file.hourStartMs < hourStartMs) this.compress(path.join(this.folder, name));
    }
  }

  private compress(plainPath: string): void {
    const job = compressFile(plainPath);
    this.compressions.add(job);
    void job.finally(() => this.compressions.delete(job));
  }
}

/** The lines of a batch. */
function dataOf(batch: Batch): Buffer {
  return batch.data;
}

/** Writes all of `buffers`, in order, with `writev` (again from where a short write stopped). */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  for (;;) {
    const { bytesWritten } = await handle.writev(rest);
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i]!.length) skip -= rest[i++]!.length;
    if (i === rest.length) return;
    if (bytesWritten === 0) throw new Error("access log: the file took no bytes");
    rest = [rest[i]!.subarray(skip), ...rest.slice(i + 1)];
  }
}

/** Batches joined into one `writev` at most (below IOV_MAX, 1024). */
const MAX_BATCHES_PER_WRITE = 256;

/** Bytes of written batch buffers kept for reuse per writer (at least one buffer): 1 MiB, four at the default 256 KiB. */
const MAX_SPARE_BYTES = 1024 * 1024;

// Timer handlers shared by every writer (no closure per writer or batch).
function onFlushTimer(writer: AccessLogFileWriter): void {
  writer.flush();
}
function onRotateTimer(writer: AccessLogFileWriter): void {
  void writer.rotate();
}
