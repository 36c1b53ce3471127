import "server-only";
import { eq } from "drizzle-orm";
import { regions } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { renameRegionSchema } from "./region.schemas";

/** Changes the display name of a region. */
export async function renameRegion(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; code: string; name: string }> {
  const input = parseInput(renameRegionSchema, rawInput);
  const [region] = await ctx.db.update(regions).set({ name: input.name }).where(eq(regions.id, input.id)).returning({ id: regions.id, code: regions.code, name: regions.name });
  if (!region) throw new AppError("NOT_FOUND", "Region: not found", "id");
  return region;
}
