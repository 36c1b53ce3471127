import dgram from "node:dgram";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LISTENER_COUNTERS, LISTENER_GAUGES, type ListenerCounter, type ListenerGauge } from "../protocol/metrics.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, startTcpBackend, startUdpBackend, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { DEFAULT_CLIENT_IP, type SnapshotListener } from "../protocol/snapshot.types";
import type { AccessLogSink, AccessLogSinks } from "./access-log/access-log-sink.types";

/**
 * The per-listener metric rows (listener-metrics.ts) against real traffic of known shape through a real
 * engine runtime on 127.0.0.1: every status class, exact byte counts, a client that leaves mid-response,
 * long-lived TCP connections, keep-alive idle HTTP connections, UDP datagrams, response time, and the
 * rows' life across snapshots.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Values = Record<ListenerCounter | ListenerGauge, number>;

/** Listener `id`'s numbers in the runtime's report, by name; undefined when it is not reported. */
function valuesOf(runtime: EngineRuntime, id: string): Values | undefined {
  const row = runtime.metrics().listeners.find((l) => l.listenerId === id);
  if (row === undefined) return undefined;
  const out = {} as Values;
  LISTENER_COUNTERS.forEach((name, i) => (out[name] = row.counters[i]!));
  LISTENER_GAUGES.forEach((name, i) => (out[name] = row.gauges[i]!));
  return out;
}

function engine(accessLogSinks?: AccessLogSinks): EngineRuntime {
  const runtime = new EngineRuntime({ drainGraceMs: 1000, descriptorCheckMs: 0, accessLogSinks });
  cleanups.push(() => runtime.stop(0));
  return runtime;
}

/**
 * An HTTP backend answering `/s/<status>/<body bytes>` with that status and body, `/slow/<ms>` with 200
 * after `ms`, `/late/<ms>` with its head at once and its body after `ms`, and `/stall` with a head and
 * part of a body and then nothing.
 */
async function statusBackend(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const [, kind, a, b] = (req.url ?? "").split("/");
    if (kind === "s") {
      const body = "x".repeat(Number(b));
      res.writeHead(Number(a), { "Content-Length": String(body.length) });
      res.end(body);
    } else if (kind === "slow") setTimeout(() => res.end("slow"), Number(a));
    else if (kind === "late") {
      res.writeHead(200, { "Content-Length": "4" });
      res.flushHeaders(); // the head goes out now, the body after `ms`
      setTimeout(() => res.end("late"), Number(a));
    } else if (kind === "stall") {
      res.writeHead(200, { "Content-Length": "100000" });
      res.write("y".repeat(1000));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Sends `text` on a fresh connection, reads until the server closes; the bytes each way and the time taken. */
function oneShot(port: number, text: string): Promise<{ received: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer to ${JSON.stringify(text)}`))), 5000);
    socket.setEncoding("latin1");
    socket.on("connect", () => socket.write(text, "latin1"));
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ received, ms: performance.now() - started });
    });
    socket.on("error", reject);
  });
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: metrics.test\r\nConnection: close\r\n\r\n`;

describe("listener metrics: HTTP requests of known shape", () => {
  it("counts every request by status class, the exact bytes each way, 499 for a client gone mid-response, 502 from a dead member, and the response time", async () => {
    const backend = await statusBackend();
    cleanups.push(() => backend.close());
    const [port, deadPort, dead] = [await freePort(), await freePort(), await freePort()];
    const runtime = engine();
    const pools = [pool("p", [member("a", backend.port)], { protocol: "HTTP" }), pool("dead", [member("gone", dead)], { protocol: "HTTP" })];
    await runtime.apply(
      snapshot(1, [listener("l-http", port, "p", { protocol: "HTTP", idleTimeoutSeconds: 60 }), listener("l-dead", deadPort, "dead", { protocol: "HTTP" })], pools),
    );

    // [path, count]: 2xx ×4 (one slow), 3xx ×2, 404 ×2, 403 ×1, 500 ×1, 503 ×1, 600 ×1 (other).
    const plan: [string, number][] = [
      ["/s/200/10", 2],
      ["/s/204/0", 1],
      ["/slow/150", 1],
      ["/s/301/0", 1],
      ["/s/304/0", 1],
      ["/s/404/7", 2],
      ["/s/403/3", 1],
      ["/s/500/0", 1],
      ["/s/503/5", 1],
      ["/s/600/0", 1],
    ];
    let sent = 0;
    let received = 0;
    let clientMs = 0;
    for (const [path, count] of plan) {
      for (let i = 0; i < count; i++) {
        const answer = await oneShot(port, get(path));
        expect(answer.received.startsWith(`HTTP/1.1 ${path.startsWith("/slow") ? "200" : path.split("/")[2]}`)).toBe(true);
        sent += get(path).length;
        received += answer.received.length;
        clientMs += answer.ms;
      }
    }
    const requests = plan.reduce((n, [, count]) => n + count, 0);
    await waitFor(() => valuesOf(runtime, "l-http")?.concurrent === 0, 3000, "every connection closed");

    const v = valuesOf(runtime, "l-http")!;
    expect(v).toMatchObject({
      connections: requests,
      bytesIn: sent,
      bytesOut: received,
      requests,
      status2xx: 4,
      status3xx: 2,
      status4xx: 3,
      status404: 2,
      status5xx: 2,
      status502: 0,
      status499: 0,
      statusOther: 1,
      concurrent: 0,
      active: 0,
      inactive: 0,
    });
    // Packets are socket reads and writes: at least one each way per connection, never more than the bytes.
    expect(v.packetsIn).toBeGreaterThanOrEqual(requests);
    expect(v.packetsIn).toBeLessThanOrEqual(sent);
    expect(v.packetsOut).toBeGreaterThanOrEqual(requests);
    // Response time (head read → response complete) is within what the clients waited, and at least the slow one's 150 ms (timer slack: −5 ms).
    expect(v.responseTimeMs).toBeGreaterThanOrEqual(145);
    expect(v.responseTimeMs).toBeLessThanOrEqual(clientMs);

    // A dead member: 502 on the other listener only.
    const bad = await oneShot(deadPort, get("/"));
    expect(bad.received.startsWith("HTTP/1.1 502")).toBe(true);
    await waitFor(() => valuesOf(runtime, "l-dead")?.concurrent === 0, 3000, "dead-member connection closed");
    expect(valuesOf(runtime, "l-dead")).toMatchObject({ connections: 1, requests: 1, status5xx: 1, status502: 1, status2xx: 0, bytesIn: get("/").length, bytesOut: bad.received.length });
    expect(valuesOf(runtime, "l-http")!.requests).toBe(requests);

    // A client that reads the head of a response and leaves before its end: 499 (and 4xx), not 2xx.
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write(get("/stall")));
      socket.once("data", () => {
        socket.resetAndDestroy(); // a reset: a FIN alone is a half-close, after which the engine still answers
        resolve();
      });
      socket.on("error", reject);
    });
    await waitFor(() => valuesOf(runtime, "l-http")!.requests === requests + 1, 3000, "the aborted request reported");
    expect(valuesOf(runtime, "l-http")).toMatchObject({ status499: 1, status4xx: 4, status2xx: 4 });
  });
});

describe("listener metrics: response time (m14_l7_rt)", () => {
  it("ends when the whole response went out, not at its head: a body sent 300 ms after the head counts those 300 ms", async () => {
    const backend = await statusBackend();
    cleanups.push(() => backend.close());
    const port = await freePort();
    const runtime = engine();
    await runtime.apply(snapshot(1, [listener("l-rt", port, "p", { protocol: "HTTP" })], [pool("p", [member("a", backend.port)], { protocol: "HTTP" })]));
    const answer = await oneShot(port, get("/late/300"));
    expect(answer.received.startsWith("HTTP/1.1 200")).toBe(true);
    expect(answer.received.endsWith("late")).toBe(true);
    await waitFor(() => valuesOf(runtime, "l-rt")?.requests === 1, 3000, "the request reported");
    const v = valuesOf(runtime, "l-rt")!;
    expect(v.responseTimeMs).toBeGreaterThanOrEqual(295); // timer slack: −5 ms
    expect(v.responseTimeMs).toBeLessThanOrEqual(answer.ms);
  });
});

describe("listener metrics: gauges", () => {
  it("M long-lived TCP connections are concurrent and active while open, and both go back to 0 after they close", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const runtime = engine();
    await runtime.apply(snapshot(1, [listener("l-tcp", port, "p")], [pool("p", [member("a", backend.port)])]));
    const M = 5;
    const sockets = await Promise.all(
      Array.from({ length: M }, () => new Promise<net.Socket>((resolve) => {
        const s = net.connect(port, "127.0.0.1");
        s.once("data", () => resolve(s)); // the backend's greeting: the connection is through
      })),
    );
    await waitFor(() => valuesOf(runtime, "l-tcp")?.concurrent === M, 3000, `${M} open`);
    expect(valuesOf(runtime, "l-tcp")).toMatchObject({ connections: M, concurrent: M, active: M, inactive: 0 });
    for (const s of sockets) s.destroy();
    await waitFor(() => valuesOf(runtime, "l-tcp")?.concurrent === 0, 3000, "all closed");
    expect(valuesOf(runtime, "l-tcp")).toMatchObject({ connections: M, concurrent: 0, active: 0, inactive: 0 });
  });

  it("HTTP keep-alive connections between requests are inactive; one with a request in progress is active", async () => {
    const backend = await statusBackend();
    cleanups.push(() => backend.close());
    const port = await freePort();
    const runtime = engine();
    await runtime.apply(snapshot(1, [listener("l-ka", port, "p", { protocol: "HTTP", idleTimeoutSeconds: 60 })], [pool("p", [member("a", backend.port)], { protocol: "HTTP" })]));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
    cleanups.push(() => agent.destroy());
    const ask = (path: string) =>
      new Promise<number>((resolve, reject) => {
        http.get({ port, host: "127.0.0.1", path, agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        }).on("error", reject);
      });
    // Three requests at once open three connections, which stay open, idle, afterwards.
    expect(await Promise.all([ask("/slow/100"), ask("/slow/100"), ask("/slow/100")])).toEqual([200, 200, 200]);
    await sleep(50);
    expect(valuesOf(runtime, "l-ka")).toMatchObject({ connections: 3, concurrent: 3, active: 0, inactive: 3 });
    const slow = ask("/slow/600");
    await waitFor(() => valuesOf(runtime, "l-ka")?.active === 1, 2000, "one request in progress");
    expect(valuesOf(runtime, "l-ka")).toMatchObject({ concurrent: 3, active: 1, inactive: 2 });
    expect(await slow).toBe(200);
    await waitFor(() => valuesOf(runtime, "l-ka")?.active === 0, 2000, "request done");
    expect(valuesOf(runtime, "l-ka")).toMatchObject({ connections: 3, concurrent: 3, inactive: 3, requests: 4 });
    agent.destroy();
    await waitFor(() => valuesOf(runtime, "l-ka")?.concurrent === 0, 3000, "closed");
    expect(valuesOf(runtime, "l-ka")).toMatchObject({ active: 0, inactive: 0 });
  });
});

describe("listener metrics: a TCP connection awaiting its PROXY header", () => {
  it("is concurrent and inactive until the header is read, then active", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const runtime = engine();
    const clientIp = { ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: ["127.0.0.1"] };
    await runtime.apply(snapshot(1, [listener("l-pp", port, "p", { clientIp })], [pool("p", [member("a", backend.port)])]));
    const socket = net.connect(port, "127.0.0.1");
    cleanups.push(() => socket.destroy());
    await waitFor(() => valuesOf(runtime, "l-pp")?.concurrent === 1, 3000, "accepted");
    expect(valuesOf(runtime, "l-pp")).toMatchObject({ connections: 1, concurrent: 1, active: 0, inactive: 1 });
    const greeting = new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write("PROXY TCP4 192.0.2.7 127.0.0.1 40000 80\r\n");
    await greeting; // the backend's greeting: the connection is through
    expect(valuesOf(runtime, "l-pp")).toMatchObject({ concurrent: 1, active: 1, inactive: 0 });
    socket.destroy();
    await waitFor(() => valuesOf(runtime, "l-pp")?.concurrent === 0, 3000, "closed");
    expect(valuesOf(runtime, "l-pp")).toMatchObject({ connections: 1, active: 0, inactive: 0 });
  });
});

describe("listener metrics: UDP", () => {
  it("counts a session as a connection, each datagram as a packet, and their bytes", async () => {
    const backend = await startUdpBackend("u");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const runtime = engine();
    await runtime.apply(snapshot(1, [listener("l-udp", port, "p", { protocol: "UDP" })], [pool("p", [member("u", backend.port)], { protocol: "UDP" })]));
    const client = dgram.createSocket("udp4");
    cleanups.push(() => client.close());
    const D = 6;
    const payload = "datagram-of-20-bytes"; // 20 bytes; the backend answers "u:" + payload (22 bytes)
    let replies = 0;
    client.on("message", () => replies++);
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", () => resolve()));
    for (let i = 0; i < D; i++) {
      client.send(payload, port, "127.0.0.1");
      await waitFor(() => replies === i + 1, 2000, `reply ${i + 1}`); // one at a time: none lost on loopback
    }
    expect(valuesOf(runtime, "l-udp")).toMatchObject({
      connections: 1,
      packetsIn: D,
      bytesIn: D * 20,
      packetsOut: D,
      bytesOut: D * 22,
      requests: 0,
      concurrent: 1,
      active: 1,
      inactive: 0,
    });
  });
});

describe("listener metrics: rows across snapshots", () => {
  it("keeps a listener's counters when a snapshot changes it, and drops a removed listener's row once its connections are gone", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const [port, port2] = [await freePort(), await freePort()];
    const runtime = engine();
    const pools = [pool("p", [member("a", backend.port)])];
    await runtime.apply(snapshot(1, [listener("l-keep", port, "p")], pools));
    const hold = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("data", () => resolve(s));
    });
    // Same id on another port: a new socket and handler, the same row.
    await runtime.apply(snapshot(2, [listener("l-keep", port2, "p")], pools));
    await new Promise<void>((resolve) => {
      const s = net.connect(port2, "127.0.0.1");
      s.once("data", () => (s.destroy(), resolve()));
    });
    await waitFor(() => valuesOf(runtime, "l-keep")?.concurrent === 1, 3000, "second connection closed");
    expect(valuesOf(runtime, "l-keep")).toMatchObject({ connections: 2, concurrent: 1, active: 1 });

    // Removed while a connection drains: still reported until it closes, then gone.
    await runtime.apply(snapshot(3, [], pools));
    expect(valuesOf(runtime, "l-keep")).toMatchObject({ connections: 2, concurrent: 1 });
    hold.destroy();
    await waitFor(() => valuesOf(runtime, "l-keep") === undefined, 3000, "row dropped");
  });
});

/** Access-log sinks that keep what they are given (one sink per stream), for the wiring test below. */
class KeptSinks implements AccessLogSinks {
  readonly written: { streamId: string; listenerId: string; status: number; method: string }[] = [];
  readonly retained: string[][] = [];
  closed = false;
  private readonly sinks = new Map<string, AccessLogSink>();

  sinkFor(l: SnapshotListener): AccessLogSink | null {
    const streamId = l.accessLog?.streamId;
    if (streamId === undefined) return null;
    let sink = this.sinks.get(streamId);
    if (sink === undefined) {
      sink = { write: (context, record) => void this.written.push({ streamId, listenerId: context.listenerId, status: record.status, method: record.method }) };
      this.sinks.set(streamId, sink);
    }
    return sink;
  }
  retain(listeners: readonly SnapshotListener[]): void {
    this.retained.push(listeners.map((l) => l.id));
  }
  stats() {
    return [...this.sinks.keys()].map((streamId) => ({ streamId, written: this.written.filter((w) => w.streamId === streamId).length, dropped: 0, syslogSent: 0, syslogDropped: 0 }));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe("listener metrics: access-log sinks", () => {
  it("hands each finished request to its listener's sink, follows a snapshot that turns logging off, retains after each apply and reports the sinks' totals", async () => {
    const backend = await statusBackend();
    cleanups.push(() => backend.close());
    const [port, plain] = [await freePort(), await freePort()];
    const sinks = new KeptSinks();
    const runtime = engine(sinks);
    const accessLog = { streamId: "stream-1" } as NonNullable<SnapshotListener["accessLog"]>;
    const pools = [pool("p", [member("a", backend.port)], { protocol: "HTTP" })];
    const logged = listener("l-log", port, "p", { protocol: "HTTP", accessLog });
    await runtime.apply(snapshot(1, [logged, listener("l-plain", plain, "p", { protocol: "HTTP" })], pools));
    expect(sinks.retained).toEqual([["l-log", "l-plain"]]);
    await oneShot(port, get("/s/201/1"));
    await oneShot(port, get("/s/404/1"));
    await oneShot(plain, get("/s/200/1"));
    expect(sinks.written).toEqual([
      { streamId: "stream-1", listenerId: "l-log", status: 201, method: "GET" },
      { streamId: "stream-1", listenerId: "l-log", status: 404, method: "GET" },
    ]);
    expect(runtime.metrics().accessLogs).toEqual([{ streamId: "stream-1", written: 2, dropped: 0, syslogSent: 0, syslogDropped: 0 }]);
    // Logging turned off on the same listener: its observer (and row) stay, its sink goes.
    await runtime.apply(snapshot(2, [{ ...logged, accessLog: null }], pools));
    await oneShot(port, get("/s/200/1"));
    expect(sinks.written).toHaveLength(2);
    expect(valuesOf(runtime, "l-log")).toMatchObject({ requests: 3 });
    expect(sinks.retained.at(-1)).toEqual(["l-log"]);
    await runtime.stop(0);
    expect(sinks.closed).toBe(true);
  });
});
