import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { redirects, type listeners } from "@/db/schema";
import { AppError } from "../../errors";
import { aListenerOf } from "../listener/protocol-words";
import { requireRedirectTarget } from "./require-redirect-target";

/**
 * Adds the redirect of an HTTP listener inside the caller's transaction (which holds the listener's and its
 * load balancer's row locks): the listener is HTTP and has no redirect yet, the target is an HTTPS
 * listener of the same load balancer. Returns the new id.
 */
export async function insertRedirect(
  tx: Database,
  listener: typeof listeners.$inferSelect,
  fields: { name: string; description: string; targetListenerId: string },
  fieldNames: { listener: string; target: string },
): Promise<string> {
  if (listener.protocol !== "HTTP")
    throw new AppError("BAD_REQUEST", `Listener: only an HTTP listener can be redirected; ${listener.name} is ${aListenerOf(listener.protocol)}`, fieldNames.listener);
  const [existing] = await tx.select({ name: redirects.name }).from(redirects).where(eq(redirects.listenerId, listener.id));
  if (existing)
    throw new AppError("CONFLICT", `Listener ${listener.name} already has the redirect ${existing.name}; modify or delete it instead (one redirect per listener)`, fieldNames.listener);
  await requireRedirectTarget(tx, { loadBalancerId: listener.loadBalancerId, targetListenerId: fields.targetListenerId, field: fieldNames.target });
  const [row] = await tx
    .insert(redirects)
    .values({ listenerId: listener.id, targetListenerId: fields.targetListenerId, name: fields.name, description: fields.description })
    .returning({ id: redirects.id });
  return row!.id;
}
