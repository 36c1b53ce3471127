import "server-only";
import { asc, sql } from "drizzle-orm";
import { eipPools, loadBalancers, regions, vpcs } from "@/db/schema";
import type { ServiceContext } from "../context";
import { qualified } from "../qualified-column";

/** A region as Settings lists it, with what it holds. */
export interface RegionView {
  id: string;
  code: string;
  name: string;
  vpcCount: number;
  eipPoolCount: number;
  loadBalancerCount: number;
  createdAt: Date;
}

const countIn = (table: typeof vpcs | typeof eipPools | typeof loadBalancers) =>
  sql<number>`(select count(*)::int from ${table} where ${qualified(table.regionId)} = ${qualified(regions.id)})`;

/** Every region, by code. */
export async function listRegions(ctx: ServiceContext): Promise<RegionView[]> {
  return ctx.db
    .select({
      id: regions.id,
      code: regions.code,
      name: regions.name,
      vpcCount: countIn(vpcs),
      eipPoolCount: countIn(eipPools),
      loadBalancerCount: countIn(loadBalancers),
      createdAt: regions.createdAt,
    })
    .from(regions)
    .orderBy(asc(regions.code));
}
