import "server-only";
import { eq } from "drizzle-orm";
import { loadBalancers } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";
import { requireLogStream } from "../log-stream/require-log-stream";
import { configureAccessLogSchema, disableAccessLogSchema } from "./access-log.schemas";
import { getAccessLogView, type AccessLogView } from "./access-log-view";

/**
 * Configure Access Log with logging enabled (guide chapter 7, step 4): the load balancer's HTTP and HTTPS
 * listeners write their records to the log stream (of a log group of the same project). Publishes a new
 * snapshot.
 */
export async function configureAccessLog(ctx: ServiceContext, rawInput: unknown): Promise<AccessLogView> {
  const input = parseInput(configureAccessLogSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId).catch(notFoundOn("loadBalancerId"));
    const { stream } = await requireLogStream(tx, ctx.scope, input.logStreamId, "logStreamId");
    await tx.update(loadBalancers).set({ accessLogEnabled: true, accessLogStreamId: stream.id, updatedAt: new Date() }).where(eq(loadBalancers.id, lb.id));
  });
  return (await getAccessLogView(ctx.db, ctx.scope, input.loadBalancerId))!;
}

/** Configure Access Log with logging disabled: no more records; the selected stream is kept. Publishes a new snapshot. */
export async function disableAccessLog(ctx: ServiceContext, rawInput: unknown): Promise<AccessLogView> {
  const input = parseInput(disableAccessLogSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, ctx.scope, input.loadBalancerId).catch(notFoundOn("loadBalancerId"));
    await tx.update(loadBalancers).set({ accessLogEnabled: false, updatedAt: new Date() }).where(eq(loadBalancers.id, lb.id));
  });
  return (await getAccessLogView(ctx.db, ctx.scope, input.loadBalancerId))!;
}

/** Re-throws a NOT_FOUND AppError naming `field`. */
function notFoundOn(field: string) {
  return (error: unknown): never => {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw new AppError("NOT_FOUND", error.message, field);
    throw error;
  };
}
