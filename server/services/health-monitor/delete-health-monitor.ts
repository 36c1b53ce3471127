import "server-only";
import { eq } from "drizzle-orm";
import { healthMonitors } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { healthMonitorPoolSchema } from "./health-monitor.schemas";

/**
 * Removes the health check of a group entirely (API only: the console disables it instead, which keeps
 * its settings). Afterwards every backend server counts as healthy, as with a disabled check (guide 5.2).
 */
export async function deleteHealthMonitor(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; poolId: string }> {
  const { poolId } = parseInput(healthMonitorPoolSchema, rawInput);
  const deleted = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, poolId, "poolId");
    const [row] = await tx.delete(healthMonitors).where(eq(healthMonitors.poolId, pool.id)).returning({ id: healthMonitors.id });
    if (!row) throw new AppError("NOT_FOUND", `Health Check: backend server group ${pool.name} has no health check`, "poolId");
    return { id: row.id, poolId: pool.id };
  });
  return deleted;
}
