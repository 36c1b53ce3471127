import "server-only";
import { count, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies, type listeners } from "@/db/schema";
import { AppError } from "../../errors";
import { FORWARDING_POLICY_LIMIT } from "./forwarding-policy.schemas";

/**
 * At most 500 forwarding policies per listener (guide 3.8.1). The caller holds the listener's row lock
 * (requireListener), so concurrent Add Forwarding Policy calls on one listener are counted one after the other.
 */
export async function checkPolicyLimit(tx: Database, listener: typeof listeners.$inferSelect): Promise<void> {
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(forwardingPolicies).where(eq(forwardingPolicies.listenerId, listener.id));
  if (n >= FORWARDING_POLICY_LIMIT)
    throw new AppError(
      "QUOTA_EXCEEDED",
      `Quota exceeded: listener ${listener.name} can have at most ${FORWARDING_POLICY_LIMIT} forwarding policies (guide 3.8.1); delete a forwarding policy first`,
    );
}
