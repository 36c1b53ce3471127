import { afterEach, describe, expect, it } from "vitest";
import { HealthRegistry } from "../health/health-registry";
import { createPoolRuntime } from "../pools/pool-runtime";
import type { SnapshotPool } from "../protocol/snapshot.types";
import { startTcpBackend, tcpHello, waitFor, type TcpBackend } from "../test-support/backends";
import { listener, member, monitor, pool } from "../test-support/fixtures";
import { holdConnection, serveHandler } from "../test-support/proxy";
import { createTcpHandler } from "./tcp";

/** Balancing, stickiness and health seen from real TCP clients through the L4 handler. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function backends(names: string[]): Promise<TcpBackend[]> {
  const list = await Promise.all(names.map((name) => startTcpBackend(name)));
  for (const b of list) cleanups.push(() => b.close());
  return list;
}

async function proxy(config: SnapshotPool) {
  const runtime = createPoolRuntime(config);
  const handler = createTcpHandler({ listener: listener("l", 0, config.id), pool: runtime });
  const server = await serveHandler(handler);
  cleanups.push(() => server.close());
  return { runtime, port: server.port };
}

/** 127.0.0.x source addresses: every one is local on Linux. */
const sources = Array.from({ length: 24 }, (_, i) => `127.0.0.${i + 10}`);

describe("L4 balancing with real clients", () => {
  it("weighted least connections spreads long-held connections by weight", async () => {
    const [a, b] = await backends(["a", "b"]);
    const { port, runtime } = await proxy(pool("p", [member("a", a!.port, 2), member("b", b!.port, 1)], { algorithm: "LEAST_CONNECTIONS" }));
    const held: Awaited<ReturnType<typeof holdConnection>>[] = [];
    for (let i = 0; i < 12; i++) held.push(await holdConnection(port));
    cleanups.push(() => held.forEach((h) => h.socket.destroy()));
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (const h of held) counts[h.name]!++;
    expect(counts).toEqual({ a: 8, b: 4 });
    expect(runtime.members.map((m) => m.activeConnections)).toEqual([8, 4]);
    held.slice(0, 6).forEach((h) => h.socket.destroy());
    await waitFor(() => runtime.members[0]!.activeConnections + runtime.members[1]!.activeConnections === 6, 2000, "release");
  });

  it("weighted round robin follows weights and weight 0 gets nothing", async () => {
    const [a, b, z] = await backends(["a", "b", "z"]);
    const { port } = await proxy(pool("p", [member("a", a!.port, 3), member("b", b!.port, 1), member("z", z!.port, 0)]));
    let seq = "";
    for (let i = 0; i < 8; i++) seq += await tcpHello(port);
    expect(seq).toBe("aabaaaba");
    expect(z!.accepted).toBe(0);
  });

  it("source IP hash keeps every client on one server and moves only the removed server's clients", async () => {
    const list = await backends(["a", "b", "c", "d"]);
    const members = list.map((b) => member(b.name, b.port));
    const full = await proxy(pool("p", members, { algorithm: "SOURCE_IP" }));
    const first = new Map<string, string>();
    for (const ip of sources) first.set(ip, await tcpHello(full.port, "127.0.0.1", ip));
    for (const ip of sources) expect(await tcpHello(full.port, "127.0.0.1", ip)).toBe(first.get(ip));
    expect(new Set(first.values()).size).toBeGreaterThan(1);

    const fewer = await proxy(pool("p", members.filter((m) => m.id !== "b"), { algorithm: "SOURCE_IP" }));
    for (const ip of sources) {
      const now = await tcpHello(fewer.port, "127.0.0.1", ip);
      if (first.get(ip) === "b") expect(now).not.toBe("b");
      else expect(now).toBe(first.get(ip));
    }
  });

  it("source-IP sticky sessions hold a client and fall back when its server is unhealthy", async () => {
    const [a, b, c] = await backends(["a", "b", "c"]);
    const sticky = { type: "SOURCE_IP" as const, cookieName: null, durationMinutes: 20 };
    const { port, runtime } = await proxy(pool("p", [member("a", a!.port), member("b", b!.port), member("c", c!.port)], { stickySession: sticky }));
    const ip = "127.0.0.77";
    const home = await tcpHello(port, "127.0.0.1", ip);
    await tcpHello(port, "127.0.0.1", "127.0.0.78"); // other clients advance the round robin
    for (let i = 0; i < 5; i++) expect(await tcpHello(port, "127.0.0.1", ip)).toBe(home);
    runtime.byId(home)!.healthy = false;
    const fallback = await tcpHello(port, "127.0.0.1", ip);
    expect(fallback).not.toBe(home);
    runtime.byId(home)!.healthy = true;
    expect(await tcpHello(port, "127.0.0.1", ip)).toBe(fallback); // re-stuck to the fallback
  });

  it("stops sending to a server the health check finds down, and resumes when it is back", async () => {
    const [a, b] = await backends(["a", "b"]);
    const { port, runtime } = await proxy(pool("p", [member("a", a!.port), member("b", b!.port)], { healthMonitor: monitor({ maxRetries: 2 }) }));
    const registry = new HealthRegistry(() => {});
    cleanups.push(() => registry.stop());
    registry.update([runtime]);
    await waitFor(() => runtime.members.every((m) => m.healthy), 2000, "initial checks");
    await b!.close();
    await waitFor(() => !runtime.byId("b")!.healthy, 4000, "b unhealthy");
    const acceptedBefore = a!.accepted;
    for (let i = 0; i < 6; i++) expect(await tcpHello(port)).toBe("a");
    expect(a!.accepted - acceptedBefore).toBe(6);
    await b!.restart();
    await waitFor(() => runtime.byId("b")!.healthy, 4000, "b healthy again");
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await tcpHello(port));
    expect(names).toEqual(new Set(["a", "b"]));
  });
});
