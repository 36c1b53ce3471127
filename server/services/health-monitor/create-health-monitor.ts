import "server-only";
import { eq } from "drizzle-orm";
import { healthMonitors } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { createHealthMonitorSchema } from "./health-monitor.schemas";
import { insertHealthMonitor } from "./insert-health-monitor";
import { toHealthMonitorView, type HealthMonitorView } from "./health-monitor-view";

/** Configure Health Check on a backend server group that has none yet (guide 5.1). */
export async function createHealthMonitor(ctx: ServiceContext, rawInput: unknown): Promise<HealthMonitorView> {
  const { poolId, ...fields } = parseInput(createHealthMonitorSchema, rawInput);
  const view = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, poolId, "poolId");
    const [existing] = await tx.select({ id: healthMonitors.id }).from(healthMonitors).where(eq(healthMonitors.poolId, pool.id));
    if (existing) throw new AppError("CONFLICT", `Health Check: backend server group ${pool.name} already has a health check; modify it instead`, "poolId");
    const id = await insertHealthMonitor(tx, pool.id, pool.protocol, fields);
    const [row] = await tx.select().from(healthMonitors).where(eq(healthMonitors.id, id));
    return toHealthMonitorView(row!);
  });
  return view;
}
