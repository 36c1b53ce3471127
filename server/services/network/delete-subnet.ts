import "server-only";
import { and, eq } from "drizzle-orm";
import { loadBalancers, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { networkIdSchema } from "./network.schemas";
import { describeLoadBalancersUsing } from "./describe-load-balancers-using";

/** Deletes a subnet; refused while any load balancer has its private IP in it. */
export async function deleteSubnet(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(networkIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ subnet: subnets })
      .from(subnets)
      .innerJoin(vpcs, eq(vpcs.id, subnets.vpcId))
      .where(and(eq(subnets.id, id), eq(vpcs.regionId, ctx.scope.regionId)))
      .for("update", { of: subnets });
    if (!row) throw new AppError("NOT_FOUND", "Subnet: not found in this region", "id");
    const using = await describeLoadBalancersUsing(tx, eq(loadBalancers.subnetId, row.subnet.id));
    if (using) throw new AppError("PRECONDITION_FAILED", `Subnet ${row.subnet.name} cannot be deleted: it is used by ${using}. Delete them first.`);
    await tx.delete(subnets).where(eq(subnets.id, row.subnet.id));
    return { id: row.subnet.id, name: row.subnet.name };
  });
}
