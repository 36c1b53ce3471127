import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listListenersSchema } from "./listener.schemas";
import { queryListenerViews, type ListenerView } from "./listener-view";

/** The Listeners tab of a load balancer, in port order. */
export async function listListeners(ctx: ServiceContext, rawInput: unknown): Promise<ListenerView[]> {
  const input = parseInput(listListenersSchema, rawInput);
  return queryListenerViews(ctx.db, ctx.scope, { loadBalancerId: input.loadBalancerId });
}
