import "server-only";
import { eq } from "drizzle-orm";
import { logStreams } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { logStreamIdSchema } from "./log-stream.schemas";
import { requireLogStream } from "./require-log-stream";
import { refuseStreamsInUse } from "./refuse-streams-in-use";

/** Delete a log stream; refused while a load balancer's access logging uses it (the error names the load balancers). */
export async function deleteLogStream(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(logStreamIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const { stream } = await requireLogStream(tx, ctx.scope, input.id);
    await refuseStreamsInUse(tx, [stream.id], `Log stream ${stream.name}`);
    await tx.delete(logStreams).where(eq(logStreams.id, stream.id));
    return { id: stream.id, name: stream.name };
  });
}
