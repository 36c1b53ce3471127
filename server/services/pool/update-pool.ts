import "server-only";
import { eq } from "drizzle-orm";
import { pools } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { stickinessDurationAllowed, stickySessionColumns, stickySessionIssues, updatePoolSchema, type StickySessionInput } from "./pool.schemas";
import { requirePool } from "./require-pool";
import { getPoolView, type PoolView } from "./pool-view";
import { clientIpTransportIssues } from "./client-ip-transport";

/**
 * Modify a backend server group (guide 4.3): name, description, algorithm, sticky session and, for TCP/UDP
 * groups, Client IP Transport (UDP: not PROXY protocol v1). The backend protocol cannot change. The
 * sticky session rules of table 10-1 are checked against the result, so
 * switching to Weighted least connections while Sticky Session is on is refused until it is turned off,
 * and switching an HTTP group with a cookie to Source IP hash is refused until the type is Source IP address.
 */
export async function updatePool(ctx: ServiceContext, rawInput: unknown): Promise<PoolView> {
  const input = parseInput(updatePoolSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, input.id);
    const algorithm = input.algorithm ?? pool.algorithm;
    // The stored sticky session, carried over when absent from the input. Its duration goes with it only
    // where the (possibly new) algorithm takes one: Weighted round robin → Source IP hash drops it,
    // Source IP hash → Weighted round robin gets the default 20 min (guide 3.5).
    const current: StickySessionInput | null = pool.stickySessionType
      ? {
          type: pool.stickySessionType,
          cookieName: pool.cookieName,
          durationMinutes: stickinessDurationAllowed(algorithm) ? (pool.stickinessDurationMinutes ?? undefined) : undefined,
        }
      : null;
    const sticky = input.stickySession === undefined ? current : input.stickySession;
    const issue = [...stickySessionIssues(pool.protocol, algorithm, sticky), ...clientIpTransportIssues(pool.protocol, input.clientIpTransport)][0];
    if (issue) throw new AppError("BAD_REQUEST", issue.message, issue.path.join("."));
    await tx
      .update(pools)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        algorithm,
        ...stickySessionColumns(algorithm, sticky),
        ...(input.clientIpTransport !== undefined && { clientIpTransport: input.clientIpTransport }),
        updatedAt: new Date(),
      })
      .where(eq(pools.id, pool.id));
  });
  return (await getPoolView(ctx.db, ctx.scope, input.id))!;
}
