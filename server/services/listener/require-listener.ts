import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { requireLoadBalancer } from "../load-balancer/require-load-balancer";

/**
 * Loads a listener of the current project for a change, holding its load balancer's row lock (see
 * requirePool) and its own. `field` names the input that carried the id (default "id").
 */
export async function requireListener(db: Database, scope: Scope, id: string, field = "id") {
  const notFound = () => new AppError("NOT_FOUND", "Listener: not found (it may have been deleted)", field);
  const [found] = await db.select({ loadBalancerId: listeners.loadBalancerId }).from(listeners).where(eq(listeners.id, id));
  if (!found) throw notFound();
  const lb = await requireLoadBalancer(db, scope, found.loadBalancerId).catch(() => {
    throw notFound();
  });
  const [listener] = await db.select().from(listeners).where(eq(listeners.id, id)).for("update");
  if (!listener) throw notFound();
  return { listener, lb };
}
