import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { members } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { removeMembersSchema } from "./member.schemas";

/**
 * Remove one or more backend servers from a group (guide 4.3), all or none: an id that is not in the
 * group refuses the whole request.
 */
export async function removeMembers(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; removed: number }> {
  const input = parseInput(removeMembersSchema, rawInput);
  const ids = [...new Set(input.ids)];
  const removed = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, input.poolId, "poolId");
    const rows = await tx
      .delete(members)
      .where(and(eq(members.poolId, pool.id), inArray(members.id, ids)))
      .returning({ id: members.id, name: members.name });
    if (rows.length !== ids.length)
      throw new AppError("NOT_FOUND", `Backend Servers: ${ids.length - rows.length} of the selected backend servers are not in group ${pool.name} (already removed?); nothing was removed`, "ids");
    return rows;
  });
  return { id: removed.map((m) => m.id).join(","), name: removed.map((m) => m.name).join(","), removed: removed.length };
}
