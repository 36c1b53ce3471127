import "server-only";
import { eq } from "drizzle-orm";
import { logStreams } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateLogStreamSchema } from "./log-stream.schemas";
import { requireLogStream } from "./require-log-stream";
import { refuseTakenLogStreamName } from "./log-stream-name-taken";
import { syslogColumns } from "./syslog-columns";
import { getLogStreamView, type LogStreamView } from "./log-stream-view";

/** Modify a log stream: its name or syslog forwarding. Listeners logging into it get the new target (a new snapshot). */
export async function updateLogStream(ctx: ServiceContext, rawInput: unknown): Promise<LogStreamView> {
  const input = parseInput(updateLogStreamSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { stream, group } = await requireLogStream(tx, ctx.scope, input.id);
    if (input.name !== undefined && input.name !== stream.name) await refuseTakenLogStreamName(tx, group, input.name, stream.id);
    await tx
      .update(logStreams)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.syslog !== undefined && syslogColumns(input.syslog)),
        updatedAt: new Date(),
      })
      .where(eq(logStreams.id, stream.id));
  });
  return (await getLogStreamView(ctx.db, ctx.scope, input.id))!;
}
