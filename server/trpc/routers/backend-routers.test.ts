import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { listeners, traces, users } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer } from "../../services/listener/test-fixtures";
import { createCaller } from "../root";

/**
 * Listener, backend server group, backend server and health check procedures through tRPC: trace names of
 * guide table 9-1 with their resource types, refusals traced, read-only users refused by the server.
 */
let bed: ServiceTestBed;
let admin: ReturnType<typeof createCaller>;
beforeAll(async () => {
  bed = await createServiceTestBed();
  admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.20" });
});
afterAll(async () => {
  await bed?.close();
});

const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;

describe("audited mutations", () => {
  it("writes one trace per mutation with the table 9-1 name", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-routers");
    const listener = await admin.listener.create({ loadBalancerId: lb.id, name: "listener-abcd", protocol: "TCP", port: 80, pool: { mode: "new", name: "server_group-abcd", algorithm: "ROUND_ROBIN" } });
    expect(await lastTrace()).toMatchObject({ traceName: "create listener", resourceType: "listener", resourceId: listener.id, resourceName: "listener-abcd", code: "200", userName: "admin" });
    await admin.listener.update({ id: listener.id, description: "d" });
    expect(await lastTrace()).toMatchObject({ traceName: "update listener", resourceType: "listener", resourceName: "listener-abcd" });

    const pool = await admin.pool.create({ loadBalancerId: lb.id, name: "spare", protocol: "TCP", algorithm: "SOURCE_IP" });
    expect(await lastTrace()).toMatchObject({ traceName: "create backend member group", resourceType: "pool", resourceId: pool.id, resourceName: "spare" });
    await admin.pool.update({ id: pool.id, name: "spare-2" });
    expect(await lastTrace()).toMatchObject({ traceName: "update backend member group", resourceType: "pool", resourceName: "spare-2" });

    const added = await admin.member.add({ poolId: pool.id, members: [{ name: "ecs-1", address: "10.9.0.1", port: 80 }] });
    expect(await lastTrace()).toMatchObject({ traceName: "add backend ecs", resourceType: "member", resourceId: added.members[0]!.id, resourceName: "ecs-1" });
    await admin.member.update({ id: added.members[0]!.id, weight: 7 });
    expect(await lastTrace()).toMatchObject({ traceName: "update backend ecs", resourceType: "member", resourceName: "ecs-1" });
    const listed = await admin.member.list({ poolId: pool.id });
    expect(listed).toMatchObject([{ name: "ecs-1", weight: 7, health: "DISABLED" }]);
    await admin.member.remove({ poolId: pool.id, ids: [added.members[0]!.id] });
    expect(await lastTrace()).toMatchObject({ traceName: "remove backend ecs", resourceType: "member", resourceName: "ecs-1" });

    const monitor = await admin.healthMonitor.create({ poolId: pool.id, protocol: "HTTP" });
    expect(await lastTrace()).toMatchObject({ traceName: "create healthmonitor", resourceType: "healthmonitor", resourceId: monitor.id });
    await admin.healthMonitor.update({ poolId: pool.id, enabled: false });
    expect(await lastTrace()).toMatchObject({ traceName: "update healthmonitor", resourceType: "healthmonitor" });
    await admin.healthMonitor.delete({ poolId: pool.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete healthmonitor", resourceType: "healthmonitor" });

    await admin.pool.delete({ id: pool.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete backend member group", resourceType: "pool", resourceName: "spare-2" });
    await admin.listener.delete({ id: listener.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete listener", resourceType: "listener", resourceName: "listener-abcd" });
  });

  it("traces a refused Add Listener with the error naming the field, and refuses read-only users", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-routers-2");
    await expect(admin.listener.create({ loadBalancerId: lb.id, name: "bad-port", protocol: "TCP", port: 70000, pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN" } })).rejects.toThrow(
      /Frontend Port: must be a whole number between 1 and 65535/,
    );
    expect(await lastTrace()).toMatchObject({ traceName: "create listener", code: "400", status: "warning" });
    const [viewer] = await bed.ctx.db.insert(users).values({ username: "viewer-backend", passwordHash: "x", role: "readonly" }).returning();
    const readOnly = createCaller({ ...bed.ctx, user: { id: viewer!.id, username: "viewer-backend", role: "readonly" }, sourceIp: "192.0.2.21" });
    await expect(readOnly.listener.create({ loadBalancerId: lb.id, name: "l", protocol: "TCP", port: 80, pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await bed.ctx.db.select().from(listeners).where(eq(listeners.loadBalancerId, lb.id))).toEqual([]);
    expect(await readOnly.listener.list({ loadBalancerId: lb.id })).toEqual([]);
  });
});
