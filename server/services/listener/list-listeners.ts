import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listListenersSchema } from "./listener.schemas";
import { queryListenerViews, type ListenerView } from "./listener-view";
import { engineListenerErrors } from "./listener-engine-errors";

/** A listener in the list, with the engine's error when it could not start it (null = none reported). */
export type ListedListener = ListenerView & { engineError: string | null };

/** The Listeners tab of a load balancer, in port order. */
export async function listListeners(ctx: ServiceContext, rawInput: unknown, errors: Map<string, string> = engineListenerErrors()): Promise<ListedListener[]> {
  const input = parseInput(listListenersSchema, rawInput);
  const views = await queryListenerViews(ctx.db, ctx.scope, { loadBalancerId: input.loadBalancerId });
  return views.map((view) => ({ ...view, engineError: errors.get(view.id) ?? null }));
}
