import "server-only";
import { eq } from "drizzle-orm";
import { healthMonitors } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { healthMonitorColumns, healthMonitorIssues, updateHealthMonitorSchema } from "./health-monitor.schemas";
import { toHealthMonitorView, type HealthMonitorView } from "./health-monitor-view";

/**
 * Configure Health Check on a group that has one (guide 5.1, 5.2): enable or disable it and change its
 * settings. The protocol cannot be changed once set (table 5-1).
 */
export async function updateHealthMonitor(ctx: ServiceContext, rawInput: unknown): Promise<HealthMonitorView> {
  const input = parseInput(updateHealthMonitorSchema, rawInput);
  const view = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, input.poolId, "poolId");
    const [current] = await tx.select().from(healthMonitors).where(eq(healthMonitors.poolId, pool.id)).for("update");
    if (!current) throw new AppError("NOT_FOUND", `Health Check: backend server group ${pool.name} has no health check yet; configure a new one`, "poolId");
    if (input.protocol && input.protocol !== current.protocol)
      throw new AppError("BAD_REQUEST", `Protocol: the health check protocol cannot be changed once set (it is ${current.protocol})`, "protocol");
    const merged = {
      enabled: input.enabled ?? current.enabled,
      protocol: current.protocol,
      domainName: input.domainName !== undefined ? input.domainName : current.domainName,
      port: input.port !== undefined ? input.port : current.port,
      intervalSeconds: input.intervalSeconds ?? current.intervalSeconds,
      timeoutSeconds: input.timeoutSeconds ?? current.timeoutSeconds,
      path: input.path ?? current.path,
      maxRetries: input.maxRetries ?? current.maxRetries,
      expectedCodes: input.expectedCodes ?? current.expectedCodes,
    };
    const issue = healthMonitorIssues(pool.protocol, merged)[0];
    if (issue) throw new AppError("BAD_REQUEST", issue.message, issue.path.join("."));
    const [row] = await tx
      .update(healthMonitors)
      .set({ ...healthMonitorColumns(pool.protocol, merged), updatedAt: new Date() })
      .where(eq(healthMonitors.id, current.id))
      .returning();
    return toHealthMonitorView(row!);
  });
  return view;
}
