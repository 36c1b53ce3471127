import "server-only";
import { and, eq, isNull, ne, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies } from "@/db/schema";
import { AppError } from "../../errors";

/**
 * "The same path cannot be configured for two forwarding policies" (guide 3.8.1): a URL is in at most one
 * policy of a listener (also the unique index), and so is a domain-only condition. Checked before writing,
 * under the listener's row lock, so the message can name the other policy.
 */
export async function checkPolicyMatchUnique(
  tx: Database,
  opts: { listenerId: string; domainName: string | null; url: string | null; exceptPolicyId?: string },
): Promise<void> {
  const same: SQL = opts.url !== null ? eq(forwardingPolicies.url, opts.url) : and(isNull(forwardingPolicies.url), eq(forwardingPolicies.domainName, opts.domainName ?? ""))!;
  const clauses: SQL[] = [eq(forwardingPolicies.listenerId, opts.listenerId), same];
  if (opts.exceptPolicyId) clauses.push(ne(forwardingPolicies.id, opts.exceptPolicyId));
  const [other] = await tx.select({ name: forwardingPolicies.name }).from(forwardingPolicies).where(and(...clauses)).limit(1);
  if (!other) return;
  if (opts.url !== null)
    throw new AppError("CONFLICT", `URL: ${opts.url} is already used by forwarding policy ${other.name} of this listener; the same path can't be in two forwarding policies`, "url");
  throw new AppError("CONFLICT", `Domain Name: ${opts.domainName} without a URL is already forwarded by forwarding policy ${other.name} of this listener`, "domainName");
}
