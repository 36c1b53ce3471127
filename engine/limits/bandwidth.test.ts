import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EngineRuntime } from "../runtime/engine-runtime";
import type { Snapshot, SnapshotListener, SnapshotPool } from "../protocol/snapshot.types";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";

/**
 * EIP bandwidth end to end through the engine runtime, on real sockets: 127.0.0.1 plays the load
 * balancer's private IP, 127.0.0.2 its EIP, limited to 1 Mbit/s (125 000 bytes/s, 16 KiB burst).
 * 256 KiB through the EIP therefore takes ≈ 2 s; through the private IP it is not limited.
 */
const PRIVATE = "127.0.0.1";
const EIP = "127.0.0.2";
const KIB = 1024;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function engine(): EngineRuntime {
  const runtime = new EngineRuntime({ drainGraceMs: 200 });
  cleanups.push(() => runtime.stop(100));
  return runtime;
}

function limited(version: number, listeners: SnapshotListener[], pools: SnapshotPool[], mbit: number): Snapshot {
  return { ...snapshot(version, listeners, pools), addressLimits: [{ address: EIP, megabitsPerSecond: mbit }] };
}

async function listen(server: net.Server | http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, PRIVATE, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A TCP backend that sends `bytes` to every connection, then FIN. */
async function blobBackend(bytes: number): Promise<number> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    socket.end(Buffer.alloc(bytes, 7));
  });
  cleanups.push(() => {
    for (const socket of open) socket.destroy();
  });
  return listen(server);
}

/** Connects to host:port and reads until FIN: bytes received and milliseconds taken. */
function download(host: string, port: number, timeoutMs = 8000): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let bytes = 0;
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`download from ${host} timed out after ${bytes} bytes`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => (bytes += chunk.length));
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on("end", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, ms: performance.now() - start });
    });
  });
}

async function tcpSetup(bytes: number, mbit = 1): Promise<{ rt: EngineRuntime; port: number; listeners: SnapshotListener[]; pools: SnapshotPool[] }> {
  const backendPort = await blobBackend(bytes);
  const port = await freePort();
  const rt = engine();
  const listeners = [listener("l1", port, "p", { bindAddresses: [PRIVATE, EIP] })];
  const pools = [pool("p", [member("m", backendPort)])];
  const result = await rt.apply(limited(1, listeners, pools, mbit));
  expect(result.errors).toEqual([]);
  return { rt, port, listeners, pools };
}

describe("EIP bandwidth: TCP listener", () => {
  it("limits traffic sent through the EIP to its bandwidth; the private IP is not limited", async () => {
    const { port } = await tcpSetup(256 * KIB);
    const viaPrivate = await download(PRIVATE, port);
    expect(viaPrivate.bytes).toBe(256 * KIB);
    expect(viaPrivate.ms).toBeLessThan(500);
    const viaEip = await download(EIP, port);
    expect(viaEip.bytes).toBe(256 * KIB);
    expect(viaEip.ms).toBeGreaterThan(1500);
    expect(viaEip.ms).toBeLessThan(4000);
  });

  it("shares one limit between concurrent connections through the EIP", async () => {
    const { port } = await tcpSetup(128 * KIB);
    const both = await Promise.all([download(EIP, port), download(EIP, port)]);
    expect(both.map((d) => d.bytes)).toEqual([128 * KIB, 128 * KIB]);
    const slowest = Math.max(...both.map((d) => d.ms));
    expect(slowest).toBeGreaterThan(1500); // 256 KiB in all at 1 Mbit/s, not 128 KiB each
    expect(slowest).toBeLessThan(4000);
  });

  it("applies a raised bandwidth to a running transfer", async () => {
    const { rt, port, listeners, pools } = await tcpSetup(1024 * KIB); // ≈ 8.3 s at 1 Mbit/s
    const running = download(EIP, port);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await rt.apply(limited(2, listeners, pools, 100));
    const done = await running;
    expect(done.bytes).toBe(1024 * KIB);
    expect(done.ms).toBeLessThan(2500);
  });
});

describe("EIP bandwidth: HTTP listener", () => {
  it("limits a response sent through the EIP; the private IP is not limited", async () => {
    const body = Buffer.alloc(256 * KIB, 7);
    const backend = http.createServer((_req, res) => res.end(body));
    const backendPort = await listen(backend);
    const port = await freePort();
    const rt = engine();
    const listeners = [listener("h1", port, "p", { protocol: "HTTP", bindAddresses: [PRIVATE, EIP], idleTimeoutSeconds: 60 })];
    const pools = [pool("p", [member("m", backendPort)], { protocol: "HTTP" })];
    expect((await rt.apply(limited(1, listeners, pools, 1))).errors).toEqual([]);

    const get = (host: string) =>
      new Promise<{ status: number; bytes: number; ms: number }>((resolve, reject) => {
        const start = performance.now();
        const req = http.get({ host, port, path: "/", agent: false, timeout: 8000 }, (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - start }));
          res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error("timed out")));
        req.on("error", reject);
      });
    const viaPrivate = await get(PRIVATE);
    expect(viaPrivate).toMatchObject({ status: 200, bytes: 256 * KIB });
    expect(viaPrivate.ms).toBeLessThan(500);
    const viaEip = await get(EIP);
    expect(viaEip).toMatchObject({ status: 200, bytes: 256 * KIB });
    expect(viaEip.ms).toBeGreaterThan(1500);
    expect(viaEip.ms).toBeLessThan(4000);
  });
});

describe("EIP bandwidth: UDP listener", () => {
  it("drops replies beyond the EIP's bandwidth (policing); the private IP delivers them all", async () => {
    const upstream = dgram.createSocket("udp4");
    upstream.on("message", (_msg, rinfo) => upstream.send(Buffer.alloc(1000, 7), rinfo.port, rinfo.address));
    await new Promise<void>((resolve) => upstream.bind(0, PRIVATE, resolve));
    cleanups.push(() => new Promise<void>((resolve) => upstream.close(() => resolve())));
    const port = await freePort();
    const rt = engine();
    const listeners = [listener("u1", port, "p", { protocol: "UDP", bindAddresses: [PRIVATE, EIP] })];
    const pools = [pool("p", [member("m", upstream.address().port)], { protocol: "UDP" })];
    expect((await rt.apply(limited(1, listeners, pools, 1))).errors).toEqual([]);

    /** Sends `count` datagrams in quick succession, counts the 1000-byte replies that arrive within 500 ms. */
    const burst = async (host: string, count: number): Promise<number> => {
      const client = dgram.createSocket("udp4");
      let received = 0;
      client.on("message", () => received++);
      await new Promise<void>((resolve) => client.bind(0, PRIVATE, resolve));
      client.send("hello", port, host); // opens the session
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let i = 1; i < count; i++) client.send("hello", port, host);
      await new Promise((resolve) => setTimeout(resolve, 500));
      client.close();
      return received;
    };
    expect(await burst(PRIVATE, 50)).toBe(50);
    const viaEip = await burst(EIP, 50); // 50 000 bytes against a 16 KiB burst + 125 bytes/ms
    expect(viaEip).toBeGreaterThan(5);
    expect(viaEip).toBeLessThan(35);
  });
});
