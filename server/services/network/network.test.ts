import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { eipPools, eips, loadBalancers, subnets, vpcs } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { listVpcs } from "./list-vpcs";
import { createVpc } from "./create-vpc";
import { deleteVpc } from "./delete-vpc";
import { listSubnets } from "./list-subnets";
import { createSubnet } from "./create-subnet";
import { deleteSubnet } from "./delete-subnet";
import { listEipPools } from "./list-eip-pools";
import { createEipPool } from "./create-eip-pool";
import { deleteEipPool } from "./delete-eip-pool";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const allNetworks = async () => ({
  vpcs: await bed.ctx.db.select().from(vpcs).orderBy(vpcs.id),
  subnets: await bed.ctx.db.select().from(subnets).orderBy(subnets.id),
  pools: await bed.ctx.db.select().from(eipPools).orderBy(eipPools.id),
});

/** A load balancer row placed directly, to stand for "in use". */
const placeLoadBalancer = async (vpcId: string, subnetId: string, name: string, privateIp: string) =>
  (
    await bed.ctx.db
      .insert(loadBalancers)
      .values({ name, regionId: bed.ctx.scope.regionId, projectId: bed.ctx.scope.projectId, vpcId, subnetId, privateIp })
      .returning()
  )[0]!;

describe("VPCs", () => {
  it("creates a VPC with a normalised block and lists it with its counts", async () => {
    const vpc = await createVpc(bed.ctx, { name: "vpc-web", cidr: "192.168.7.9/16" });
    expect(vpc).toMatchObject({ name: "vpc-web", cidr: "192.168.0.0/16", subnetCount: 0, loadBalancerCount: 0 });
    const list = await listVpcs(bed.ctx);
    expect(list.map((v) => v.name)).toEqual(["vpc-default", "vpc-web"]);
    expect(list[0]).toMatchObject({ subnetCount: 1, loadBalancerCount: 0 });
  });

  it("rejects a bad name or block, naming the field and the allowed range, and writes nothing", async () => {
    await expectAppError(() => createVpc(bed.ctx, { name: "", cidr: "10.0.0.0/8" }), { code: "BAD_REQUEST", field: "name", message: /VPC name: enter 1 to 64 characters/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "x".repeat(65), cidr: "10.0.0.0/8" }), { field: "name", message: /at most 64/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "bad name", cidr: "10.0.0.0/8" }), { field: "name", message: /only letters, digits/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "v", cidr: "10.0.0.0" }), { field: "cidr", message: /IPv4 CIDR Block: enter a block such as/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "v", cidr: "10/8" }), { field: "cidr", message: /IPv4 CIDR Block/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "v", cidr: "10.0.0.0/7" }), { field: "cidr", message: /mask length must be between 8 and 29/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "v", cidr: "10.0.0.0/30" }), { field: "cidr", message: /between 8 and 29/ }, allNetworks);
    await expectAppError(() => createVpc(bed.ctx, { name: "vpc-web", cidr: "10.0.0.0/8" }), { code: "CONFLICT", field: "name", message: /already exists/ }, allNetworks);
  });

  it("refuses deleting a VPC that a load balancer uses, then deletes it with its subnets", async () => {
    const vpc = await createVpc(bed.ctx, { name: "vpc-busy", cidr: "10.50.0.0/16" });
    const subnet = await createSubnet(bed.ctx, { vpcId: vpc.id, name: "s1", cidr: "10.50.1.0/24" });
    const lb = await placeLoadBalancer(vpc.id, subnet.id, "lb-in-vpc", "10.50.1.2");
    await expectAppError(() => deleteVpc(bed.ctx, { id: vpc.id }), { code: "PRECONDITION_FAILED", message: /VPC vpc-busy cannot be deleted: it is used by 1 load balancer\(s\) \(lb-in-vpc\)/ }, allNetworks);
    await bed.ctx.db.delete(loadBalancers).where(eq(loadBalancers.id, lb.id));
    expect(await deleteVpc(bed.ctx, { id: vpc.id })).toEqual({ id: vpc.id, name: "vpc-busy" });
    expect(await bed.ctx.db.select().from(subnets).where(eq(subnets.vpcId, vpc.id))).toEqual([]);
    await expectAppError(() => deleteVpc(bed.ctx, { id: vpc.id }), { code: "NOT_FOUND", message: /not found/ }, allNetworks);
  });
});

describe("subnets", () => {
  let vpcId: string;
  beforeAll(async () => {
    vpcId = (await createVpc(bed.ctx, { name: "vpc-subnets", cidr: "172.16.0.0/16" })).id;
  });

  it("creates subnets inside the VPC and lists them with available addresses", async () => {
    await createSubnet(bed.ctx, { vpcId, name: "app", cidr: "172.16.1.0/24" });
    await createSubnet(bed.ctx, { vpcId, name: "db", cidr: "172.16.2.0/24" });
    const list = await listSubnets(bed.ctx, { vpcId });
    expect(list.map((s) => [s.name, s.cidr, s.availableIpCount])).toEqual([
      ["app", "172.16.1.0/24", 253],
      ["db", "172.16.2.0/24", 253],
    ]);
  });

  it("rejects a block outside the VPC or overlapping a sibling or an EIP pool, and writes nothing", async () => {
    await expectAppError(() => createSubnet(bed.ctx, { vpcId, name: "out", cidr: "172.17.0.0/24" }), { code: "BAD_REQUEST", field: "cidr", message: /172\.17\.0\.0\/24 must lie inside the VPC's block 172\.16\.0\.0\/16/ }, allNetworks);
    await expectAppError(() => createSubnet(bed.ctx, { vpcId, name: "wide", cidr: "172.0.0.0/8" }), { field: "cidr", message: /must lie inside/ }, allNetworks);
    await expectAppError(() => createSubnet(bed.ctx, { vpcId, name: "overlap", cidr: "172.16.0.0/23" }), { code: "CONFLICT", field: "cidr", message: /overlaps subnet app \(172\.16\.1\.0\/24\)/ }, allNetworks);
    await expectAppError(() => createSubnet(bed.ctx, { vpcId, name: "app", cidr: "172.16.9.0/24" }), { code: "CONFLICT", field: "name", message: /already has a subnet named app/ }, allNetworks);
    await expectAppError(() => createSubnet(bed.ctx, { vpcId: "nope", name: "x", cidr: "172.16.9.0/24" }), { code: "NOT_FOUND", field: "vpcId", message: /VPC/ }, allNetworks);
    await expectAppError(() => createSubnet(bed.ctx, { vpcId, name: "x", cidr: "172.16.9.0/31" }), { field: "cidr", message: /between 8 and 29/ }, allNetworks);
    const pooled = await createVpc(bed.ctx, { name: "vpc-near-pool", cidr: "127.16.0.0/12" });
    await expectAppError(() => createSubnet(bed.ctx, { vpcId: pooled.id, name: "x", cidr: "127.20.5.0/24" }), { code: "CONFLICT", field: "cidr", message: /overlaps EIP pool eip-pool-default \(127\.20\.0\.0\/16\)/ }, allNetworks);
  });

  it("refuses deleting a subnet a load balancer uses", async () => {
    const subnet = await createSubnet(bed.ctx, { vpcId, name: "busy", cidr: "172.16.3.0/24" });
    const lb = await placeLoadBalancer(vpcId, subnet.id, "lb-in-subnet", "172.16.3.2");
    expect((await listSubnets(bed.ctx, { vpcId })).find((s) => s.id === subnet.id)).toMatchObject({ loadBalancerCount: 1, availableIpCount: 252 });
    await expectAppError(() => deleteSubnet(bed.ctx, { id: subnet.id }), { code: "PRECONDITION_FAILED", message: /Subnet busy cannot be deleted: it is used by 1 load balancer\(s\) \(lb-in-subnet\)/ }, allNetworks);
    await bed.ctx.db.delete(loadBalancers).where(eq(loadBalancers.id, lb.id));
    await deleteSubnet(bed.ctx, { id: subnet.id });
    expect((await listSubnets(bed.ctx, { vpcId })).map((s) => s.name)).toEqual(["app", "db"]);
  });
});

describe("EIP pools", () => {
  it("creates a pool and lists its usage", async () => {
    const pool = await createEipPool(bed.ctx, { name: "eip-pool-2", cidr: "127.30.0.0/24" });
    expect(pool).toMatchObject({ cidr: "127.30.0.0/24", eipCount: 0, availableCount: 253 });
    await bed.ctx.db.insert(eips).values({ poolId: pool.id, projectId: bed.ctx.scope.projectId, address: "127.30.0.2", bandwidthMbit: 5 });
    const listed = (await listEipPools(bed.ctx)).find((p) => p.id === pool.id);
    expect(listed).toMatchObject({ eipCount: 1, boundCount: 0, availableCount: 252 });
  });

  it("rejects overlapping pools and pools over a subnet, and writes nothing", async () => {
    await expectAppError(() => createEipPool(bed.ctx, { name: "p", cidr: "127.30.0.128/25" }), { code: "CONFLICT", field: "cidr", message: /overlaps EIP pool eip-pool-2/ }, allNetworks);
    await expectAppError(() => createEipPool(bed.ctx, { name: "p", cidr: "127.10.200.0/24" }), { code: "CONFLICT", field: "cidr", message: /overlaps subnet subnet-default/ }, allNetworks);
    await expectAppError(() => createEipPool(bed.ctx, { name: "eip-pool-2", cidr: "127.31.0.0/24" }), { code: "CONFLICT", field: "name", message: /already exists/ }, allNetworks);
    await expectAppError(() => createEipPool(bed.ctx, { name: "p", cidr: "127.31.0.0/33" }), { code: "BAD_REQUEST", field: "cidr", message: /IPv4 CIDR Block/ }, allNetworks);
  });

  it("refuses deleting a pool while EIPs are allocated from it", async () => {
    const pool = (await listEipPools(bed.ctx)).find((p) => p.name === "eip-pool-2")!;
    await expectAppError(() => deleteEipPool(bed.ctx, { id: pool.id }), { code: "PRECONDITION_FAILED", message: /EIP pool eip-pool-2 cannot be deleted: 1 EIP\(s\) are allocated from it/ }, allNetworks);
    await bed.ctx.db.delete(eips).where(eq(eips.poolId, pool.id));
    await deleteEipPool(bed.ctx, { id: pool.id });
    expect((await listEipPools(bed.ctx)).map((p) => p.name)).toEqual(["eip-pool-default"]);
  });

  it("only sees the current region", async () => {
    const other = { ...bed.ctx, scope: { ...bed.ctx.scope, regionId: "another-region" } };
    expect(await listEipPools(other)).toEqual([]);
    expect(await listVpcs(other)).toEqual([]);
    const pool = (await listEipPools(bed.ctx))[0]!;
    await expectAppError(() => deleteEipPool(other, { id: pool.id }), { code: "NOT_FOUND", message: /not found in this region/ }, allNetworks);
  });
});
