import type { ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineToConsole } from "./protocol/ipc.types";
import { LISTENER_COUNTERS, LISTENER_GAUGES, type ListenerCounter, type ListenerGauge } from "./protocol/metrics.types";
import { freePort, startTcpBackend, startUdpBackend, waitFor } from "./test-support/backends";
import { buildEngine, startEngine, type EngineProcess } from "./test-support/engine-process";
import { listener, member, pool, snapshot } from "./test-support/fixtures";

/**
 * The engine process as the console sees it: the "metrics" messages it sends over IPC every
 * ELB_METRICS_INTERVAL_MS (here 200 ms), with traffic of known shape through real sockets — summed over
 * two worker threads, kept when a worker is restarted (no cumulative counter goes down), and from the
 * single-thread engine.
 */
let dir = "";
let entry = "";
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-metrics-"));
  entry = path.join(dir, "main.js");
  await buildEngine(entry);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Metrics = Extract<EngineToConsole, { type: "metrics" }>;
type Values = Record<ListenerCounter | ListenerGauge, number>;

/** Listener `id`'s numbers in a metrics message, by name; undefined when it is not in it. */
function valuesIn(message: Metrics, id: string): Values | undefined {
  const row = message.listeners.find((l) => l.listenerId === id);
  if (row === undefined) return undefined;
  const out = {} as Values;
  LISTENER_COUNTERS.forEach((name, i) => (out[name] = row.counters[i]!));
  LISTENER_GAUGES.forEach((name, i) => (out[name] = row.gauges[i]!));
  return out;
}

/** The metrics messages received so far. */
const metricsOf = (engine: EngineProcess): Metrics[] => engine.messages.filter((m): m is Metrics => m.type === "metrics");

/** Waits for a metrics message after the ones seen now whose listener `id` satisfies `ok`; returns its values. */
async function nextMetrics(engine: EngineProcess, id: string, ok: (v: Values) => boolean, what: string, timeoutMs = 5000): Promise<Values> {
  const seen = metricsOf(engine).length;
  let found: Values | undefined;
  await waitFor(
    () => metricsOf(engine).slice(seen).some((m) => ((found = valuesIn(m, id)) !== undefined && ok(found)) || ((found = undefined), false)),
    timeoutMs,
    what,
  );
  return found!;
}

/** An HTTP backend answering `/s/<status>` with that status and a 5-byte body. */
async function statusBackend(): Promise<number> {
  const server = http.createServer((req, res) => {
    res.writeHead(Number((req.url ?? "").split("/")[2]), { "Content-Length": "5" });
    res.end("hello");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

/** One request on a fresh connection (Connection: close); the bytes received. */
function oneShot(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(text, "latin1"));
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

const get = (status: number) => `GET /s/${status} HTTP/1.1\r\nHost: m\r\nConnection: close\r\n\r\n`;

/** Every counter of every listener in `messages`, in order, never goes down. */
function expectMonotonic(messages: Metrics[]): void {
  const last = new Map<string, number[]>();
  for (const message of messages) {
    for (const row of message.listeners) {
      const before = last.get(row.listenerId);
      if (before !== undefined) row.counters.forEach((value, i) => expect(value, `${row.listenerId} ${LISTENER_COUNTERS[i]}`).toBeGreaterThanOrEqual(before[i]!));
      last.set(row.listenerId, row.counters);
    }
  }
}

async function startWith(workers: number, intervalMs = 200): Promise<EngineProcess> {
  const engine = startEngine(entry, { ELB_ENGINE_WORKERS: String(workers), ELB_METRICS_INTERVAL_MS: String(intervalMs) }, children);
  await engine.next("ready");
  return engine;
}

describe("engine process: metrics messages", () => {
  it("two workers: the report sums both threads' counts and gauges, and a worker restart takes nothing off a counter", async () => {
    const backendPort = await statusBackend();
    const tcpBackend = await startTcpBackend("t");
    closers.push(() => tcpBackend.close());
    const [httpPort, tcpPort] = [await freePort(), await freePort()];
    const engine = await startWith(2);
    const pools = [pool("p", [member("a", backendPort)], { protocol: "HTTP" }), pool("t", [member("t", tcpBackend.port)])];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l-http", httpPort, "p", { protocol: "HTTP" }), listener("l-tcp", tcpPort, "t")], pools) });
    await engine.next("applied", (m) => m.version === 1);

    // 30 requests on 30 connections (the kernel spreads them over both workers): 200 ×18, 404 ×8, 503 ×4.
    const statuses = [...Array<number>(18).fill(200), ...Array<number>(8).fill(404), ...Array<number>(4).fill(503)];
    let sent = 0;
    let received = 0;
    for (const status of statuses) {
      const answer = await oneShot(httpPort, get(status));
      expect(answer.startsWith(`HTTP/1.1 ${status}`)).toBe(true);
      sent += get(status).length;
      received += answer.length;
    }
    const N = statuses.length;
    const full = await nextMetrics(engine, "l-http", (v) => v.requests === N && v.concurrent === 0, `${N} requests reported`);
    expect(full).toMatchObject({ connections: N, requests: N, status2xx: 18, status4xx: 8, status404: 8, status5xx: 4, bytesIn: sent, bytesOut: received, concurrent: 0, active: 0, inactive: 0 });
    engine.child.send({ type: "ping", nonce: 1 });
    const workers = (await engine.next("pong", (m) => m.nonce === 1)).workers ?? [];
    for (const w of workers) expect(w.connectionsAccepted, `worker ${w.index} accepted some`).toBeGreaterThan(0); // so the total is a sum of two
    const message = metricsOf(engine).at(-1)!;
    expect(message.startedAt).toBeLessThanOrEqual(message.at);
    expect(message.accessLogs).toEqual([]);

    // M long-lived TCP connections: concurrent and active in the sum, whichever worker holds them.
    const M = 6;
    const held = await Promise.all(
      Array.from({ length: M }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(tcpPort, "127.0.0.1");
        s.once("data", () => resolve(s));
      })),
    );
    expect(await nextMetrics(engine, "l-tcp", (v) => v.concurrent === M, `${M} held`)).toMatchObject({ connections: M, concurrent: M, active: M, inactive: 0 });
    for (const s of held) s.destroy();
    expect(await nextMetrics(engine, "l-tcp", (v) => v.concurrent === 0, "held closed")).toMatchObject({ connections: M, active: 0, inactive: 0 });

    // Restart worker 0: its counts stay in the totals while its new thread starts from 0.
    engine.child.send({ type: "restartWorker", index: 0 });
    let restarted = false;
    for (let nonce = 10; !restarted && nonce < 60; nonce++) {
      engine.child.send({ type: "ping", nonce });
      const pong = await engine.next("pong", (m) => m.nonce === nonce);
      restarted = pong.workers?.[0]?.restarts === 1 && pong.workers[0].state === "running" && pong.workers[0].version === 1;
      if (!restarted) await new Promise((r) => setTimeout(r, 100));
    }
    expect(restarted).toBe(true);
    const after = await nextMetrics(engine, "l-http", () => true, "a report after the restart");
    expect(after).toMatchObject({ connections: N, requests: N, status2xx: 18, status404: 8, status5xx: 4, bytesIn: sent, bytesOut: received });
    expect(await nextMetrics(engine, "l-tcp", () => true, "tcp after the restart")).toMatchObject({ connections: M });

    // Traffic after the restart adds to the carried totals.
    for (let i = 0; i < 4; i++) received += (await oneShot(httpPort, get(200))).length;
    sent += 4 * get(200).length;
    expect(await nextMetrics(engine, "l-http", (v) => v.requests === N + 4, "4 more")).toMatchObject({ connections: N + 4, status2xx: 22, bytesIn: sent, bytesOut: received });
    expectMonotonic(metricsOf(engine));
  }, 60_000);

  it("restartWorker right after traffic: the workers' counts are taken before their threads end, none lost", async () => {
    const backendPort = await statusBackend();
    const port = await freePort();
    const engine = await startWith(2, 1500); // a long interval: the traffic below falls between two reports
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l-http", port, "p", { protocol: "HTTP" })], [pool("p", [member("a", backendPort)], { protocol: "HTTP" })]) });
    await engine.next("applied", (m) => m.version === 1);
    await nextMetrics(engine, "l-http", (v) => v.requests === 0, "a report before the traffic");
    const reports = metricsOf(engine).length;
    const K = 12;
    for (let i = 0; i < K; i++) expect((await oneShot(port, get(200))).startsWith("HTTP/1.1 200")).toBe(true);
    expect(metricsOf(engine).length, "no report between the traffic and the restart").toBe(reports);
    engine.child.send({ type: "restartWorker", index: 0 });
    engine.child.send({ type: "restartWorker", index: 1 });
    const after = await nextMetrics(engine, "l-http", () => true, "the next report", 6000);
    expect(after).toMatchObject({ connections: K, requests: K, status2xx: K });
    engine.child.send({ type: "ping", nonce: 7 });
    const pong = await engine.next("pong", (m) => m.nonce === 7);
    expect(pong.workers?.map((w) => w.restarts)).toEqual([1, 1]);
  }, 30_000);

  it("one thread: UDP sessions, datagrams and bytes in the metrics message; a removed listener leaves the report", async () => {
    const udpBackend = await startUdpBackend("u");
    closers.push(() => udpBackend.close());
    const port = await freePort();
    const engine = await startWith(1);
    const pools = [pool("u", [member("u", udpBackend.port)], { protocol: "UDP" })];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l-udp", port, "u", { protocol: "UDP" })], pools) });
    await engine.next("applied", (m) => m.version === 1);
    const clients = [dgram.createSocket("udp4"), dgram.createSocket("udp4")];
    let replies = 0;
    for (const client of clients) {
      closers.push(() => new Promise<void>((resolve) => client.close(() => resolve())));
      client.on("message", () => replies++);
      await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", () => resolve()));
    }
    const D = 5; // per client; payload 10 bytes, reply "u:" + payload = 12 bytes
    for (let i = 0; i < D; i++) {
      for (const client of clients) client.send("0123456789", port, "127.0.0.1");
      await waitFor(() => replies === 2 * (i + 1), 2000, `replies ${i + 1}`);
    }
    expect(await nextMetrics(engine, "l-udp", (v) => v.packetsIn === 2 * D, "datagrams")).toMatchObject({
      connections: 2,
      packetsIn: 2 * D,
      bytesIn: 2 * D * 10,
      packetsOut: 2 * D,
      bytesOut: 2 * D * 12,
      concurrent: 2,
      active: 2,
    });
    engine.child.send({ type: "snapshot", snapshot: snapshot(2, [], pools) });
    await engine.next("applied", (m) => m.version === 2);
    const seen = metricsOf(engine).length;
    await waitFor(() => metricsOf(engine).slice(seen).some((m) => m.listeners.length === 0), 5000, "a report without the removed listener");
    expectMonotonic(metricsOf(engine));
  }, 30_000);
});
