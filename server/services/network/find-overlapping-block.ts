import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, subnets, vpcs } from "@/db/schema";
import { blocksOverlap, parseIpv4Cidr, type Ipv4Block } from "../../networking/cidr";

/** A subnet or EIP pool whose block collides with a new one. */
export interface OverlappingBlock {
  kind: "subnet" | "EIP pool";
  name: string;
  cidr: string;
}

/**
 * The first subnet of the region or EIP pool (of any region: EIP addresses are unique everywhere) whose
 * block overlaps `block`. Private IPs and EIPs are really bound on the engine hosts, so a subnet and an EIP
 * pool must never share addresses. Sibling subnets are checked by the caller (its message is more precise).
 */
export async function findOverlappingBlock(db: Database, regionId: string, block: Ipv4Block, check: { subnets: boolean; eipPools: boolean }): Promise<OverlappingBlock | null> {
  if (check.subnets) {
    const rows = await db.select({ name: subnets.name, cidr: subnets.cidr }).from(subnets).innerJoin(vpcs, eq(vpcs.id, subnets.vpcId)).where(eq(vpcs.regionId, regionId));
    const hit = rows.find((row) => blocksOverlap(block, parseIpv4Cidr(row.cidr)));
    if (hit) return { kind: "subnet", ...hit };
  }
  if (check.eipPools) {
    const rows = await db.select({ name: eipPools.name, cidr: eipPools.cidr }).from(eipPools);
    const hit = rows.find((row) => blocksOverlap(block, parseIpv4Cidr(row.cidr)));
    if (hit) return { kind: "EIP pool", ...hit };
  }
  return null;
}
