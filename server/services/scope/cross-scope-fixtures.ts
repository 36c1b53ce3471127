import { eq } from "drizzle-orm";
import * as schema from "@/db/schema";
import type { ServiceContext } from "../context";
import type { ServiceTestBed } from "../test-support";
import { createRegion } from "../region/create-region";
import { createVpc } from "../network/create-vpc";
import { createSubnet } from "../network/create-subnet";
import { createEipPool } from "../network/create-eip-pool";
import { createEip } from "../eip/create-eip";
import { createServer } from "../server/create-server";
import { createLoadBalancer } from "../load-balancer/create-load-balancer";
import { createListener } from "../listener/create-listener";
import { addMembers } from "../member/add-members";

/** Ids of a full set of region-1 resources, and of region 2's own network, for cross-scope tests. */
export interface CrossScopeWorld {
  /** Region 2, same enterprise project. */
  region2: ServiceContext;
  /** Region 1, another enterprise project. */
  otherProject: ServiceContext;
  lb: { id: string; name: string };
  /** A region-1 load balancer with a bound EIP. */
  publicLb: { id: string; name: string };
  listenerId: string;
  poolId: string;
  memberId: string;
  eipId: string;
  eipPoolId: string;
  vpcId: string;
  subnetId: string;
  serverId: string;
  /** Region 2's own VPC, subnet, EIP pool and unbound EIP. */
  r2: { vpcId: string; subnetId: string; eipPoolId: string; eipId: string };
}

/** Test helper: builds region-1 resources through the services, then region 2 and a second project. */
export async function buildCrossScopeWorld(bed: ServiceTestBed): Promise<CrossScopeWorld> {
  const ctx = bed.ctx;
  const [eipPool] = await ctx.db.select().from(schema.eipPools);
  const lb = await createLoadBalancer(ctx, { networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "r1-lb" });
  const publicLb = await createLoadBalancer(ctx, {
    networkType: "public",
    vpcId: bed.vpcId,
    subnetId: bed.subnetId,
    name: "r1-public",
    eip: { mode: "new", bandwidthMbit: 5, eipPoolId: eipPool!.id },
  });
  const listener = await createListener(ctx, {
    loadBalancerId: lb.id,
    name: "r1-http",
    protocol: "HTTP",
    port: 8080,
    pool: { mode: "new", name: "r1-group", algorithm: "ROUND_ROBIN", healthMonitor: {} },
  });
  const poolId = listener.pool!.id;
  await addMembers(ctx, { poolId, members: [{ name: "m1", address: "127.0.0.1", port: 9001 }] });
  const [member] = await ctx.db.select().from(schema.members).where(eq(schema.members.poolId, poolId));
  const eip = await createEip(ctx, { poolId: eipPool!.id, bandwidthMbit: 3 });
  const server = await createServer(ctx, { subnetId: bed.subnetId, name: "r1-server", address: "127.10.5.5" });

  const region = await createRegion(ctx, { code: "local-2", name: "Second" });
  const region2: ServiceContext = { ...ctx, scope: { regionId: region.id, projectId: ctx.scope.projectId } };
  const vpc2 = await createVpc(region2, { name: "vpc-r2", cidr: "127.11.0.0/16" });
  const subnet2 = await createSubnet(region2, { vpcId: vpc2.id, name: "subnet-r2", cidr: "127.11.0.0/24" });
  const pool2 = await createEipPool(region2, { name: "eip-pool-r2", cidr: "127.21.0.0/24" });
  const eip2 = await createEip(region2, { poolId: pool2.id, bandwidthMbit: 3 });
  const [project] = await ctx.db.insert(schema.projects).values({ name: "other" }).returning();
  const otherProject: ServiceContext = { ...ctx, scope: { regionId: ctx.scope.regionId, projectId: project!.id } };
  return {
    region2,
    otherProject,
    lb: { id: lb.id, name: lb.name },
    publicLb: { id: publicLb.id, name: publicLb.name },
    listenerId: listener.id,
    poolId,
    memberId: member!.id,
    eipId: eip.id,
    eipPoolId: eipPool!.id,
    vpcId: bed.vpcId,
    subnetId: bed.subnetId,
    serverId: server.id,
    r2: { vpcId: vpc2.id, subnetId: subnet2.id, eipPoolId: pool2.id, eipId: eip2.id },
  };
}

/** Test helper: every row of every resource table, to prove a refused call changed nothing. */
export async function allResourceRows(bed: ServiceTestBed) {
  const db = bed.ctx.db;
  const tables = [schema.loadBalancers, schema.loadBalancerTags, schema.listeners, schema.pools, schema.members, schema.healthMonitors, schema.eips, schema.eipPools, schema.vpcs, schema.subnets, schema.servers];
  return Promise.all(tables.map((t) => db.select().from(t)));
}
