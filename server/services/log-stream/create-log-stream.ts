import "server-only";
import { logStreams } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { requireLogGroup } from "../log-group/require-log-group";
import { createLogStreamSchema } from "./log-stream.schemas";
import { refuseTakenLogStreamName } from "./log-stream-name-taken";
import { syslogColumns } from "./syslog-columns";
import { getLogStreamView, type LogStreamView } from "./log-stream-view";

/** Create Log Stream (guide chapter 7, step 2) in a log group of the project: a name unique in the group. */
export async function createLogStream(ctx: ServiceContext, rawInput: unknown): Promise<LogStreamView> {
  const input = parseInput(createLogStreamSchema, rawInput);
  const id = await ctx.db.transaction(async (tx) => {
    const group = await requireLogGroup(tx, ctx.scope, input.groupId, "groupId");
    await refuseTakenLogStreamName(tx, group, input.name);
    const [row] = await tx
      .insert(logStreams)
      .values({ groupId: group.id, name: input.name, ...syslogColumns(input.syslog) })
      .returning({ id: logStreams.id });
    return row!.id;
  });
  return (await getLogStreamView(ctx.db, ctx.scope, id))!;
}
