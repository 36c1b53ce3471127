import "server-only";
import { eq } from "drizzle-orm";
import { members } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { updateMemberSchema } from "./member.schemas";

/** Set a backend server's weight (the Weight column, guide 3.4) and/or its name. */
export async function updateMember(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; weight: number }> {
  const input = parseInput(updateMemberSchema, rawInput);
  const updated = await commitConfigChange(ctx, async (tx) => {
    const notFound = new AppError("NOT_FOUND", "Backend Server: not found (it may have been removed)", "id");
    const [found] = await tx.select({ poolId: members.poolId }).from(members).where(eq(members.id, input.id));
    if (!found) throw notFound;
    await requirePool(tx, ctx.scope, found.poolId).catch(() => {
      throw notFound;
    });
    const [current] = await tx.select().from(members).where(eq(members.id, input.id)).for("update");
    if (!current) throw notFound;
    const [row] = await tx
      .update(members)
      .set({
        ...(input.name !== undefined && { name: input.name || current.address }),
        ...(input.weight !== undefined && { weight: input.weight }),
        updatedAt: new Date(),
      })
      .where(eq(members.id, input.id))
      .returning({ id: members.id, name: members.name, weight: members.weight });
    return row!;
  });
  return updated;
}
