import "server-only";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { requireListener } from "../listener/require-listener";
import { createRedirectSchema } from "./redirect.schemas";
import { insertRedirect } from "./insert-redirect";
import { getRedirectView, type RedirectView } from "./redirect-view";

/** Create a redirect (guide 3.8.4, table 3-9): the HTTP listener then answers every request with 301 to the HTTPS listener. */
export async function createRedirect(ctx: ServiceContext, rawInput: unknown): Promise<RedirectView> {
  const input = parseInput(createRedirectSchema, rawInput);
  const id = await commitConfigChange(ctx, async (tx) => {
    const { listener } = await requireListener(tx, ctx.scope, input.listenerId, "listenerId");
    return insertRedirect(tx, listener, input, { listener: "listenerId", target: "targetListenerId" });
  });
  return (await getRedirectView(ctx.db, ctx.scope, id))!;
}
