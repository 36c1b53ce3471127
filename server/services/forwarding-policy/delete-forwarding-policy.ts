import "server-only";
import { eq } from "drizzle-orm";
import { forwardingPolicies } from "@/db/schema";
import { parseInput } from "../../validation";
import { commitConfigChange } from "../../control-plane/commit-config-change";
import type { ServiceContext } from "../context";
import { forwardingPolicyIdSchema } from "./forwarding-policy.schemas";
import { requireForwardingPolicy } from "./require-forwarding-policy";

/**
 * Delete a forwarding policy (guide 3.8.1): its requests go to the listener's default group again. Its
 * backend server group stays, now unassociated (delete it under Backend Server Groups, or reuse it).
 */
export async function deleteForwardingPolicy(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; action: "REDIRECT_TO_POOL"; poolId: string }> {
  const input = parseInput(forwardingPolicyIdSchema, rawInput);
  return commitConfigChange(ctx, async (tx) => {
    const { policy } = await requireForwardingPolicy(tx, ctx.scope, input.id);
    await tx.delete(forwardingPolicies).where(eq(forwardingPolicies.id, policy.id));
    return { id: policy.id, name: policy.name, action: "REDIRECT_TO_POOL" as const, poolId: policy.poolId };
  });
}
