import "server-only";
import type { z } from "zod";
import type { Database } from "@/db/client";
import { healthMonitors, type PoolProtocol } from "@/db/schema";
import { AppError } from "../../errors";
import { healthMonitorColumns, healthMonitorIssues, type healthMonitorFieldsSchema } from "./health-monitor.schemas";

/**
 * Inserts the health check of a backend server group inside the caller's transaction (the last step of
 * Add Listener and Add Backend Server Group), re-checking the protocol rules for the group's protocol.
 */
export async function insertHealthMonitor(
  tx: Database,
  poolId: string,
  poolProtocol: PoolProtocol,
  fields: z.output<typeof healthMonitorFieldsSchema>,
  fieldPrefix = "",
): Promise<string> {
  const issue = healthMonitorIssues(poolProtocol, fields)[0];
  if (issue) throw new AppError("BAD_REQUEST", issue.message, fieldPrefix + issue.path.join("."));
  const [row] = await tx
    .insert(healthMonitors)
    .values({ poolId, ...healthMonitorColumns(poolProtocol, fields) })
    .returning({ id: healthMonitors.id });
  return row!.id;
}
