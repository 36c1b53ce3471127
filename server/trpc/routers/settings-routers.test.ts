import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { eipPools, traces, users } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createCaller } from "../root";

/**
 * The Settings routers through tRPC: trace names and resource types of every mutation, passwords redacted
 * in traces, read-only users refused by the server (and the refusal traced), engine status without engine.
 */
let bed: ServiceTestBed;
let admin: ReturnType<typeof createCaller>;
beforeAll(async () => {
  bed = await createServiceTestBed();
  admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.10" });
});
afterAll(async () => {
  await bed?.close();
});

const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;

describe("Settings mutations are audited", () => {
  it("names each trace and its resource type", async () => {
    const vpc = await admin.vpc.create({ name: "vpc-audit", cidr: "10.20.0.0/16" });
    expect(await lastTrace()).toMatchObject({ traceName: "create vpc", resourceType: "vpc", resourceId: vpc.id, resourceName: "vpc-audit", status: "normal", code: "200", sourceIp: "192.0.2.10", userName: "admin" });
    const subnet = await admin.subnet.create({ vpcId: vpc.id, name: "subnet-audit", cidr: "10.20.1.0/24" });
    expect(await lastTrace()).toMatchObject({ traceName: "create subnet", resourceType: "subnet", resourceName: "subnet-audit" });
    await admin.subnet.delete({ id: subnet.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete subnet", resourceType: "subnet", resourceId: subnet.id, resourceName: "subnet-audit" });
    await admin.vpc.delete({ id: vpc.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete vpc", resourceType: "vpc", resourceName: "vpc-audit" });
    const pool = await admin.eipPool.create({ name: "pool-audit", cidr: "127.50.0.0/24" });
    expect(await lastTrace()).toMatchObject({ traceName: "create eip pool", resourceType: "eippool", resourceName: "pool-audit" });
    const eip = await admin.eip.create({ poolId: pool.id, bandwidthMbit: 5 });
    expect(await lastTrace()).toMatchObject({ traceName: "create eip", resourceType: "eip", resourceId: eip.id, resourceName: "127.50.0.2" });
    await admin.eip.release({ id: eip.id });
    expect(await lastTrace()).toMatchObject({ traceName: "release eip", resourceType: "eip", resourceName: "127.50.0.2" });
    await admin.eipPool.delete({ id: pool.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete eip pool", resourceType: "eippool" });
    const region = await admin.region.create({ code: "audit-1", name: "Audit" });
    expect(await lastTrace()).toMatchObject({ traceName: "create region", resourceType: "region", resourceName: "Audit" });
    await admin.region.rename({ id: region.id, name: "Audit 2" });
    expect(await lastTrace()).toMatchObject({ traceName: "update region", resourceName: "Audit 2" });
    await admin.region.delete({ id: region.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete region" });
    const project = await admin.project.create({ name: "audit-project" });
    expect(await lastTrace()).toMatchObject({ traceName: "create enterprise project", resourceType: "project", resourceName: "audit-project" });
    await admin.project.update({ id: project.id, listenerQuota: 7 });
    expect(await lastTrace()).toMatchObject({ traceName: "update enterprise project" });
    await admin.project.delete({ id: project.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete enterprise project" });
  });

  it("redacts passwords in user traces and writes a warning trace for a refused request", async () => {
    const user = await admin.user.create({ username: "carol", role: "readonly", password: "carol-secret-1" });
    const created = await lastTrace();
    expect(created).toMatchObject({ traceName: "create user", resourceType: "user", resourceId: user.id, resourceName: "carol" });
    expect(created.request).toEqual({ username: "carol", role: "readonly", password: "******" });
    await admin.user.update({ id: user.id, password: "carol-secret-2" });
    const updated = await lastTrace();
    expect(updated).toMatchObject({ traceName: "update user", resourceName: "carol" });
    expect(JSON.stringify([updated.request, updated.response])).not.toMatch(/carol-secret|scrypt/);
    await expect(admin.user.create({ username: "dave", role: "readonly", password: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const refused = await lastTrace();
    expect(refused).toMatchObject({ traceName: "create user", status: "warning", code: "400" });
    expect(JSON.stringify(refused.request)).not.toContain("short");
    await admin.user.delete({ id: user.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete user", resourceName: "carol" });
  });

  it("refuses every Settings mutation to a read-only user on the server", async () => {
    const [viewer] = await bed.ctx.db.insert(users).values({ username: "viewer", passwordHash: "x", role: "readonly" }).returning();
    const readOnly = createCaller({ ...bed.ctx, user: { id: viewer!.id, username: "viewer", role: "readonly" }, sourceIp: "192.0.2.11" });
    const [pool] = await bed.ctx.db.select().from(eipPools);
    await expect(readOnly.vpc.create({ name: "nope", cidr: "10.30.0.0/16" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readOnly.eip.create({ poolId: pool!.id, bandwidthMbit: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readOnly.user.create({ username: "sneaky", role: "admin", password: "long-enough" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readOnly.project.update({ id: bed.ctx.scope.projectId, loadBalancerQuota: 9999 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await bed.ctx.db.select().from(users).where(eq(users.username, "sneaky"))).toEqual([]);
    expect(await lastTrace()).toMatchObject({ traceName: "update enterprise project", status: "warning", code: "403", userName: "viewer" });
    // Reading is allowed.
    expect((await readOnly.vpc.list()).map((v) => v.name)).toEqual(["vpc-default"]);
    expect((await readOnly.trace.list({ operator: "viewer" })).total).toBe(4);
  });

  it("reports no engine status when the control plane is not started", async () => {
    expect(await admin.engine.status()).toBeNull();
  });
});
