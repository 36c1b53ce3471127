import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listForwardingPoliciesSchema } from "./forwarding-policy.schemas";
import { queryForwardingPolicyViews, type ForwardingPolicyView } from "./forwarding-policy-view";

/** The Forwarding Policies tab of a listener, in creation order; empty for a listener outside the project. */
export async function listForwardingPolicies(ctx: ServiceContext, rawInput: unknown): Promise<ForwardingPolicyView[]> {
  const input = parseInput(listForwardingPoliciesSchema, rawInput);
  return queryForwardingPolicyViews(ctx.db, ctx.scope, { listenerId: input.listenerId });
}
