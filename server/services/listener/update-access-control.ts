import "server-only";
import { eq } from "drizzle-orm";
import { listeners } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateAccessControlSchema } from "./listener.schemas";
import { requireListener } from "./require-listener";
import { getListenerView, type ListenerView } from "./listener-view";

/**
 * Configure beside Access Control (guide 3.6, table 3-6), on a TCP, UDP, HTTP or HTTPS listener: Enabled
 * admits only the whitelist (empty = nobody), Disabled admits everyone. The whitelist is stored either way.
 */
export async function updateAccessControl(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView> {
  const input = parseInput(updateAccessControlSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { listener } = await requireListener(tx, ctx.scope, input.id);
    await tx
      .update(listeners)
      .set({ accessControlEnabled: input.enabled, accessControlWhitelist: input.whitelist, updatedAt: new Date() })
      .where(eq(listeners.id, listener.id));
  });
  return (await getListenerView(ctx.db, ctx.scope, input.id))!;
}
