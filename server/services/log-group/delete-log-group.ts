import "server-only";
import { eq } from "drizzle-orm";
import { logGroups, logStreams } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { refuseStreamsInUse } from "../log-stream/refuse-streams-in-use";
import { logGroupIdSchema } from "./log-group.schemas";
import { requireLogGroup } from "./require-log-group";

/**
 * Delete a log group and its log streams, in one transaction. Refused while a load balancer's access
 * logging uses one of its streams (the error names the load balancers). Publishes a new snapshot: its
 * `accessLogGroups` no longer lists the group, so the engine deletes the group's folder (all its streams'
 * records) once it is quiet — no file of the last 70 minutes (engine/observe/access-log/access-log-pruner.ts).
 */
export async function deleteLogGroup(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(logGroupIdSchema, rawInput);
  return commitConfigChange(ctx, async (tx) => {
    const group = await requireLogGroup(tx, ctx.scope, input.id);
    const streams = await tx.select({ id: logStreams.id }).from(logStreams).where(eq(logStreams.groupId, group.id)).for("update");
    await refuseStreamsInUse(tx, streams.map((s) => s.id), `Log group ${group.name}`);
    await tx.delete(logStreams).where(eq(logStreams.groupId, group.id));
    await tx.delete(logGroups).where(eq(logGroups.id, group.id));
    return { id: group.id, name: group.name };
  });
}
