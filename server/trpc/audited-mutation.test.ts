import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { loadBalancers, traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createCaller } from "./root";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

/** A tRPC caller acting as a user with the given role, from a given source IP. */
function callerAs(role: "admin" | "readonly") {
  return createCaller({ ...bed.ctx, user: { ...bed.ctx.user, username: role === "admin" ? "admin" : "viewer", role }, sourceIp: "127.0.0.9" });
}
const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0];

describe("audited mutations", () => {
  it("writes a normal trace named after table 9-1 with the request and response", async () => {
    const lb = await callerAs("admin").loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "traced" });
    const trace = await lastTrace();
    expect(trace).toMatchObject({ traceName: "create loadbalancer", resourceType: "loadbalancer", resourceId: lb.id, resourceName: "traced", userName: "admin", sourceIp: "127.0.0.9", code: "200", status: "normal" });
    expect(trace!.request).toMatchObject({ name: "traced" });
    expect(trace!.response).toMatchObject({ id: lb.id, privateIp: lb.privateIp });
  });

  it("refuses a read-only user on the server, writes nothing but a warning trace", async () => {
    const before = await bed.ctx.db.select().from(loadBalancers);
    await expect(callerAs("readonly").loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "sneaky" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await bed.ctx.db.select().from(loadBalancers)).toHaveLength(before.length);
    expect(await lastTrace()).toMatchObject({ traceName: "create loadbalancer", userName: "viewer", code: "403", status: "warning" });
    // Reading is allowed.
    const list = await callerAs("readonly").loadBalancer.list({});
    expect(list.total).toBe(before.length);
  });

  it("records refused input as a warning with the field-naming message", async () => {
    await expect(callerAs("admin").loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "bad name!" })).rejects.toThrow(/Name: can contain only/);
    const trace = await lastTrace();
    expect(trace).toMatchObject({ code: "400", status: "warning" });
    expect(JSON.stringify(trace!.response)).toContain("Name: can contain only");
  });

  it("records a failed delete with the reason", async () => {
    const lb = (await bed.ctx.db.select().from(loadBalancers).where(eq(loadBalancers.name, "traced")))[0]!;
    await expect(callerAs("admin").loadBalancer.delete({ id: lb.id, confirmName: "nope" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await lastTrace()).toMatchObject({ traceName: "delete loadbalancer", resourceId: lb.id, resourceName: "traced", code: "400", status: "warning" });
    await callerAs("admin").loadBalancer.delete({ id: lb.id, confirmName: "traced" });
    expect(await lastTrace()).toMatchObject({ traceName: "delete loadbalancer", resourceId: lb.id, resourceName: "traced", code: "200", status: "normal" });
  });
});
