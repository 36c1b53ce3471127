import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessLogFileName } from "../../protocol/access-log-files";
import { AccessLogFileWriter } from "./access-log-file-writer";

/** Appends the line `text` (latin1) at `epochMs`. */
function put(writer: AccessLogFileWriter, text: string, epochMs: number): boolean {
  return writer.append(Buffer.from(text, "latin1"), text.length, epochMs);
}

/**
 * The per-stream file writer on a real file system: hourly rotation with an injected clock (a test
 * does not wait an hour), gzip of the finished hour, and the bounded buffer under a write that really
 * stalls (the hour's file is a FIFO nobody reads: the writer's open blocks until the test reads it).
 */
const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 11, 1, 22); // 2026-12-01 22:00 UTC
let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-access-writer-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (hour: number, i: number) => `${hour}-${i} ${"x".repeat(40)}\n`;

describe("AccessLogFileWriter", () => {
  it("writes batches to the hour's file; the finished hour becomes <name>.log.gz holding exactly its lines", async () => {
    let now = H0 + 59 * 60_000;
    const writer = new AccessLogFileWriter(dir, 3, { flushBytes: 200 }, () => now);
    const first = Array.from({ length: 10 }, (_, i) => line(0, i));
    for (const l of first) put(writer, l, now);
    await writer.drain();
    expect(await readdir(dir)).toEqual([accessLogFileName(H0, 3)]);

    now = H0 + HOUR + 5_000; // the next hour's first records close and compress the previous file
    const second = Array.from({ length: 5 }, (_, i) => line(1, i));
    for (const l of second) put(writer, l, now);
    await writer.drain();
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([accessLogFileName(H0, 3) + ".gz", accessLogFileName(H0 + HOUR, 3)].sort());
    expect(gunzipSync(await readFile(path.join(dir, accessLogFileName(H0, 3) + ".gz"))).toString()).toBe(first.join(""));
    expect(await readFile(path.join(dir, accessLogFileName(H0 + HOUR, 3)), "utf8")).toBe(second.join(""));
    expect([writer.written, writer.dropped]).toEqual([15, 0]);

    now = H0 + 2 * HOUR + 2_000; // an hour that ends without traffic is closed by the rotation (its timer)
    await writer.rotate();
    await writer.drain();
    expect((await readdir(dir)).sort()).toEqual([accessLogFileName(H0, 3) + ".gz", accessLogFileName(H0 + HOUR, 3) + ".gz"].sort());
    expect(gunzipSync(await readFile(path.join(dir, accessLogFileName(H0 + HOUR, 3) + ".gz"))).toString()).toBe(second.join(""));
    await writer.close();
  });

  it("an hour's last lines and the next hour's first lines batched together still go to their own hour's file", async () => {
    let now = H0 + HOUR - 1_000;
    const writer = new AccessLogFileWriter(dir, 1, { flushBytes: 64 * 1024, flushIntervalMs: 60_000 }, () => now);
    const before = [line(0, 0), line(0, 1), line(0, 2)];
    for (const l of before) put(writer, l, H0 + HOUR - 1);
    now = H0 + HOUR + 1_000;
    const after = [line(1, 0), line(1, 1)];
    for (const l of after) put(writer, l, H0 + HOUR); // no flush in between: one pending batch so far
    await writer.drain();
    expect((await readdir(dir)).sort()).toEqual([accessLogFileName(H0, 1) + ".gz", accessLogFileName(H0 + HOUR, 1)].sort());
    expect(gunzipSync(await readFile(path.join(dir, accessLogFileName(H0, 1) + ".gz"))).toString()).toBe(before.join(""));
    expect(await readFile(path.join(dir, accessLogFileName(H0 + HOUR, 1)), "utf8")).toBe(after.join(""));
    await writer.close();
  });

  it("the buffer bound is inclusive: lines filling it exactly are kept, the next one is dropped and counted", async () => {
    const now = H0 + 5 * 60_000;
    const l = line(0, 0);
    const writer = new AccessLogFileWriter(dir, 0, { flushBytes: 64 * 1024, flushIntervalMs: 60_000, maxBufferBytes: 3 * l.length }, () => now);
    expect([put(writer, l, now), put(writer, l, now), put(writer, l, now), put(writer, l, now)]).toEqual([true, true, true, false]);
    await writer.drain();
    expect([writer.written, writer.dropped]).toEqual([3, 1]);
    expect(put(writer, l, now)).toBe(true); // written: the room is back
    await writer.close();
    expect([writer.written, writer.dropped]).toEqual([4, 1]);
  });

  it("a line is written where reserve says, in the batch itself; only its committed bytes count, a reservation's rest is reused", async () => {
    const now = H0 + 7 * 60_000;
    const writer = new AccessLogFileWriter(dir, 0, { flushBytes: 100, flushIntervalMs: 60_000, maxBufferBytes: 30 }, () => now);
    const write = (text: string, bound: number) => {
      const buf = writer.reserve(bound, now)!;
      const at = writer.reservedAt;
      buf.write(text, at, "latin1");
      return { buf, at, kept: writer.commit(text.length) };
    };
    const a = write("first\n", 60);
    const b = write("second\n", 40); // fits behind the first: same batch, right after its committed bytes
    expect([a.kept, b.kept, b.buf === a.buf, a.at, b.at]).toEqual([true, true, true, 0, 6]);
    const c = write("third line is too long for the bound\n", 90); // no room for 90 more: a new batch; held past 30: dropped
    expect([c.kept, c.buf === a.buf, c.at]).toEqual([false, false, 0]);
    const d = write("fourth\n", 50); // written where the dropped one was
    expect([d.kept, d.buf === c.buf, d.at]).toEqual([true, true, 0]); // 13 bytes held + 7 ≤ 30: kept
    await writer.close();
    expect(writer.reserve(10, now)).toBeNull(); // closed: refused and counted
    expect(await readFile(path.join(dir, accessLogFileName(H0, 0)), "latin1")).toBe("first\nsecond\nfourth\n");
    expect([writer.written, writer.dropped]).toEqual([3, 2]);
  });

  it("a line that ran past its batch's end (its bound too short) lost bytes: dropped and counted, never held or written", async () => {
    const now = H0 + 8 * 60_000;
    const writer = new AccessLogFileWriter(dir, 0, { flushBytes: 100, flushIntervalMs: 60_000 }, () => now);
    writer.reserve(10, now);
    expect(writer.commit(150)).toBe(false);
    expect([writer.bufferedBytes, writer.dropped]).toEqual([0, 1]);
    put(writer, "kept\n", now);
    await writer.close();
    expect(await readFile(path.join(dir, accessLogFileName(H0, 0)), "latin1")).toBe("kept\n");
  });

  it("reuses written batch buffers: a steady stream allocates no new batch buffer per batch, and every line arrives intact", async () => {
    const now = H0 + 20 * 60_000;
    const writer = new AccessLogFileWriter(dir, 0, { flushBytes: 470, flushIntervalMs: 60_000 }, () => now); // 10 lines a batch
    const allocations = vi.spyOn(Buffer, "allocUnsafe");
    const lines = Array.from({ length: 500 }, (_, i) => line(0, i).replace("x", String(i % 10)));
    try {
      for (let i = 0; i < lines.length; i++) {
        put(writer, lines[i]!, now);
        if (i % 30 === 29) await writer.drain(); // batches written between bursts (their buffers come back)
      }
      await writer.drain();
      const batchBuffers = allocations.mock.calls.filter(([size]) => size === 470).length;
      expect(batchBuffers).toBeLessThanOrEqual(4); // 50 batches; without reuse, 50 buffers
    } finally {
      allocations.mockRestore();
    }
    expect(await readFile(path.join(dir, accessLogFileName(H0, 0)), "latin1")).toBe(lines.join(""));
    await writer.close();
  });

  it("keeps up with a busy event loop: each write takes every batch sealed meanwhile, so a healthy disk drops nothing", async () => {
    const now = H0 + 25 * 60_000;
    // A saturated core: each turn of the loop is 1 ms of work that seals 8 batches (8 MB/s of lines),
    // and a write completes at most once a turn. One batch per write would fall 7 KiB behind every
    // turn: 1.4 MB behind after 200 turns, past the 1 MiB bound (which leaves a slow box ~128 turns of lag).
    const writer = new AccessLogFileWriter(dir, 0, { flushBytes: 1024, flushIntervalMs: 60_000, maxBufferBytes: 1024 * 1024 }, () => now);
    put(writer, line(0, 0), now);
    await writer.drain(); // the file is open
    const turns = 200;
    const perTurn = Math.ceil((8 * 1024) / 46);
    let expected = 1;
    let peak = 0;
    for (let t = 0; t < turns; t++) {
      for (let i = 0; i < perTurn; i++) {
        // 46 bytes each: a batch is never filled exactly, it is sealed by the line that does not fit.
        put(writer, `${String(expected).padStart(6, "0")} ${"x".repeat(38)}\n`, now);
        expected++;
      }
      peak = Math.max(peak, writer.bufferedBytes);
      const busyUntil = performance.now() + 1;
      while (performance.now() < busyUntil); // the rest of the turn's work
      await new Promise((r) => setImmediate(r));
    }
    await writer.drain();
    expect([writer.written, writer.dropped]).toEqual([expected, 0]);
    expect(peak).toBeLessThan(512 * 1024);
    const text = await readFile(path.join(dir, accessLogFileName(H0, 0)), "latin1");
    expect(text.split("\n").length - 1).toBe(expected);
    await writer.close();
  });

  it("flushes a batch after flushIntervalMs without reaching flushBytes", async () => {
    const writer = new AccessLogFileWriter(dir, 0, { flushIntervalMs: 50 });
    put(writer, "one\n", Date.now());
    const file = path.join(dir, accessLogFileName(Date.now() - (Date.now() % HOUR), 0));
    const deadline = Date.now() + 3000;
    let text = "";
    while (text === "" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      text = await readFile(file, "utf8").catch(() => "");
    }
    expect(text).toBe("one\n");
    await writer.close();
  });

  it("a line appended while close() is flushing is refused and counted, and the closed writer never reopens its file", async () => {
    const now = H0 + 10 * 60_000;
    const writer = new AccessLogFileWriter(dir, 0, { flushIntervalMs: 20 }, () => now);
    put(writer, "before\n", now);
    const closing = writer.close();
    const late = put(writer, "late\n", now); // a draining connection's request finishing meanwhile
    await closing;
    expect(late).toBe(false);
    expect([writer.written, writer.dropped, writer.bufferedBytes]).toEqual([1, 1, 0]);
    await new Promise((r) => setTimeout(r, 80)); // past flushIntervalMs: no timer writes after close
    expect(writer.written).toBe(1);
    expect(await readFile(path.join(dir, accessLogFileName(H0, 0)), "utf8")).toBe("before\n");
  });

  it("compresses this worker's plain files of earlier hours left by a previous run, not other workers'", async () => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(dir, accessLogFileName(H0, 1)), "left over\n");
    await writeFile(path.join(dir, accessLogFileName(H0, 2)), "another worker\n");
    const now = H0 + 3 * HOUR;
    const writer = new AccessLogFileWriter(dir, 1, {}, () => now);
    put(writer, "new\n", now);
    await writer.close();
    expect((await readdir(dir)).sort()).toEqual([accessLogFileName(H0, 1) + ".gz", accessLogFileName(H0, 2), accessLogFileName(now, 1)].sort());
  });

  it("a stalled disk: records past the bounded buffer are dropped and counted, memory stays within the bound", async () => {
    const now = H0 + 10 * 60_000;
    await mkdir(dir, { recursive: true });
    const fifo = path.join(dir, accessLogFileName(H0, 0));
    await promisify(execFile)("mkfifo", [fifo]); // opening it for writing blocks until a reader comes
    const max = 4096;
    const writer = new AccessLogFileWriter(dir, 0, { maxBufferBytes: max, flushBytes: 512, flushIntervalMs: 10 }, () => now);
    const lines = Array.from({ length: 1000 }, (_, i) => line(0, i)); // 1000 × 47 bytes ≫ 4 KiB
    let accepted = 0;
    let peak = 0;
    for (let i = 0; i < lines.length; i++) {
      if (put(writer, lines[i]!, now)) accepted++;
      peak = Math.max(peak, writer.bufferedBytes);
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 5)); // the write stays stalled across turns of the loop
    }
    expect(peak).toBeLessThanOrEqual(max);
    expect(accepted).toBeLessThanOrEqual(Math.floor(max / lines[0]!.length));
    expect(accepted).toBeGreaterThan(0);
    expect(writer.dropped).toBe(lines.length - accepted);
    expect(writer.written).toBe(0);

    // The disk comes back (a reader opens the FIFO): what was held is written, in order, nothing more.
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on("data", (d) => chunks.push(d as Buffer));
    const ended = new Promise<void>((resolve) => reader.once("close", () => resolve()));
    await writer.close();
    await ended;
    const received = Buffer.concat(chunks).toString();
    expect(received).toBe(lines.slice(0, accepted).join(""));
    expect([writer.written, writer.dropped, writer.bufferedBytes]).toEqual([accepted, lines.length - accepted, 0]);
  });
});
