import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { forwardingPolicies } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { requireListener } from "../listener/require-listener";

/** Loads a forwarding policy of the current project for a change, holding its listener's (and load balancer's) row lock. */
export async function requireForwardingPolicy(db: Database, scope: Scope, id: string) {
  const notFound = () => new AppError("NOT_FOUND", "Forwarding Policy: not found (it may have been deleted)", "id");
  const [found] = await db.select({ listenerId: forwardingPolicies.listenerId }).from(forwardingPolicies).where(eq(forwardingPolicies.id, id));
  if (!found) throw notFound();
  const { listener } = await requireListener(db, scope, found.listenerId).catch(() => {
    throw notFound();
  });
  const [policy] = await db.select().from(forwardingPolicies).where(eq(forwardingPolicies.id, id)).for("update");
  if (!policy) throw notFound();
  return { policy, listener };
}
