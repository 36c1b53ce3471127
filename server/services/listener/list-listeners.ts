import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listListenersSchema } from "./listener.schemas";
import { queryListenerViews, type ListenerView } from "./listener-view";

/**
 * A listener in the list, with the engine's error when it could not start it (null = none reported) and,
 * only when there is one, what the snapshot compiler said about it: why it was left out of the engine's
 * configuration, or which of its parts (a redirect, forwarding policy, SNI certificate) was.
 */
export type ListedListener = ListenerView & { engineError: string | null; configError?: string };

/** The Listeners tab of a load balancer, in port order. */
export async function listListeners(ctx: ServiceContext, rawInput: unknown): Promise<ListedListener[]> {
  const input = parseInput(listListenersSchema, rawInput);
  return withEngineState(ctx, await queryListenerViews(ctx.db, ctx.scope, { loadBalancerId: input.loadBalancerId }));
}

/** Adds the engine's error and the compiler's diagnostics to listener views. */
export function withEngineState(ctx: ServiceContext, views: ListenerView[]): ListedListener[] {
  const configErrors = new Map<string, string>();
  for (const d of ctx.engine.diagnostics())
    if (d.kind === "listener") configErrors.set(d.id, configErrors.has(d.id) ? `${configErrors.get(d.id)}; ${d.message}` : d.message);
  return views.map((view) => {
    const configError = configErrors.get(view.id);
    return { ...view, engineError: ctx.engine.listenerError(view.id) ?? null, ...(configError !== undefined && { configError }) };
  });
}
