import "server-only";
import { count, eq } from "drizzle-orm";
import { healthMonitors, listeners, members, pools, redirects } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { listenerIdSchema } from "./listener.schemas";
import { requireListener } from "./require-listener";

/**
 * Delete a listener (guide 3.7): refused while HTTP requests are redirected to it ("delete the redirect
 * before deleting the HTTPS listener") or while its backend server group still has backend servers.
 * Otherwise the listener, its backend server group and the group's health check go in one transaction,
 * and with the listener its SNI certificate choices, its redirect and its forwarding policies (database
 * cascade); the groups of those policies stay, unassociated.
 */
export async function deleteListener(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; deletedPoolId: string | null }> {
  const input = parseInput(listenerIdSchema, rawInput);
  const deleted = await commitConfigChange(ctx, async (tx) => {
    const { listener } = await requireListener(tx, ctx.scope, input.id);
    const [redirected] = await tx
      .select({ redirect: redirects.name, from: listeners.name })
      .from(redirects)
      .innerJoin(listeners, eq(listeners.id, redirects.listenerId))
      .where(eq(redirects.targetListenerId, listener.id))
      .orderBy(listeners.port)
      .limit(1);
    if (redirected)
      throw new AppError(
        "PRECONDITION_FAILED",
        `Listener ${listener.name} cannot be deleted: HTTP requests are redirected to it; delete the redirect ${redirected.redirect} of listener ${redirected.from} first.`,
      );
    const poolId = listener.defaultPoolId;
    if (poolId) {
      const [pool] = await tx.select({ name: pools.name }).from(pools).where(eq(pools.id, poolId));
      const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(members).where(eq(members.poolId, poolId));
      if (n > 0)
        throw new AppError(
          "PRECONDITION_FAILED",
          `Listener ${listener.name} cannot be deleted: its backend server group ${pool?.name ?? ""} still has ${n} backend server(s); remove the backend servers first.`,
        );
    }
    await tx.delete(listeners).where(eq(listeners.id, listener.id));
    if (poolId) {
      await tx.delete(healthMonitors).where(eq(healthMonitors.poolId, poolId));
      await tx.delete(pools).where(eq(pools.id, poolId));
    }
    return { id: listener.id, name: listener.name, deletedPoolId: poolId };
  });
  return deleted;
}
