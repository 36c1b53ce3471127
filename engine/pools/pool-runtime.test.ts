import { describe, expect, it } from "vitest";
import { member, monitor, pool } from "../test-support/fixtures";
import { createPoolRuntime } from "./pool-runtime";

describe("pool runtime", () => {
  const members = [member("a", 1001), member("b", 1002), member("c", 1003, 0)];

  it("never picks weight 0 and treats every member as healthy without a health check", () => {
    const runtime = createPoolRuntime(pool("p", members));
    expect(runtime.members.every((m) => m.healthy)).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(runtime.pick("10.0.0.1")!.config.id);
    expect([...seen].sort()).toEqual(["a", "b"]);
    expect(runtime.isAvailable(runtime.byId("c")!)).toBe(false);
  });

  it("keeps new members unroutable until the health checker says so", () => {
    const runtime = createPoolRuntime(pool("p", members, { healthMonitor: monitor() }));
    expect(runtime.pick("10.0.0.1")).toBeNull();
    runtime.byId("b")!.healthy = true;
    expect(runtime.pick("10.0.0.1")?.config.id).toBe("b");
  });

  it("carries state of unchanged members (same id, address, port) into the next snapshot", () => {
    const first = createPoolRuntime(pool("p", members, { healthMonitor: monitor() }));
    const a = first.byId("a")!;
    a.healthy = true;
    first.acquire(a);
    first.acquire(a);
    const next = createPoolRuntime(
      pool("p", [member("a", 1001, 9), member("b", 1999)], { healthMonitor: monitor(), algorithm: "LEAST_CONNECTIONS" }),
      first,
    );
    expect(next.byId("a")).toMatchObject({ activeConnections: 2, healthy: true });
    expect(next.byId("b")).toMatchObject({ activeConnections: 0, healthy: false }); // port changed: new server
    first.release(a); // a connection from the old snapshot ends
    expect(next.byId("a")!.activeConnections).toBe(1);
  });

  it("makes every member healthy when the health check is removed", () => {
    const first = createPoolRuntime(pool("p", members, { healthMonitor: monitor() }));
    const next = createPoolRuntime(pool("p", members), first);
    expect(next.members.every((m) => m.healthy)).toBe(true);
  });

  it("sticks a source IP to its member and re-sticks when that member is unavailable", () => {
    const config = pool("p", members, { stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 20 } });
    const runtime = createPoolRuntime(config);
    const first = runtime.pick("10.0.0.7")!;
    for (let i = 0; i < 20; i++) expect(runtime.pick("10.0.0.7")).toBe(first);
    const other = runtime.pick("10.0.0.8")!;
    expect(other).not.toBe(first); // round robin still applies to new clients
    first.healthy = false;
    const fallback = runtime.pick("10.0.0.7")!;
    expect(fallback).not.toBe(first);
    first.healthy = true;
    expect(runtime.pick("10.0.0.7")).toBe(fallback); // re-stuck to the fallback
    const next = createPoolRuntime(config, runtime);
    expect(next.pick("10.0.0.7")!.config.id).toBe(fallback.config.id); // table survives the snapshot
  });

  it("honours exclude on a sticky member (connect retry)", () => {
    const config = pool("p", members, { stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 1 } });
    const runtime = createPoolRuntime(config);
    const first = runtime.pick("10.0.0.7")!;
    expect(runtime.pick("10.0.0.7", new Set([first]))).not.toBe(first);
  });
});
