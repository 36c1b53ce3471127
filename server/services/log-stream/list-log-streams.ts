import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listLogStreamsSchema } from "./log-stream.schemas";
import { queryLogStreamViews, type LogStreamView } from "./log-stream-view";

/** The log streams of a log group, by name; empty for a group outside the project. */
export async function listLogStreams(ctx: ServiceContext, rawInput: unknown): Promise<LogStreamView[]> {
  const input = parseInput(listLogStreamsSchema, rawInput);
  return queryLogStreamViews(ctx.db, ctx.scope, { groupId: input.groupId });
}
