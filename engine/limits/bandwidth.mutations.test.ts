import dgram from "node:dgram";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EngineRuntime } from "../runtime/engine-runtime";
import type { Snapshot, SnapshotListener, SnapshotPool } from "../protocol/snapshot.types";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";

/**
 * EIP bandwidth end to end, on the paths engine/limits/bandwidth.test.ts does not walk.
 *
 * Shaping and write backpressure compose (engine/io/shaped-writer.ts, TCP and HTTP): on a limited
 * address (EIP, 127.0.0.2 here) a client that stops reading must stop the backend too, even though
 * the shaper's holds keep ending and would otherwise resume it. Measured from the backend's side: the
 * bytes it got rid of stop growing once the buffers between it and the stalled client are full. A
 * release that resumes the backend despite a full client buffer (TCP holdReleased ignoring PAUSE_WRITE
 * or deliverHeld not setting it, HTTP holdReleased ignoring writableNeedDrain) makes the engine keep
 * reading at the shaped rate into the client's write buffer, until a chunk happens to pass the bucket
 * unheld; so these catch such mutants most of the time, and tcp-shaping / l7 shaping.mutations.test.ts
 * catch them every time.
 *
 * UDP: the frontend's bucket is looked up per snapshot and read per reply, so a limit added later
 * applies to sessions that are already open.
 */
const PRIVATE = "127.0.0.1";
const EIP = "127.0.0.2";
const MBIT = 40; // 5 MB/s: buffers fill within a second; a leak shows as ≈ 5 MB/s of growth
const CHUNK = Buffer.alloc(64 * 1024, 7);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A backend that writes `prefix`, then 64 KiB chunks as fast as its socket takes them (after the
 * first request bytes when `waitRequest`). `pushed()`: bytes the socket handed to the kernel so far.
 */
async function floodBackend(prefix: string, waitRequest: boolean): Promise<{ port: number; pushed(): number }> {
  const open = new Set<net.Socket>();
  let written = 0;
  let last: net.Socket | null = null;
  const server = net.createServer((socket) => {
    open.add(socket);
    last = socket;
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    const pump = () => {
      while (!socket.destroyed) {
        written += CHUNK.length;
        if (!socket.write(CHUNK)) return;
      }
    };
    socket.on("drain", pump);
    const start = () => {
      socket.write(prefix);
      pump();
    };
    if (waitRequest) socket.once("data", start);
    else start();
  });
  await new Promise<void>((resolve) => server.listen(0, PRIVATE, resolve));
  cleanups.push(() => {
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as AddressInfo).port,
    pushed: () => written - (last?.writableLength ?? 0),
  };
}

function limited(listeners: SnapshotListener[], pools: SnapshotPool[]): Snapshot {
  return { ...snapshot(1, listeners, pools), addressLimits: [{ address: EIP, megabitsPerSecond: MBIT }] };
}

/** Connects to the EIP, sends `request`, then never reads again. */
async function stalledClient(port: number, request: string): Promise<net.Socket> {
  const socket = net.connect({ host: EIP, port });
  cleanups.push(() => socket.destroy());
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.pause();
  if (request !== "") socket.write(request);
  return socket;
}

/**
 * Waits until the backend's progress stood still for 500 ms (the buffers between it and the stalled
 * client are full; at most 4 s), then returns that level and how much it grew over the next 1.5 s.
 */
async function growthWhileStalled(pushed: () => number): Promise<{ settled: number; growth: number }> {
  const deadline = Date.now() + 4000;
  let last = pushed();
  let stillSince = Date.now();
  while (Date.now() < deadline && Date.now() - stillSince < 500) {
    await sleep(100);
    const now = pushed();
    if (now !== last) [last, stillSince] = [now, Date.now()];
  }
  const settled = pushed();
  await sleep(1500);
  return { settled, growth: pushed() - settled };
}

describe("EIP shaping: a stalled client stops the backend (hold release vs write backpressure)", () => {
  it("TCP listener", async () => {
    const backend = await floodBackend("", false);
    const port = await freePort();
    const rt = new EngineRuntime({ drainGraceMs: 100 });
    cleanups.push(() => rt.stop(100));
    const result = await rt.apply(limited([listener("t", port, "p", { bindAddresses: [PRIVATE, EIP] })], [pool("p", [member("m", backend.port)])]));
    expect(result.errors).toEqual([]);
    await stalledClient(port, "");
    const { settled, growth } = await growthWhileStalled(backend.pushed);
    expect(settled).toBeGreaterThan(0);
    expect(growth).toBeLessThan(1024 * 1024); // a leak grows ≈ 7 MB here
  }, 15_000);

  it("HTTP listener", async () => {
    const backend = await floodBackend("HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n", true);
    const port = await freePort();
    const rt = new EngineRuntime({ drainGraceMs: 100 });
    cleanups.push(() => rt.stop(100));
    const http = listener("h", port, "p", { protocol: "HTTP", bindAddresses: [PRIVATE, EIP], idleTimeoutSeconds: 60 });
    const result = await rt.apply(limited([http], [pool("p", [member("m", backend.port)], { protocol: "HTTP" })]));
    expect(result.errors).toEqual([]);
    await stalledClient(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const { settled, growth } = await growthWhileStalled(backend.pushed);
    expect(settled).toBeGreaterThan(0);
    expect(growth).toBeLessThan(1024 * 1024);
  }, 15_000);
});

describe("EIP bandwidth: UDP", () => {
  it("a limit added by a later snapshot polices the replies of a session opened before it", async () => {
    const upstream = dgram.createSocket("udp4");
    upstream.on("message", (_msg, rinfo) => upstream.send(Buffer.alloc(1000, 7), rinfo.port, rinfo.address));
    await new Promise<void>((resolve) => upstream.bind(0, PRIVATE, resolve));
    cleanups.push(() => new Promise<void>((resolve) => upstream.close(() => resolve())));
    const port = await freePort();
    const rt = new EngineRuntime({ drainGraceMs: 100 });
    cleanups.push(() => rt.stop(100));
    const listeners = [listener("u", port, "p", { protocol: "UDP", bindAddresses: [PRIVATE, EIP] })];
    const pools = [pool("p", [member("m", upstream.address().port)], { protocol: "UDP" })];
    expect((await rt.apply(snapshot(1, listeners, pools))).errors).toEqual([]); // no limit yet

    const client = dgram.createSocket("udp4"); // one client address:port = one session throughout
    let received = 0;
    client.on("message", () => received++);
    await new Promise<void>((resolve) => client.bind(0, PRIVATE, resolve));
    cleanups.push(() => client.close());
    /** Sends `count` datagrams at once, counts the replies that arrive within 400 ms. */
    const burst = async (count: number): Promise<number> => {
      received = 0;
      for (let i = 0; i < count; i++) client.send("hello", port, EIP);
      await sleep(400);
      return received;
    };
    client.send("open", port, EIP);
    await sleep(100);
    expect(await burst(50)).toBe(50); // unlimited

    const result = await rt.apply({ ...snapshot(2, listeners, pools), addressLimits: [{ address: EIP, megabitsPerSecond: 1 }] });
    expect(result.errors).toEqual([]);
    const policed = await burst(50); // 50 000 bytes against a 16 KiB burst + 125 bytes/ms
    expect(policed).toBeGreaterThan(5);
    expect(policed).toBeLessThan(40);
  });
});
