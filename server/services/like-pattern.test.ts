import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../trpc/root";
import { createServiceTestBed, type ServiceTestBed } from "./test-support";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
  const admin = createCaller({ ...bed.ctx, sourceIp: "127.0.0.1" });
  for (const name of ["wild_card", "wildXcard"]) await admin.loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name });
});
afterAll(async () => {
  await bed?.close();
});

describe("list filters match %, _ and \\ literally", () => {
  const caller = () => createCaller({ ...bed.ctx, sourceIp: "127.0.0.1" });
  it("load balancer name and IP filters", async () => {
    expect((await caller().loadBalancer.list({ name: "wild_card" })).items.map((lb) => lb.name)).toEqual(["wild_card"]);
    expect((await caller().loadBalancer.list({ name: "%" })).total).toBe(0);
    expect((await caller().loadBalancer.list({ name: "\\" })).total).toBe(0);
    expect((await caller().loadBalancer.list({ ip: "1_7" })).total).toBe(0);
  });
  it("trace resource name and EIP address searches", async () => {
    const traces = await caller().trace.list({ searchBy: "resourceName", searchValue: "wild_card" });
    expect(traces.items.every((t) => t.resourceName === "wild_card")).toBe(true);
    expect(traces.total).toBeGreaterThan(0);
    expect((await caller().trace.list({ searchBy: "resourceName", searchValue: "%" })).total).toBe(0);
    expect((await caller().eip.list({ address: "%" })).total).toBe(0);
  });
});
