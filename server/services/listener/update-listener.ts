import "server-only";
import { eq } from "drizzle-orm";
import { listeners } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateListenerSchema } from "./listener.schemas";
import { requireListener } from "./require-listener";
import { requireAvailablePool } from "./require-available-pool";
import { getListenerView, type ListenerView } from "./listener-view";

/** Modify a listener (guide 3.7): name, description and backend server group; protocol and port stay. */
export async function updateListener(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(updateListenerSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { listener } = await requireListener(tx, ctx.scope, input.id);
    if (input.defaultPoolId !== undefined && input.defaultPoolId !== listener.defaultPoolId)
      await requireAvailablePool(tx, {
        loadBalancerId: listener.loadBalancerId,
        poolId: input.defaultPoolId,
        protocol: listener.protocol,
        field: "defaultPoolId",
        exceptListenerId: listener.id,
      });
    await tx
      .update(listeners)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.defaultPoolId !== undefined && { defaultPoolId: input.defaultPoolId }),
        updatedAt: new Date(),
      })
      .where(eq(listeners.id, listener.id));
  });
  return (await getListenerView(ctx.db, ctx.scope, input.id))!;
}
