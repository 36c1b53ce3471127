import "server-only";
import { count, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { listeners, loadBalancers, projects } from "@/db/schema";
import { AppError } from "../../errors";

/**
 * The project's listener quota (guide 10.2.2.3), shared by all its load balancers. Locks the project
 * row so two concurrent Add Listener calls cannot both slip under the quota.
 */
export async function checkListenerQuota(tx: Database, projectId: string): Promise<void> {
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
  if (!project) throw new AppError("NOT_FOUND", "Enterprise Project: not found");
  const [{ n } = { n: 0 }] = await tx
    .select({ n: count() })
    .from(listeners)
    .innerJoin(loadBalancers, eq(loadBalancers.id, listeners.loadBalancerId))
    .where(eq(loadBalancers.projectId, projectId));
  if (n >= project.listenerQuota)
    throw new AppError(
      "QUOTA_EXCEEDED",
      `Quota exceeded: enterprise project ${project.name} can have at most ${project.listenerQuota} listeners across all its load balancers. Delete a listener or ask the administrator for a higher quota.`,
    );
}
