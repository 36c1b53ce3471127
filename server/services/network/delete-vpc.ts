import "server-only";
import { and, eq } from "drizzle-orm";
import { loadBalancers, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { networkIdSchema } from "./network.schemas";
import { describeLoadBalancersUsing } from "./describe-load-balancers-using";

/** Deletes a VPC with its subnets, in one transaction; refused while any load balancer uses the VPC. */
export async function deleteVpc(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(networkIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [vpc] = await tx.select().from(vpcs).where(and(eq(vpcs.id, id), eq(vpcs.regionId, ctx.scope.regionId))).for("update");
    if (!vpc) throw new AppError("NOT_FOUND", "VPC: not found in this region", "id");
    const using = await describeLoadBalancersUsing(tx, eq(loadBalancers.vpcId, vpc.id));
    if (using) throw new AppError("PRECONDITION_FAILED", `VPC ${vpc.name} cannot be deleted: it is used by ${using}. Delete them first.`);
    await tx.delete(subnets).where(eq(subnets.vpcId, vpc.id));
    await tx.delete(vpcs).where(eq(vpcs.id, vpc.id));
    return { id: vpc.id, name: vpc.name };
  });
}
