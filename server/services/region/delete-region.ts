import "server-only";
import { count, eq } from "drizzle-orm";
import { eipPools, loadBalancers, regions, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { regionIdSchema } from "./region.schemas";

/** Deletes a region; refused while it holds load balancers, VPCs or EIP pools, and for the last region. */
export async function deleteRegion(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(regionIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    // Lock every region: the "not the last one" check must see concurrent deletes.
    const all = await tx.select().from(regions).for("update");
    const region = all.find((r) => r.id === id);
    if (!region) throw new AppError("NOT_FOUND", "Region: not found", "id");
    if (all.length === 1) throw new AppError("PRECONDITION_FAILED", `Region ${region.name} cannot be deleted: it is the only region; the console needs at least one.`);
    const countOf = async (table: typeof vpcs | typeof eipPools | typeof loadBalancers) =>
      (await tx.select({ n: count() }).from(table).where(eq(table.regionId, region.id)))[0]?.n ?? 0;
    const held = [
      [await countOf(loadBalancers), "load balancer(s)"],
      [await countOf(vpcs), "VPC(s)"],
      [await countOf(eipPools), "EIP pool(s)"],
    ] as const;
    const remaining = held.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
    if (remaining.length)
      throw new AppError("PRECONDITION_FAILED", `Region ${region.name} cannot be deleted: it still holds ${remaining.join(", ")}. Delete them first.`);
    await tx.delete(regions).where(eq(regions.id, region.id));
    return { id: region.id, name: region.name };
  });
}
