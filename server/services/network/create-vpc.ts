import "server-only";
import { and, eq } from "drizzle-orm";
import { vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { createVpcSchema } from "./network.schemas";
import type { VpcView } from "./list-vpcs";

/** Create VPC in the current region: a unique name and an IPv4 CIDR block (subnets are added to it after). */
export async function createVpc(ctx: ServiceContext, rawInput: unknown): Promise<VpcView> {
  const input = parseInput(createVpcSchema, rawInput);
  const regionId = ctx.scope.regionId;
  return ctx.db.transaction(async (tx) => {
    const [same] = await tx.select({ id: vpcs.id }).from(vpcs).where(and(eq(vpcs.regionId, regionId), eq(vpcs.name, input.name)));
    if (same) throw new AppError("CONFLICT", `VPC name: a VPC named ${input.name} already exists in this region`, "name");
    const [vpc] = await tx.insert(vpcs).values({ regionId, name: input.name, cidr: input.cidr }).returning();
    return { id: vpc!.id, name: vpc!.name, cidr: vpc!.cidr, subnetCount: 0, loadBalancerCount: 0, createdAt: vpc!.createdAt };
  });
}
