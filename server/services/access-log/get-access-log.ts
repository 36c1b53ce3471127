import "server-only";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { accessLogOfSchema } from "./access-log.schemas";
import { getAccessLogView, type AccessLogView } from "./access-log-view";

/** The Access Logs tab's settings: enabled, log group and log stream. */
export async function getAccessLog(ctx: ServiceContext, rawInput: unknown): Promise<AccessLogView> {
  const input = parseInput(accessLogOfSchema, rawInput);
  const view = await getAccessLogView(ctx.db, ctx.scope, input.loadBalancerId);
  if (!view) throw new AppError("NOT_FOUND", "Load balancer not found", "loadBalancerId");
  return view;
}
