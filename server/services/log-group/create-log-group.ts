import "server-only";
import { logGroups } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { createLogGroupSchema } from "./log-group.schemas";
import { refuseTakenLogGroupName } from "./log-group-name-taken";
import { getLogGroupView, type LogGroupView } from "./log-group-view";

/**
 * Create Log Group (guide chapter 7, step 1): a name unique in the project, retention by age and size.
 * The snapshot lists every log group's retention (`accessLogGroups`), so this publishes a new one.
 */
export async function createLogGroup(ctx: ServiceContext, rawInput: unknown): Promise<LogGroupView> {
  const input = parseInput(createLogGroupSchema, rawInput);
  const id = await commitConfigChange(ctx, async (tx) => {
    await refuseTakenLogGroupName(tx, ctx.scope.projectId, input.name);
    const [row] = await tx.insert(logGroups).values({ projectId: ctx.scope.projectId, ...input }).returning({ id: logGroups.id });
    return row!.id;
  });
  return (await getLogGroupView(ctx.db, ctx.scope, id))!;
}
