import { afterEach, describe, expect, it } from "vitest";
import { startTcpBackend, waitFor, type TcpBackend } from "../test-support/backends";
import { member, monitor, pool } from "../test-support/fixtures";
import { createPoolRuntime } from "../pools/pool-runtime";
import type { MemberHealthReport } from "../snapshot/ipc.types";
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
});
