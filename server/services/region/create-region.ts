import "server-only";
import { eq } from "drizzle-orm";
import { regions } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { createRegionSchema } from "./region.schemas";
import type { RegionView } from "./list-regions";
import { defaultRegionId } from "../scope/default-region";

/**
 * Create Region: a unique code and a display name; it starts empty (add VPCs and EIP pools in it). The
 * default region is pinned first, so users without a region cookie stay where they are.
 */
export async function createRegion(ctx: ServiceContext, rawInput: unknown): Promise<RegionView> {
  const input = parseInput(createRegionSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [same] = await tx.select({ id: regions.id }).from(regions).where(eq(regions.code, input.code));
    if (same) throw new AppError("CONFLICT", `Region code: a region with code ${input.code} already exists`, "code");
    await defaultRegionId(tx);
    const [region] = await tx.insert(regions).values(input).returning();
    return { ...region!, vpcCount: 0, eipPoolCount: 0, loadBalancerCount: 0 };
  });
}
