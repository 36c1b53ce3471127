import type { ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EngineWorkerStatus } from "./protocol/ipc.types";
import { freePort, startTcpBackend, tcpHello, waitFor, type TcpBackend } from "./test-support/backends";
import { buildEngine, startEngine, type EngineProcess } from "./test-support/engine-process";
import { listener, member, monitor, pool, snapshot } from "./test-support/fixtures";

/**
 * The engine with several worker threads (ELB_ENGINE_WORKERS=2), as a black box: what the console and
 * clients see must not depend on which worker accepted a connection.
 */
let dir = "";
let entry = "";
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-workers-"));
  entry = path.join(dir, "main.js");
  await buildEngine(entry);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function backend(name: string): Promise<TcpBackend> {
  const b = await startTcpBackend(name);
  closers.push(() => b.close());
  return b;
}

async function twoWorkers(): Promise<EngineProcess> {
  const engine = startEngine(entry, { ELB_ENGINE_WORKERS: "2" }, children);
  await engine.next("ready");
  return engine;
}

async function workersOf(engine: EngineProcess, nonce: number): Promise<EngineWorkerStatus[]> {
  engine.child.send({ type: "ping", nonce });
  return (await engine.next("pong", (m) => m.nonce === nonce)).workers ?? [];
}

/** Opens a connection, reads the backend's greeting and keeps the socket open. */
function openHeld(port: number): Promise<{ socket: net.Socket; backend: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
      const end = data.indexOf("\n");
      if (end >= 0) resolve({ socket, backend: data.slice(0, end) });
    });
    socket.on("error", reject);
  });
}

describe("engine with two worker threads", () => {
  it("accepts on both workers through one port, and lists them in pong with what each accepted", async () => {
    const a = await backend("backend-a");
    const port = await freePort();
    const engine = await twoWorkers();
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", a.port)])]) });
    await engine.next("applied", (m) => m.version === 1);
    const answers = await Promise.all(Array.from({ length: 64 }, () => tcpHello(port)));
    expect(new Set(answers)).toEqual(new Set(["backend-a"]));
    const workers = await workersOf(engine, 1);
    expect(workers.map((w) => [w.index, w.state, w.version])).toEqual([[0, "running", 1], [1, "running", 1]]);
    expect(workers.reduce((sum, w) => sum + (w.connectionsAccepted ?? 0), 0)).toBe(64);
    for (const w of workers) expect(w.connectionsAccepted).toBeGreaterThan(0); // the kernel spread them over both
  });

  it("reports a snapshot applied only once every worker serves it (no connection afterwards sees the old one)", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const l1 = listener("l1", port, "p");
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [l1], [pool("p", [member("a", a.port)])]) });
    await engine.next("applied", (m) => m.version === 1);
    for (let version = 2; version <= 7; version++) {
      const target = version % 2 === 0 ? b : a;
      engine.child.send({ type: "snapshot", snapshot: snapshot(version, [l1], [pool("p", [member(target.name, target.port)])]) });
      await engine.next("applied", (m) => m.version === version);
      const answers = await Promise.all(Array.from({ length: 24 }, () => tcpHello(port)));
      expect(new Set(answers)).toEqual(new Set([target.name]));
    }
  });

  it("applies snapshots under load: no connection fails, none accepted after 'applied' sees the older config", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const l1 = listener("l1", port, "p");
    const targetOf = (version: number) => (version % 2 === 0 ? b : a);
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [l1], [pool("p", [member("backend-a", a.port)])]) });
    await engine.next("applied", (m) => m.version === 1);
    let appliedVersion = 1;
    let failures = 0;
    let stale = 0;
    let served = 0;
    let running = true;
    const loop = async () => {
      while (running) {
        const version = appliedVersion; // the newest version the engine has reported before this connection
        try {
          const name = await tcpHello(port);
          served++;
          if (version > 1 && name !== targetOf(version).name && name !== targetOf(version + 1).name) stale++;
        } catch {
          failures++;
        }
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    for (let version = 2; version <= 9; version++) {
      await new Promise((r) => setTimeout(r, 150));
      const target = targetOf(version);
      engine.child.send({ type: "snapshot", snapshot: snapshot(version, [l1], [pool("p", [member(target.name, target.port)])]) });
      await engine.next("applied", (m) => m.version === version);
      appliedVersion = version;
    }
    await new Promise((r) => setTimeout(r, 150));
    running = false;
    await Promise.all(loops);
    expect({ failures, stale }).toEqual({ failures: 0, stale: 0 });
    expect(served).toBeGreaterThan(100);
  });

  it("restarts a worker that ended; the other worker's connections keep working, and the new one serves again", async () => {
    const echo = await backend("echo");
    const port = await freePort();
    const engine = await twoWorkers();
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", [member("echo", echo.port)])]) });
    await engine.next("applied");
    const held = await Promise.all(Array.from({ length: 24 }, () => openHeld(port)));
    closers.push(async () => held.forEach((h) => h.socket.destroy()));
    const before = await workersOf(engine, 8);
    expect(before.map((w) => w.connectionsOpen)).not.toContain(0); // both workers hold some
    const onSurvivor = before[1]!.connectionsOpen!;
    engine.child.send({ type: "restartWorker", index: 0 });
    let after: EngineWorkerStatus[] = [];
    for (let nonce = 100; !(after[0]?.restarts === 1 && after[0].state === "running" && after[0].version === 1); nonce++) {
      if (nonce > 200) throw new Error(`worker 0 not back: ${JSON.stringify(after)}`);
      await new Promise((r) => setTimeout(r, 50));
      after = await workersOf(engine, nonce);
    }
    const echoes = await Promise.all(
      held.map(
        ({ socket }) =>
          new Promise<boolean>((resolve) => {
            if (socket.destroyed) return resolve(false);
            const timer = setTimeout(() => resolve(false), 1000);
            socket.once("data", () => (clearTimeout(timer), resolve(true)));
            socket.once("close", () => (clearTimeout(timer), resolve(false)));
            socket.write("ping\n");
          }),
      ),
    );
    expect(echoes.filter(Boolean)).toHaveLength(onSurvivor); // every connection of worker 1 still echoes
    expect(after[1]).toMatchObject({ restarts: 0, state: "running" });
    const acceptedBefore = after[0]!.connectionsAccepted!;
    await Promise.all(Array.from({ length: 32 }, () => tcpHello(port)));
    const last = await workersOf(engine, 300);
    expect(last[0]!.connectionsAccepted).toBeGreaterThan(acceptedBefore); // the fresh thread accepts again
  });

  it("holds the round robin ratio over 1 000 connections opened 25 at a time on both workers", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const members = [member("backend-a", a.port, 3), member("backend-b", b.port, 1)];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", members)]) });
    await engine.next("applied");
    let toA = 0;
    for (let batch = 0; batch < 40; batch++) {
      const names = await Promise.all(Array.from({ length: 25 }, () => tcpHello(port)));
      toA += names.filter((n) => n === "backend-a").length;
    }
    expect(toA).toBeGreaterThanOrEqual(740); // 3:1 of 1 000 is 750; the shared schedule keeps it within ±10
    expect(toA).toBeLessThanOrEqual(760);
    for (const w of await workersOf(engine, 9)) expect(w.connectionsAccepted).toBeGreaterThan(100);
  });

  it("answers applied with the workers' listener errors (a port held by another program)", async () => {
    const a = await backend("backend-a");
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => squatter.close(() => resolve())));
    const taken = (squatter.address() as net.AddressInfo).port;
    const engine = await twoWorkers();
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", taken, "p")], [pool("p", [member("a", a.port)])]) });
    const applied = await engine.next("applied", (m) => m.version === 1);
    expect(applied.errors).toEqual([{ listenerId: "l1", message: `bind 127.0.0.1:${taken} failed: EADDRINUSE` }]);
  });

  it("weighted least connections counts the connections of both workers: the two members never differ by more than one", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const members = [member("backend-a", a.port), member("backend-b", b.port)];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", members, { algorithm: "LEAST_CONNECTIONS" })]) });
    await engine.next("applied");
    const held: net.Socket[] = [];
    closers.push(async () => held.forEach((s) => s.destroy()));
    const counts = { "backend-a": 0, "backend-b": 0 } as Record<string, number>;
    for (let i = 0; i < 40; i++) {
      const { socket, backend: name } = await openHeld(port); // one at a time: each pick sees all earlier ones
      held.push(socket);
      counts[name]!++;
      expect(Math.abs(counts["backend-a"]! - counts["backend-b"]!)).toBeLessThanOrEqual(1);
    }
    const workers = await workersOf(engine, 2);
    for (const w of workers) expect(w.connectionsAccepted).toBeGreaterThan(0); // both workers picked
  });

  it("round robin takes turns for the whole engine, not per worker: weights 1:1 alternate exactly", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const members = [member("backend-a", a.port), member("backend-b", b.port)];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", members)]) });
    await engine.next("applied");
    const order: string[] = [];
    for (let i = 0; i < 40; i++) order.push(await tcpHello(port)); // sequential: every pick sees the one before
    expect(order.filter((name) => name === "backend-a")).toHaveLength(20);
    for (let i = 1; i < order.length; i++) expect(order[i]).not.toBe(order[i - 1]);
    for (const w of await workersOf(engine, 4)) expect(w.connectionsAccepted).toBeGreaterThan(0);
  });

  it("source-IP sticky sessions and source IP hash hold across workers: every connection of a client IP reaches one member", async () => {
    const a = await backend("backend-a");
    const b = await backend("backend-b");
    const port = await freePort();
    const engine = await twoWorkers();
    const sticky = { type: "SOURCE_IP" as const, durationMinutes: 20, cookieName: null };
    const members = [member("backend-a", a.port), member("backend-b", b.port)];
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [pool("p", members, { stickySession: sticky })]) });
    await engine.next("applied");
    const clients = Array.from({ length: 24 }, (_, i) => `127.0.0.${10 + i}`);
    const seen = new Map<string, Set<string>>(clients.map((ip) => [ip, new Set()]));
    for (let round = 0; round < 6; round++) {
      // Rounds interleave the clients, so a client's connections land on both workers over the rounds.
      for (const ip of clients) seen.get(ip)!.add(await tcpHello(port, "127.0.0.1", ip));
    }
    for (const [ip, names] of seen) expect([ip, names.size]).toEqual([ip, 1]);
    expect(new Set([...seen.values()].map((names) => [...names][0])).size).toBe(2); // both members got clients
    for (const w of await workersOf(engine, 5)) expect(w.connectionsAccepted).toBeGreaterThan(0);

    // Source IP hash (the algorithm, no table): the same answer on every worker by construction.
    engine.child.send({ type: "snapshot", snapshot: snapshot(2, [listener("l1", port, "p")], [pool("p", members, { algorithm: "SOURCE_IP" })]) });
    await engine.next("applied", (m) => m.version === 2);
    const hashed = new Map<string, Set<string>>(clients.map((ip) => [ip, new Set()]));
    for (let round = 0; round < 4; round++) for (const ip of clients) hashed.get(ip)!.add(await tcpHello(port, "127.0.0.1", ip));
    for (const [ip, names] of hashed) expect([ip, names.size]).toEqual([ip, 1]);
  });

  it("application-cookie stickiness: a cookie learned on one worker routes on every worker", async () => {
    const backends = await Promise.all(
      ["app-a", "app-b"].map(async (name) => {
        let issued = 0;
        const server = http.createServer((req, res) => {
          if (req.url === "/login") res.setHeader("Set-Cookie", `SID=${name}-${++issued}; Path=/`);
          res.end(name);
        });
        server.keepAliveTimeout = 100;
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
        return member(name, (server.address() as net.AddressInfo).port);
      }),
    );
    const port = await freePort();
    const engine = await twoWorkers();
    const sticky = { type: "APP_COOKIE" as const, durationMinutes: 20, cookieName: "SID" };
    const web = pool("web", backends, { protocol: "HTTP", stickySession: sticky });
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "web", { protocol: "HTTP" })], [web]) });
    await engine.next("applied");
    const get = (path: string, cookie?: string) =>
      new Promise<{ body: string; setCookie: string | undefined }>((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port, path, agent: false, headers: cookie ? { cookie } : {} }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ body, setCookie: res.headers["set-cookie"]?.[0] }));
        });
        req.on("error", reject);
      });
    for (let session = 0; session < 4; session++) {
      const login = await get("/login"); // learned by whichever worker accepted this connection
      const cookie = login.setCookie!.split(";")[0]!;
      const answers = new Set<string>();
      for (let i = 0; i < 12; i++) answers.add((await get("/", cookie)).body); // new connections: both workers
      expect([cookie, [...answers]]).toEqual([cookie, [login.body]]);
    }
    for (const w of await workersOf(engine, 7)) expect(w.connectionsAccepted).toBeGreaterThan(0);
  });

  it("an EIP's bandwidth limit holds for the sum of both workers", async () => {
    const payload = Buffer.alloc(64 * 1024, 7);
    const streamer = net.createServer((socket) => {
      socket.on("error", () => {});
      const pump = (): void => {
        while (socket.writable && socket.write(payload)) {}
      };
      socket.on("drain", pump);
      pump();
    });
    await new Promise<void>((resolve) => streamer.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => { streamer.close(() => resolve()); }));
    const eip = "127.0.0.77";
    const port = await freePort();
    const engine = await twoWorkers();
    const v1 = snapshot(1, [listener("l1", port, "p", { bindAddresses: [eip] })], [pool("p", [member("s", (streamer.address() as net.AddressInfo).port)])]);
    v1.addressLimits = [{ address: eip, megabitsPerSecond: 8 }]; // 1 000 000 bytes/s for everything sent from the EIP
    engine.child.send({ type: "snapshot", snapshot: v1 });
    await engine.next("applied");
    let received = 0;
    const clients = Array.from({ length: 16 }, () => net.connect(port, eip).on("data", (chunk: Buffer) => (received += chunk.length)).on("error", () => {}));
    closers.push(async () => clients.forEach((c) => c.destroy()));
    await new Promise((r) => setTimeout(r, 300)); // connected, the burst spent
    const from = received;
    await new Promise((r) => setTimeout(r, 2000));
    const rate = (received - from) / 2; // bytes per second over the last 2 s
    expect(rate).toBeGreaterThan(700_000);
    expect(rate).toBeLessThan(1_250_000); // one bucket per worker would let ~2 000 000 through
    for (const w of await workersOf(engine, 6)) expect(w.connectionsOpen).toBeGreaterThan(0); // both workers carry some
  });

  it("runs each health check once for the whole engine, and every worker routes by it", async () => {
    const traffic = await backend("backend-a");
    let probes = 0;
    const checkPort = net.createServer((s) => {
      probes++;
      s.destroy();
    });
    await new Promise<void>((resolve) => checkPort.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => checkPort.close(() => resolve())));
    const healthPort = (checkPort.address() as net.AddressInfo).port;
    const port = await freePort();
    const engine = await twoWorkers();
    const checked = pool("p", [member("a", traffic.port)], { healthMonitor: monitor({ port: healthPort, intervalSeconds: 1 }) });
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "p")], [checked]) });
    await engine.next("applied");
    await engine.next("health", (m) => m.members.some((r) => r.status === "HEALTHY"));
    const answers = await Promise.all(Array.from({ length: 32 }, () => tcpHello(port)));
    expect(new Set(answers)).toEqual(new Set(["backend-a"])); // both workers see the member healthy
    const from = probes;
    await new Promise((r) => setTimeout(r, 3200));
    // One checker: ~3 probes in 3.2 s at a 1 s interval; one per worker would be ~6.
    expect(probes - from).toBeGreaterThanOrEqual(2);
    expect(probes - from).toBeLessThanOrEqual(4);
  });

  it("keeps each UDP client on one worker: one session (one upstream port) per client", async () => {
    const upstreamPorts = new Set<number>();
    const udpBackend = dgram.createSocket("udp4");
    udpBackend.on("message", (m, from) => {
      upstreamPorts.add(from.port);
      udpBackend.send(m, from.port, from.address);
    });
    await new Promise<void>((resolve) => udpBackend.bind(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => udpBackend.close(() => resolve())));
    const port = await freePort();
    const engine = await twoWorkers();
    const udpPool = pool("u", [member("u", udpBackend.address().port)], { protocol: "UDP" });
    engine.child.send({ type: "snapshot", snapshot: snapshot(1, [listener("l1", port, "u", { protocol: "UDP" })], [udpPool]) });
    await engine.next("applied");
    const clients = Array.from({ length: 16 }, () => dgram.createSocket("udp4"));
    closers.push(async () => clients.forEach((c) => c.close()));
    let replies = 0;
    for (const c of clients) c.on("message", () => replies++);
    for (let round = 0; round < 5; round++) {
      for (const c of clients) c.send(`r${round}`, port, "127.0.0.1");
      await waitFor(() => replies === (round + 1) * clients.length, 3000, `round ${round} replies`);
    }
    expect(upstreamPorts.size).toBe(clients.length);
    const workers = await workersOf(engine, 3);
    expect(workers.reduce((sum, w) => sum + (w.connectionsAccepted ?? 0), 0)).toBe(clients.length); // UDP sessions
    for (const w of workers) expect(w.connectionsAccepted).toBeGreaterThan(0);
  });
});
