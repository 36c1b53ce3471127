import "server-only";
import { eq } from "drizzle-orm";
import { forwardingPolicies } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { updateForwardingPolicySchema } from "./forwarding-policy.schemas";
import { policyMatchIssues } from "./url-match";
import { checkPolicyMatchUnique } from "./check-policy-match-unique";
import { requireForwardingPolicy } from "./require-forwarding-policy";
import { requirePolicyPool } from "./require-policy-pool";
import { getForwardingPolicyView, type ForwardingPolicyView } from "./forwarding-policy-view";

/**
 * Modify a forwarding policy (guide 3.8.1): name, description, Domain Name, URL, URL Matching Rule or its
 * backend server group ("Use existing" rules). The result is checked as a whole: Domain Name or URL, the
 * URL against its rule, the path not in another policy of the listener. Its place in the order stays.
 */
export async function updateForwardingPolicy(ctx: ServiceContext, rawInput: unknown): Promise<ForwardingPolicyView> {
  const input = parseInput(updateForwardingPolicySchema, rawInput);
  await commitConfigChange(ctx, async (tx) => {
    const { policy, listener } = await requireForwardingPolicy(tx, ctx.scope, input.id);
    const match = {
      domainName: input.domainName === undefined ? policy.domainName : input.domainName,
      url: input.url === undefined ? policy.url : input.url,
      urlMatchRule: input.urlMatchRule ?? policy.urlMatchRule,
    };
    const issue = policyMatchIssues(match)[0];
    if (issue) throw new AppError("BAD_REQUEST", issue.message, issue.path.join("."));
    await checkPolicyMatchUnique(tx, { listenerId: listener.id, domainName: match.domainName, url: match.url, exceptPolicyId: policy.id });
    if (input.poolId !== undefined && input.poolId !== policy.poolId)
      await requirePolicyPool(tx, { loadBalancerId: listener.loadBalancerId, listenerId: listener.id, poolId: input.poolId, field: "poolId" });
    await tx
      .update(forwardingPolicies)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...match,
        ...(input.poolId !== undefined && { poolId: input.poolId }),
        updatedAt: new Date(),
      })
      .where(eq(forwardingPolicies.id, policy.id));
  });
  return (await getForwardingPolicyView(ctx.db, ctx.scope, input.id))!;
}
