import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compilePools } from "./compile-pools";
import { poolRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { pools: compilePools(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compilePools", () => {
  it("compiles each group with its members, stickiness (default 20 min) and enabled health check", () => {
    const { pools, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    expect(pools.map((p) => p.id)).toEqual(["p-http", "p-udp"]);
    expect(pools[0]).toMatchObject({ stickySession: { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 120 }, healthMonitor: { protocol: "HTTP", timeoutSeconds: 2 } });
    expect(pools[0]!.members.map((m) => m.id)).toEqual(["m-1", "m-2"]);
    expect(pools[1]).toMatchObject({ stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 20 }, healthMonitor: null, members: [{ id: "m-3" }] });
  });

  it("compiles a group without members or health check to empty members and null", () => {
    const rows = validRows();
    rows.pools.push(poolRow("p-empty", "lb-a"));
    expect(compile(rows).pools.find((p) => p.id === "p-empty")).toMatchObject({ members: [], healthMonitor: null, stickySession: null });
  });

  it("leaves out a group whose load balancer is missing; the others still compile", () => {
    const rows = validRows();
    rows.pools.push(poolRow("p-orphan", "lb-gone", { name: "orphan-group" }));
    const { pools, diagnostics } = compile(rows);
    expect(pools.map((p) => p.id)).toEqual(["p-http", "p-udp"]);
    expect(diagnostics).toEqual([
      { kind: "pool", id: "p-orphan", name: "orphan-group", message: "its load balancer lb-gone does not exist; the backend server group is left out of the engine's configuration" },
    ]);
  });
});
