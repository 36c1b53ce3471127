import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, startTcpBackend, waitFor, type TcpBackend } from "../test-support/backends";
import { member, monitor, pool } from "../test-support/fixtures";
import { createPoolRuntime } from "../pools/pool-runtime";
import type { MemberHealthReport } from "../protocol/ipc.types";
import { DEFAULT_CHECKS, PoolHealthChecker } from "./health-checker";
import { HealthRegistry } from "./health-registry";

describe("health checker", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("makes a new member routable after one check, flips after maxRetries, and recovers", async () => {
    const backend: TcpBackend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const events: MemberHealthReport[] = [];
    const registry = new HealthRegistry((r) => events.push(r));
    cleanups.push(() => registry.stop());
    const runtime = createPoolRuntime(pool("p", [member("a", backend.port)], { healthMonitor: monitor({ maxRetries: 2 }) }));
    const a = runtime.byId("a")!;
    expect(a.healthy).toBe(false);
    registry.update([runtime]);
    expect(registry.report()).toEqual([{ poolId: "p", memberId: "a", status: "UNHEALTHY" }]);
    await waitFor(() => a.healthy, 1000, "first check");
    expect(events).toEqual([{ poolId: "p", memberId: "a", status: "HEALTHY" }]);

    await backend.close();
    const stopped = Date.now();
    await waitFor(() => !a.healthy, 4000, "unhealthy");
    const took = Date.now() - stopped;
    expect(took).toBeGreaterThan(900); // two failed checks, one interval apart
    expect(took).toBeLessThan(2600);
    expect(runtime.pick("10.0.0.1")).toBeNull();

    await backend.restart();
    await waitFor(() => a.healthy, 4000, "healthy again");
    expect(events.map((e) => e.status)).toEqual(["HEALTHY", "UNHEALTHY", "HEALTHY"]);
    expect(registry.report()).toEqual([{ poolId: "p", memberId: "a", status: "HEALTHY" }]);
  });

  it("keeps the state of unchanged members across snapshots and reports pools without a check", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const registry = new HealthRegistry(() => {});
    cleanups.push(() => registry.stop());
    const config = pool("p", [member("a", backend.port)], { healthMonitor: monitor() });
    const first = createPoolRuntime(config);
    registry.update([first]);
    await waitFor(() => first.byId("a")!.healthy, 1000, "first check");
    const next = createPoolRuntime({ ...config, members: [member("a", backend.port, 5), member("b", 1)] }, first);
    const other = createPoolRuntime(pool("q", [member("x", 2)]));
    registry.update([next, other]);
    expect(next.byId("a")!.healthy).toBe(true);
    expect(next.byId("b")!.healthy).toBe(false);
    expect(registry.report()).toEqual([
      { poolId: "p", memberId: "a", status: "HEALTHY" },
      { poolId: "p", memberId: "b", status: "UNHEALTHY" },
      { poolId: "q", memberId: "x", status: "NO_MONITOR" },
    ]);
  });

  it("probes the monitor's port when it sets one, not the member's traffic port (TCP and HTTP checks)", async () => {
    const live = await startTcpBackend("live");
    cleanups.push(() => live.close());
    const web = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => web.close(() => r())));
    const webPort = (web.address() as AddressInfo).port;
    const closed = await freePort();
    const events: MemberHealthReport[] = [];
    const registry = new HealthRegistry((r) => events.push(r));
    cleanups.push(() => registry.stop());
    const fast = { intervalSeconds: 1, timeoutSeconds: 1, maxRetries: 1 };
    const pools = [
      // traffic port closed, check port answers → healthy
      createPoolRuntime(pool("tcp-up", [member("x", closed)], { healthMonitor: monitor({ ...fast, port: live.port }) })),
      createPoolRuntime(pool("http-up", [member("h", closed)], { protocol: "HTTP", healthMonitor: monitor({ ...fast, protocol: "HTTP", port: webPort }) })),
      // traffic port answers, check port closed → unhealthy
      createPoolRuntime(pool("tcp-down", [member("y", live.port)], { healthMonitor: monitor({ ...fast, port: closed }) })),
      createPoolRuntime(pool("http-down", [member("k", webPort)], { protocol: "HTTP", healthMonitor: monitor({ ...fast, protocol: "HTTP", port: closed }) })),
    ];
    registry.update(pools);
    await waitFor(() => events.length === 4, 3000, "a first result for every member");
    expect(registry.report()).toEqual([
      { poolId: "tcp-up", memberId: "x", status: "HEALTHY" },
      { poolId: "http-up", memberId: "h", status: "HEALTHY" },
      { poolId: "tcp-down", memberId: "y", status: "UNHEALTHY" },
      { poolId: "http-down", memberId: "k", status: "UNHEALTHY" },
    ]);
    expect(pools.map((p) => p.members[0]!.healthy)).toEqual([true, true, false, false]);
    expect(live.accepted).toBeGreaterThanOrEqual(1); // x's checks reached the check port
  });

  it("keeps probing a member whose HTTP check path Node would refuse (\"/健康\", control characters)", async () => {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;
    const registry = new HealthRegistry(() => {});
    cleanups.push(() => registry.stop());
    const runtime = createPoolRuntime(
      pool("p", [member("a", port), member("b", port)], { protocol: "HTTP", healthMonitor: monitor({ protocol: "HTTP", path: "/健康\u0007" }) }),
    );
    registry.update([runtime]);
    await waitFor(() => runtime.byId("a")!.healthy && runtime.byId("b")!.healthy, 2000, "members healthy");
    await waitFor(() => paths.length >= 4, 3000, "a second round of checks"); // rescheduled, not stuck
    expect(new Set(paths)).toEqual(new Set(["/%E5%81%A5%E5%BA%B7%07"]));
  });

  it("reschedules after a check that throws or rejects, counting it as unhealthy", async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error("check blew up");
      if (calls === 2) return Promise.reject(new Error("check rejected"));
      return true;
    };
    const checker = new PoolHealthChecker("p", () => {}, { ...DEFAULT_CHECKS, TCP: flaky });
    cleanups.push(() => checker.stop());
    const runtime = createPoolRuntime(pool("p", [member("a", 1)], { healthMonitor: monitor({ intervalSeconds: 1, maxRetries: 1 }) }));
    checker.update(runtime);
    await waitFor(() => runtime.byId("a")!.healthy, 4000, "healthy after two failed checks");
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(checker.report()).toEqual([{ poolId: "p", memberId: "a", status: "HEALTHY" }]);
  });

  it("an inconclusive check (the engine out of descriptors) changes nothing: a healthy member stays up, a new one stays out", async () => {
    const results = new Map<number, (boolean | null)[]>([
      [1, [true, null, null, null, null, null, true]], // healthy, then the engine cannot check for a while
      [2, [null, null, null, null, null, null, null]], // a new member never checked successfully
    ]);
    const calls = new Map<number, number>();
    const scripted = async (target: { port: number }) => {
      const n = calls.get(target.port) ?? 0;
      calls.set(target.port, n + 1);
      const list = results.get(target.port)!;
      return list[Math.min(n, list.length - 1)]!;
    };
    const transitions: MemberHealthReport[] = [];
    const checker = new PoolHealthChecker("p", (r) => transitions.push(r), { ...DEFAULT_CHECKS, TCP: scripted });
    cleanups.push(() => checker.stop());
    const runtime = createPoolRuntime(pool("p", [member("up", 1), member("new", 2)], { healthMonitor: monitor({ intervalSeconds: 0.05, maxRetries: 1 }) }));
    checker.update(runtime);
    await waitFor(() => (calls.get(1) ?? 0) >= 7 && (calls.get(2) ?? 0) >= 7, 3000, "seven rounds of checks");
    expect(transitions).toEqual([{ poolId: "p", memberId: "up", status: "HEALTHY" }]); // maxRetries 1: one false would have flipped it
    expect(runtime.byId("up")!.healthy).toBe(true);
    expect(runtime.byId("new")!.healthy).toBe(false);
    expect(checker.report()).toEqual([
      { poolId: "p", memberId: "up", status: "HEALTHY" },
      { poolId: "p", memberId: "new", status: "UNHEALTHY" }, // INITIAL: takes no traffic yet
    ]);
  });
});
