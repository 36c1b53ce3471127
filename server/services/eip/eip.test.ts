import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { eipPools, eips, loadBalancers } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createEip } from "./create-eip";
import { listEips } from "./list-eips";
import { releaseEip } from "./release-eip";

let bed: ServiceTestBed;
let poolId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  poolId = (await bed.ctx.db.select().from(eipPools))[0]!.id;
});
afterAll(async () => {
  await bed?.close();
});

const allEips = () => bed.ctx.db.select().from(eips).orderBy(eips.address);

describe("Allocate EIP", () => {
  it("allocates Dynamic BGP EIPs from the pool, lowest free address first, unbound", async () => {
    const first = await createEip(bed.ctx, { poolId, bandwidthMbit: 10 });
    expect(first).toMatchObject({ address: "127.20.0.2", name: "127.20.0.2", type: "dynamic_bgp", bandwidthMbit: 10, loadBalancer: null, poolName: "eip-pool-default", projectName: "default" });
    const second = await createEip(bed.ctx, { poolId, bandwidthMbit: 2000 });
    expect(second.address).toBe("127.20.0.3");
  });

  it("rejects a bandwidth outside 1–2000 Mbit/s or an unknown pool, naming the field, and writes nothing", async () => {
    await expectAppError(() => createEip(bed.ctx, { poolId, bandwidthMbit: 0 }), { code: "BAD_REQUEST", field: "bandwidthMbit", message: /Bandwidth: must be between 1 and 2000 Mbit\/s/ }, allEips);
    await expectAppError(() => createEip(bed.ctx, { poolId, bandwidthMbit: 2001 }), { field: "bandwidthMbit", message: /between 1 and 2000/ }, allEips);
    await expectAppError(() => createEip(bed.ctx, { poolId, bandwidthMbit: 1.5 }), { field: "bandwidthMbit", message: /whole number/ }, allEips);
    await expectAppError(() => createEip(bed.ctx, { poolId, bandwidthMbit: 5, eipType: "static" }), { field: "eipType", message: /Dynamic BGP/ }, allEips);
    await expectAppError(() => createEip(bed.ctx, { poolId: "nope", bandwidthMbit: 5 }), { code: "NOT_FOUND", field: "poolId", message: /EIP pool: the selected pool does not exist/ }, allEips);
  });

  it("says so when the pool is full", async () => {
    const [tiny] = await bed.ctx.db.insert(eipPools).values({ regionId: bed.ctx.scope.regionId, name: "tiny", cidr: "127.40.0.0/30" }).returning();
    for (let i = 0; i < 3; i++) await createEip(bed.ctx, { poolId: tiny!.id, bandwidthMbit: 1 });
    await expectAppError(() => createEip(bed.ctx, { poolId: tiny!.id, bandwidthMbit: 1 }), { code: "CONFLICT", message: /pool tiny \(127\.40\.0\.0\/30\) has no free address/ }, allEips);
  });
});

describe("EIP list and Release", () => {
  it("lists the bound load balancer's name, filters by pool and address, pages", async () => {
    const [lb] = await bed.ctx.db
      .insert(loadBalancers)
      .values({ name: "web-lb", regionId: bed.ctx.scope.regionId, projectId: bed.ctx.scope.projectId, vpcId: bed.vpcId, subnetId: bed.subnetId, privateIp: "127.10.0.2" })
      .returning();
    await bed.ctx.db.update(eips).set({ loadBalancerId: lb!.id }).where(eq(eips.address, "127.20.0.2"));
    const { items, total } = await listEips(bed.ctx, { poolId });
    expect(total).toBe(2);
    expect(items.map((e) => [e.address, e.loadBalancer?.name ?? "Unbound"])).toEqual([
      ["127.20.0.2", "web-lb"],
      ["127.20.0.3", "Unbound"],
    ]);
    expect((await listEips(bed.ctx, { address: "20.0.3" })).items.map((e) => e.address)).toEqual(["127.20.0.3"]);
    const all = await listEips(bed.ctx, { pageSize: 2, page: 2 });
    expect(all.total).toBe(5);
    expect(all.items.map((e) => e.address)).toEqual(["127.40.0.1", "127.40.0.2"]);
  });

  it("refuses releasing a bound EIP, releases an unbound one", async () => {
    const [bound] = await bed.ctx.db.select().from(eips).where(eq(eips.address, "127.20.0.2"));
    await expectAppError(() => releaseEip(bed.ctx, { id: bound!.id }), { code: "PRECONDITION_FAILED", message: /EIP 127\.20\.0\.2 cannot be released: it is bound to load balancer web-lb\. Unbind it first/ }, allEips);
    const [free] = await bed.ctx.db.select().from(eips).where(eq(eips.address, "127.20.0.3"));
    expect(await releaseEip(bed.ctx, { id: free!.id })).toEqual({ id: free!.id, name: "127.20.0.3" });
    expect((await listEips(bed.ctx, { poolId })).items.map((e) => e.address)).toEqual(["127.20.0.2"]);
    await expectAppError(() => releaseEip(bed.ctx, { id: free!.id }), { code: "NOT_FOUND", message: /EIP: not found/ }, allEips);
  });
});
