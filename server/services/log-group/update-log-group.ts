import "server-only";
import { eq } from "drizzle-orm";
import { logGroups } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateLogGroupSchema } from "./log-group.schemas";
import { requireLogGroup } from "./require-log-group";
import { refuseTakenLogGroupName } from "./log-group-name-taken";
import { getLogGroupView, type LogGroupView } from "./log-group-view";

/**
 * Modify a log group: name, retention, size limit. The engine applies the group's retention to its
 * files whether or not a load balancer logs into it (the snapshot's `accessLogGroups`), so this publishes
 * a new snapshot (unchanged, and so not re-sent, when only the name changed).
 */
export async function updateLogGroup(ctx: ServiceContext, rawInput: unknown): Promise<LogGroupView> {
  const input = parseInput(updateLogGroupSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const group = await requireLogGroup(tx, ctx.scope, input.id);
    if (input.name !== undefined && input.name !== group.name) await refuseTakenLogGroupName(tx, group.projectId, input.name, group.id);
    await tx
      .update(logGroups)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.retentionDays !== undefined && { retentionDays: input.retentionDays }),
        ...(input.maxSizeMegabytes !== undefined && { maxSizeMegabytes: input.maxSizeMegabytes }),
        updatedAt: new Date(),
      })
      .where(eq(logGroups.id, group.id));
  });
  return (await getLogGroupView(ctx.db, ctx.scope, input.id))!;
}
