import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { members } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requirePool } from "../pool/require-pool";
import { addMembersSchema } from "./member.schemas";

/**
 * Add backend servers to a group (guide 4.3), all or none in one transaction. An address:port already in
 * the group is refused, naming the row. A blank name becomes the IP address.
 */
export async function addMembers(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; members: { id: string; name: string }[] }> {
  const input = parseInput(addMembersSchema, rawInput);
  const added = await commitConfigChange(ctx, async (tx) => {
    const { pool } = await requirePool(tx, ctx.scope, input.poolId, "poolId");
    const existing = await tx
      .select({ address: members.address, port: members.port, name: members.name })
      .from(members)
      .where(and(eq(members.poolId, pool.id), inArray(members.address, input.members.map((m) => m.address))));
    input.members.forEach((m, index) => {
      const clash = existing.find((e) => e.address === m.address && e.port === m.port);
      if (clash)
        throw new AppError("CONFLICT", `Backend Port: ${m.address}:${m.port} is already in backend server group ${pool.name} (as ${clash.name})`, `members.${index}.port`);
    });
    const rows = await tx
      .insert(members)
      .values(input.members.map((m) => ({ poolId: pool.id, name: m.name || m.address, address: m.address, port: m.port, weight: m.weight })))
      .returning({ id: members.id, name: members.name });
    return rows;
  });
  // The audit trace records one resource: the added servers' ids and names, comma-separated.
  return { id: added.map((m) => m.id).join(","), name: added.map((m) => m.name).join(","), members: added };
}
