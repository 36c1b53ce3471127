import "server-only";
import { eq } from "drizzle-orm";
import { redirects } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { redirectIdSchema } from "./redirect.schemas";
import { requireRedirect } from "./require-redirect";

/** Delete a redirect (guide 3.8.4): the HTTP listener serves its own configuration again. */
export async function deleteRedirect(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; action: "REDIRECT_TO_LISTENER" }> {
  const input = parseInput(redirectIdSchema, rawInput);
  return commitConfigChange(ctx, async (tx) => {
    const { redirect } = await requireRedirect(tx, ctx.scope, input.id);
    await tx.delete(redirects).where(eq(redirects.id, redirect.id));
    return { id: redirect.id, name: redirect.name, action: "REDIRECT_TO_LISTENER" as const };
  });
}
