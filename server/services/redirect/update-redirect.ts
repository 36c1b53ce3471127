import "server-only";
import { eq } from "drizzle-orm";
import { redirects } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateRedirectSchema } from "./redirect.schemas";
import { requireRedirect } from "./require-redirect";
import { requireRedirectTarget } from "./require-redirect-target";
import { getRedirectView, type RedirectView } from "./redirect-view";

/** Modify a redirect (guide 3.8.4): name, description, or another HTTPS listener of the same load balancer. */
export async function updateRedirect(ctx: ServiceContext, rawInput: unknown): Promise<RedirectView> {
  const input = parseInput(updateRedirectSchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { redirect, listener } = await requireRedirect(tx, ctx.scope, input.id);
    if (input.targetListenerId !== undefined && input.targetListenerId !== redirect.targetListenerId)
      await requireRedirectTarget(tx, { loadBalancerId: listener.loadBalancerId, targetListenerId: input.targetListenerId, field: "targetListenerId" });
    await tx
      .update(redirects)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.targetListenerId !== undefined && { targetListenerId: input.targetListenerId }),
        updatedAt: new Date(),
      })
      .where(eq(redirects.id, redirect.id));
  });
  return (await getRedirectView(ctx.db, ctx.scope, input.id))!;
}
