import dgram from "node:dgram";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accessLogStreamFolder } from "../../protocol/access-log-files";
import type { SnapshotListener, SnapshotSyslogTarget } from "../../protocol/snapshot.types";
import { freePort, waitFor } from "../../test-support/backends";
import { newDetail } from "../../l7/request-detail";
import { createConnectionContext } from "../connection-context";
import { NOOP_OBSERVER } from "../noop-observer";
import type { RequestRecord } from "../observer.types";
import { createAccessLogSinks } from "./access-log-sinks";

/** A worker's access-log sinks (access-log-sinks.ts): one output per stream, retain after a snapshot, syslog target changes. */
let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-access-sinks-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const logging = (id: string, streamId: string, syslog: SnapshotSyslogTarget | null = null) =>
  ({
    id,
    name: id,
    loadBalancerId: "lb1",
    protocol: "HTTP",
    port: 80,
    bindAddresses: [],
    defaultPoolId: null,
    idleTimeoutSeconds: 60,
    accessLog: { streamId, groupId: "g1", tenantId: "t1", eipAddress: null, retentionDays: 7, maxBytes: 1 << 30, syslog },
  }) as unknown as SnapshotListener;

function record(): RequestRecord {
  const detail = newDetail(null);
  Object.assign(detail, { host: "h", uri: "/", protocol: "HTTP/1.1", requestLength: 10, bytesSent: 30, headBytes: 20 });
  return { method: "GET", status: 200, member: null, error: null, startedAt: 100, responseStartedAt: 101, doneAt: 103, detail };
}
const context = () => createConnectionContext({ listenerId: "l1", localAddress: "127.0.0.1", localPort: 80, bandwidth: null, observer: NOOP_OBSERVER }, "127.0.0.2", 40000);

async function udpReceiver() {
  const socket = dgram.createSocket("udp4");
  const got: string[] = [];
  socket.on("message", (m) => got.push(m.toString("latin1")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { got, port: socket.address().port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

describe("access-log sinks", () => {
  it("retain closes and forgets a stream no listener of the snapshot uses; the others keep their totals", async () => {
    const sinks = createAccessLogSinks({ stateDir: dir, workerIndex: 0 });
    try {
      sinks.sinkFor(logging("l1", "s1"))!.write(context(), record());
      sinks.sinkFor(logging("l2", "s2"))!.write(context(), record());
      expect(sinks.stats().map((s) => s.streamId).sort()).toEqual(["s1", "s2"]);
      sinks.retain([logging("l1", "s1"), { ...logging("l2", "s2"), accessLog: null } as unknown as SnapshotListener]);
      expect(sinks.stats().map((s) => s.streamId)).toEqual(["s1"]);
    } finally {
      await sinks.close();
    }
  });

  it("a burst that overfills the bounded buffers is counted in stats() as dropped (files and syslog), never as written or sent", async () => {
    const N = 200;
    const down = await freePort(); // a syslog server that is down: the TCP sender can only hold
    const sinks = createAccessLogSinks({ stateDir: dir, workerIndex: 0, files: { maxBufferBytes: 4096, flushBytes: 1 << 20, flushIntervalMs: 20 }, syslog: { maxQueueBytes: 2048 } });
    try {
      const sink = sinks.sinkFor(logging("l1", "s1", { protocol: "TCP", host: "127.0.0.1", port: down }))!;
      for (let i = 0; i < N; i++) sink.write(context(), record()); // one synchronous burst: no write can finish in between
      const burst = sinks.stats()[0]!;
      expect(burst.written).toBe(0);
      expect(burst.dropped).toBeGreaterThan(N / 2); // ~200-byte lines: 4 KiB hold about 20
      expect(burst.syslogSent).toBe(0);
      expect(burst.syslogDropped).toBeGreaterThan(N / 2);
      await waitFor(() => sinks.stats()[0]!.written === N - burst.dropped, 3000, "the held records written");
      const after = sinks.stats()[0]!;
      expect([after.written, after.dropped]).toEqual([N - burst.dropped, burst.dropped]);
      const folder = accessLogStreamFolder(dir, "g1", "s1");
      const lines = (await Promise.all((await readdir(folder)).map((n) => readFile(path.join(folder, n), "latin1")))).join("").split("\n").filter((l) => l !== "");
      expect(lines).toHaveLength(N - burst.dropped);
    } finally {
      await sinks.close();
    }
  });

  it("long lines (a 20 KB URI: a bound of ~240 KB) are written exactly and fill their batches: batch memory stays near the bytes held", async () => {
    const N = 100;
    const uri = "/" + "u".repeat(20_000);
    const sinks = createAccessLogSinks({ stateDir: dir, workerIndex: 0, files: { flushIntervalMs: 60_000 } });
    const allocations = vi.spyOn(Buffer, "allocUnsafe");
    let allocated = 0;
    try {
      const sink = sinks.sinkFor(logging("l1", "s1"))!;
      const r = record();
      r.detail!.uri = uri;
      for (let i = 0; i < N; i++) sink.write(context(), r); // one burst: nothing is written in between
      allocated = allocations.mock.calls.reduce((sum, [size]) => sum + (size >= 64 * 1024 ? size : 0), 0);
    } finally {
      allocations.mockRestore();
      await sinks.close();
    }
    const folder = accessLogStreamFolder(dir, "g1", "s1");
    const text = (await Promise.all((await readdir(folder)).map((n) => readFile(path.join(folder, n), "latin1")))).join("");
    const lines = text.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(N);
    expect(lines.every((l) => l.includes(` "GET http://h${uri} HTTP/1.1" `))).toBe(true);
    // ~2 MB of lines: in 256 KiB batches about 9 of them (and the scratch line). A batch sealed per line for
    // the room of its bound would be ~100 of them, 25 MB.
    expect(allocated).toBeLessThan(3 * text.length);
  });

  it("a stream whose syslog port changed sends to the new port (a new sender), the same target keeps its sender", async () => {
    const a = await udpReceiver();
    const b = await udpReceiver();
    const sinks = createAccessLogSinks({ stateDir: dir, workerIndex: 0 });
    try {
      sinks.sinkFor(logging("l1", "s1", { protocol: "UDP", host: "127.0.0.1", port: a.port }))!.write(context(), record());
      await waitFor(() => a.got.length === 1, 3000, "the first record at port A");
      // The same target again (a snapshot that changed something else): the sender and its count stay.
      sinks.sinkFor(logging("l1", "s1", { protocol: "UDP", host: "127.0.0.1", port: a.port }))!.write(context(), record());
      await waitFor(() => a.got.length === 2, 3000, "the second record at port A");
      expect(sinks.stats()[0]!.syslogSent).toBe(2);
      // The log stream's forwarding moved to port B.
      sinks.sinkFor(logging("l1", "s1", { protocol: "UDP", host: "127.0.0.1", port: b.port }))!.write(context(), record());
      await waitFor(() => b.got.length === 1, 3000, "the record after the change at port B");
      expect(a.got).toHaveLength(2);
    } finally {
      await sinks.close();
      await a.close();
      await b.close();
    }
  });
});
