import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers, members, pools, servers, subnets, vpcs } from "@/db/schema";
import { qualified } from "../qualified-column";

/** A server of the inventory as Settings and Add Backend Servers list it. */
export interface ServerView {
  id: string;
  name: string;
  address: string;
  subnet: { id: string; name: string; cidr: string };
  vpc: { id: string; name: string };
  /** Backend servers (of load balancers in the same VPC) that use this address. */
  memberCount: number;
  createdAt: Date;
}

/** Servers of one region matching `where`, by subnet name then address. */
export async function queryServerViews(db: Database, regionId: string, where?: SQL): Promise<ServerView[]> {
  const rows = await db
    .select({
      id: servers.id,
      name: servers.name,
      address: servers.address,
      subnetId: subnets.id,
      subnetName: subnets.name,
      subnetCidr: subnets.cidr,
      vpcId: vpcs.id,
      vpcName: vpcs.name,
      memberCount: sql<number>`(select count(*)::int from ${members}
        inner join ${pools} on ${qualified(pools.id)} = ${qualified(members.poolId)}
        inner join ${loadBalancers} on ${qualified(loadBalancers.id)} = ${qualified(pools.loadBalancerId)}
        where ${qualified(members.address)} = ${qualified(servers.address)} and ${qualified(loadBalancers.vpcId)} = ${qualified(subnets.vpcId)})`,
      createdAt: servers.createdAt,
    })
    .from(servers)
    .innerJoin(subnets, eq(subnets.id, servers.subnetId))
    .innerJoin(vpcs, eq(vpcs.id, subnets.vpcId))
    .where(and(eq(vpcs.regionId, regionId), where))
    .orderBy(asc(vpcs.name), asc(subnets.name), sql`${qualified(servers.address)}::inet`, asc(servers.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    address: r.address,
    subnet: { id: r.subnetId, name: r.subnetName, cidr: r.subnetCidr },
    vpc: { id: r.vpcId, name: r.vpcName },
    memberCount: r.memberCount,
    createdAt: r.createdAt,
  }));
}
