import { afterEach, describe, expect, it } from "vitest";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { SnapshotPool } from "../protocol/snapshot.types";
import { freePort, startTcpBackend, tcpHello, type TcpBackend } from "../test-support/backends";
import { listener, member, monitor, pool, snapshot } from "../test-support/fixtures";
import { buildPools } from "./pool-set";

/** Weighted round robin 5/1/1 over one uninterrupted balancer: a a b a c a a, then again. */
const SEQUENCE = "aabacaa".repeat(3);
const weighted = (overrides: Partial<SnapshotPool> = {}) =>
  pool("p", [member("a", 1001, 5), member("b", 1002), member("c", 1003)], overrides);
const other = (port: number) => pool("q", [member("x", port)]);

let client = 0;
/** `count` picks, each for a new client IP (so source-IP stickiness never answers instead of the balancer). */
function picks(runtime: PoolRuntime, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    const picked = runtime.pick(`10.0.${(++client >> 8) & 255}.${client & 255}`);
    expect(runtime.members).toContain(picked); // same objects as the runtime's members (route targets key by them)
    out += picked?.config.id ?? "-";
  }
  return out;
}

describe("buildPools: balancers carried over unless the pool's routing changed", () => {
  it("continues the weighted round robin across snapshots that change other things", () => {
    let pools = buildPools([weighted(), other(2001)], new Map());
    let out = picks(pools.get("p")!, 3);
    const edits: SnapshotPool[][] = [
      [weighted(), other(2002)], // another pool's member changed
      [weighted({ name: "renamed" }), other(2002)], // this pool's name
      [weighted({ healthMonitor: monitor() }), other(2002)], // health check added (members stay healthy)
      [weighted({ healthMonitor: monitor({ intervalSeconds: 5 }) })], // its settings; other pool removed
      [weighted({ stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 5 } })],
      [pool("p", [{ ...member("a", 1001, 5), name: "web-a" }, member("b", 1002), member("c", 1003)])], // member name
    ];
    for (const configs of edits) {
      const previous = pools.get("p")!;
      pools = buildPools(configs, pools);
      const next = pools.get("p")!;
      expect(next).not.toBe(previous);
      expect(next.config).toBe(configs[0]); // the new config is what the runtime exposes
      next.members.forEach((m, i) => expect(m).toBe(previous.members[i])); // same member objects
      out += picks(next, 3);
    }
    expect(out).toBe(SEQUENCE.slice(0, out.length));
    expect(pools.get("p")!.byId("a")!.config.name).toBe("web-a"); // a renamed member reads its new name
    expect(pools.get("p")!.members.every((m) => m.healthy)).toBe(true);
  });

  it("rebuilds when a weight, the member order, a member or the algorithm changes", () => {
    const rebuilt: SnapshotPool[] = [
      pool("p", [member("a", 1001, 5), member("b", 1002, 2), member("c", 1003)]), // weight
      pool("p", [member("b", 1002), member("a", 1001, 5), member("c", 1003)]), // order
      pool("p", [member("a", 1001, 5), member("b", 1002), member("c", 1004)]), // port
      pool("p", [member("a", 1001, 5), member("b", 1002)]), // member removed
      weighted({ algorithm: "LEAST_CONNECTIONS" }),
    ];
    for (const config of rebuilt) {
      const previous = buildPools([weighted()], new Map());
      const first = previous.get("p")!;
      expect(picks(first, 1)).toBe("a");
      const next = buildPools([config], previous).get("p")!;
      expect(next.members.every((m) => !first.members.includes(m))).toBe(true); // fresh objects
    }
    // The weight change restarts the sequence with the new weights (5,2,1: a b a a c a b a).
    const before = buildPools([weighted()], new Map());
    expect(picks(before.get("p")!, 3)).toBe("aab");
    const after = buildPools([rebuilt[0]!], before).get("p")!;
    expect(picks(after, 8)).toBe("abaacaba");
  });

  it("keeps a rebuilt member's connection count and health (same server), not its object", () => {
    const first = buildPools([weighted({ healthMonitor: monitor() })], new Map());
    const a = first.get("p")!.byId("a")!;
    a.healthy = true;
    first.get("p")!.acquire(a);
    const next = buildPools([pool("p", [member("a", 1001, 9)], { healthMonitor: monitor() })], first).get("p")!;
    expect(next.byId("a")).not.toBe(a);
    expect(next.byId("a")).toMatchObject({ activeConnections: 1, healthy: true });
  });

  it("makes reused members healthy when the health check is removed, as a rebuild would", () => {
    const first = buildPools([weighted({ healthMonitor: monitor() })], new Map());
    expect(first.get("p")!.members.some((m) => m.healthy)).toBe(false);
    const next = buildPools([weighted()], first).get("p")!;
    expect(next.members.every((m, i) => m === first.get("p")!.members[i] && m.healthy)).toBe(true);
  });
});

describe("engine runtime: an unrelated listener does not reset a pool's round robin", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("keeps the weighted round robin position of a live listener when another listener is added", async () => {
    const backends: TcpBackend[] = await Promise.all(["a", "b", "c", "x"].map((n) => startTcpBackend(n)));
    for (const b of backends) cleanups.push(() => b.close());
    const [a, b, c, x] = backends as [TcpBackend, TcpBackend, TcpBackend, TcpBackend];
    // Loaded here so the buildPools tests above do not depend on the whole engine importing cleanly.
    const { EngineRuntime } = await import("./engine-runtime");
    const rt = new EngineRuntime({ drainGraceMs: 200 });
    cleanups.push(() => rt.stop(100));
    const [port1, port2] = [await freePort(), await freePort()];
    const p = pool("p", [member("a", a.port, 5), member("b", b.port), member("c", c.port)]);
    await rt.apply(snapshot(1, [listener("l1", port1, "p")], [p]));
    let out = "";
    for (let i = 0; i < 3; i++) out += await tcpHello(port1);
    const added = await rt.apply(snapshot(2, [listener("l1", port1, "p"), listener("l2", port2, "q")], [p, other(x.port)]));
    expect(added.errors).toEqual([]);
    for (let i = 0; i < 4; i++) out += await tcpHello(port1);
    expect(out).toBe("aabacaa");
    expect(await tcpHello(port2)).toBe("x");
  });
});
