import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners } from "@/db/schema";
import { AppError } from "../../errors";
import { aListenerOf } from "../listener/protocol-words";

/**
 * Redirected To (table 3-9): an HTTPS listener of the same load balancer as the redirected listener. The
 * caller holds that load balancer's row lock, so the target cannot be deleted meanwhile.
 */
export async function requireRedirectTarget(tx: Database, opts: { loadBalancerId: string; targetListenerId: string; field: string }) {
  const [target] = await tx.select().from(listeners).where(eq(listeners.id, opts.targetListenerId));
  if (!target || target.loadBalancerId !== opts.loadBalancerId)
    throw new AppError("NOT_FOUND", "Redirected To: listener not found on this load balancer; select an HTTPS listener of the same load balancer", opts.field);
  if (target.protocol !== "HTTPS")
    throw new AppError("BAD_REQUEST", `Redirected To: ${target.name} is ${aListenerOf(target.protocol)}; select an HTTPS listener of the same load balancer`, opts.field);
  return target;
}
