import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfigRows } from "../../control-plane/load-config-rows";
import { compileSnapshot } from "../../control-plane/compile";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { addMembers } from "../member/add-members";
import { updateMember } from "../member/update-member";
import { removeMembers } from "../member/remove-members";
import { updatePool } from "../pool/update-pool";
import { updateHealthMonitor } from "../health-monitor/update-health-monitor";
import { createListener } from "./create-listener";
import { deleteListener } from "./delete-listener";
import { createTestLoadBalancer } from "./test-fixtures";

/**
 * The data plane sees what the console commits: after each change the compiled snapshot (what the engine
 * receives) contains it, and the change signal fired so the publisher sends it — but not on a refusal.
 */
let bed: ServiceTestBed;
let changes = 0;
let unsubscribe: () => void;
beforeAll(async () => {
  bed = await createServiceTestBed();
  unsubscribe = bed.onConfigChanged(() => changes++);
});
afterEach(() => {
  changes = 0;
});
afterAll(async () => {
  unsubscribe?.();
  await bed?.close();
});

const snapshot = async () => compileSnapshot(await loadConfigRows(bed.ctx.db), 1, "test-epoch").snapshot;

describe("committed changes reach the compiled snapshot", () => {
  it("Add Listener, backend servers, weight, sticky session and health check changes, then delete", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-snapshot");
    changes = 0;
    const listener = await createListener(bed.ctx, {
      loadBalancerId: lb.id,
      name: "web",
      protocol: "HTTP",
      port: 8080,
      pool: { mode: "new", name: "web-group", algorithm: "ROUND_ROBIN", stickySession: { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 120 }, healthMonitor: { path: "/health", intervalSeconds: 2, timeoutSeconds: 7 } },
    });
    expect(changes).toBe(1);
    const poolId = listener.pool!.id;
    let compiled = await snapshot();
    expect(compiled.listeners).toContainEqual({ id: listener.id, name: "web", loadBalancerId: lb.id, protocol: "HTTP", port: 8080, bindAddresses: [lb.privateIp], defaultPoolId: poolId, idleTimeoutSeconds: 60 });
    expect(compiled.pools.find((p) => p.id === poolId)).toMatchObject({
      protocol: "HTTP",
      algorithm: "ROUND_ROBIN",
      stickySession: { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 120 },
      members: [],
      healthMonitor: { protocol: "HTTP", path: "/health", intervalSeconds: 2, timeoutSeconds: 2, maxRetries: 3, expectedCodes: [200, 202, 401], port: null, domainName: null },
    });

    const added = await addMembers(bed.ctx, { poolId, members: [{ name: "a", address: "127.0.0.1", port: 9001, weight: 3 }, { name: "b", address: "127.0.0.1", port: 9002 }] });
    expect(changes).toBe(2);
    compiled = await snapshot();
    const members = compiled.pools.find((p) => p.id === poolId)!.members;
    expect(members.map((m) => [m.name, m.address, m.port, m.weight]).sort()).toEqual([
      ["a", "127.0.0.1", 9001, 3],
      ["b", "127.0.0.1", 9002, 1],
    ]);

    const hashBefore = compiled.hash;
    await updateMember(bed.ctx, { id: added.members[0]!.id, weight: 0 });
    compiled = await snapshot();
    expect(compiled.hash).not.toBe(hashBefore);
    expect(compiled.pools.find((p) => p.id === poolId)!.members.find((m) => m.name === "a")?.weight).toBe(0);

    await updatePool(bed.ctx, { id: poolId, algorithm: "LEAST_CONNECTIONS", stickySession: null });
    await updateHealthMonitor(bed.ctx, { poolId, enabled: false });
    compiled = await snapshot();
    expect(compiled.pools.find((p) => p.id === poolId)).toMatchObject({ algorithm: "LEAST_CONNECTIONS", stickySession: null, healthMonitor: null });
    expect(changes).toBe(5);

    // A refused change notifies nothing.
    await expect(deleteListener(bed.ctx, { id: listener.id })).rejects.toThrow(/remove the backend servers first/);
    expect(changes).toBe(5);

    await removeMembers(bed.ctx, { poolId, ids: added.members.map((m) => m.id) });
    await deleteListener(bed.ctx, { id: listener.id });
    expect(changes).toBe(7);
    compiled = await snapshot();
    expect(compiled.listeners.find((l) => l.id === listener.id)).toBeUndefined();
    expect(compiled.pools.find((p) => p.id === poolId)).toBeUndefined();
  });

  it("compiles TCP and UDP listeners on one port with source-IP stickiness", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-snapshot-l4");
    const tcp = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "tcp-53", protocol: "TCP", port: 53, pool: { mode: "new", name: "tcp-group", algorithm: "ROUND_ROBIN", stickySession: { type: "SOURCE_IP" } } });
    const udp = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "udp-53", protocol: "UDP", port: 53, pool: { mode: "new", name: "udp-group", algorithm: "SOURCE_IP", healthMonitor: {} } });
    const compiled = await snapshot();
    expect(compiled.listeners.filter((l) => l.loadBalancerId === lb.id).map((l) => [l.protocol, l.port, l.idleTimeoutSeconds])).toEqual(
      [tcp.id, udp.id].sort().map((id) => (id === tcp.id ? ["TCP", 53, 300] : ["UDP", 53, 300])),
    );
    expect(compiled.pools.find((p) => p.id === tcp.pool!.id)).toMatchObject({ stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 20 }, healthMonitor: null });
    expect(compiled.pools.find((p) => p.id === udp.pool!.id)?.healthMonitor).toMatchObject({ protocol: "UDP", intervalSeconds: 5, timeoutSeconds: 3 });
  });

  it("compiles Source IP hash with Source IP address stickiness (no stored duration) to the engine's 20-minute default", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-snapshot-siphash");
    const sticky = { type: "SOURCE_IP" } as const;
    const made = await Promise.all(
      (["TCP", "UDP", "HTTP"] as const).map((protocol, i) =>
        createListener(bed.ctx, { loadBalancerId: lb.id, name: `hash-${protocol.toLowerCase()}`, protocol, port: 9000 + i, pool: { mode: "new", name: `hash-${protocol.toLowerCase()}`, algorithm: "SOURCE_IP", stickySession: sticky } }),
      ),
    );
    const compiled = await snapshot();
    for (const listener of made)
      expect(compiled.pools.find((p) => p.id === listener.pool!.id)).toMatchObject({ algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 20 } });
  });
});
