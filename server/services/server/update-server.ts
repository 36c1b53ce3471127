import "server-only";
import { eq } from "drizzle-orm";
import { servers, subnets } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { checkServerAddress } from "./check-server-address";
import { requireServer } from "./require-server";
import { updateServerSchema } from "./server.schemas";
import { queryServerViews, type ServerView } from "./server-view";

/**
 * Modify a server's name and/or address (it stays in its subnet). Backend servers already added from it
 * keep the old address: they are copies, not references.
 */
export async function updateServer(ctx: ServiceContext, rawInput: unknown): Promise<ServerView> {
  const input = parseInput(updateServerSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const { server, subnet } = await requireServer(tx, ctx.scope, input.id);
    // Lock the subnet as Add Server does, so an address change and an addition cannot both take one address.
    await tx.select({ id: subnets.id }).from(subnets).where(eq(subnets.id, subnet.id)).for("update");
    if (input.address !== undefined && input.address !== server.address) await checkServerAddress(tx, subnet, input.address, server.id);
    await tx
      .update(servers)
      .set({ name: input.name ?? server.name, address: input.address ?? server.address })
      .where(eq(servers.id, server.id));
    const [view] = await queryServerViews(tx, ctx.scope.regionId, eq(servers.id, server.id));
    return view!;
  });
}
