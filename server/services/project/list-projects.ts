import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eips, listeners, loadBalancers, projects } from "@/db/schema";
import type { ServiceContext } from "../context";
import { qualified } from "../qualified-column";

/** An enterprise project with its quotas and what it uses of them. */
export interface ProjectView {
  id: string;
  name: string;
  description: string;
  loadBalancerQuota: number;
  listenerQuota: number;
  loadBalancerCount: number;
  listenerCount: number;
  eipCount: number;
  createdAt: Date;
}

/** Project views, by name; `id` narrows to one project. */
export async function queryProjectViews(db: Database, id?: string): Promise<ProjectView[]> {
  return db
    .select({
      id: projects.id,
      name: projects.name,
      description: projects.description,
      loadBalancerQuota: projects.loadBalancerQuota,
      listenerQuota: projects.listenerQuota,
      loadBalancerCount: sql<number>`(select count(*)::int from ${loadBalancers} where ${qualified(loadBalancers.projectId)} = ${qualified(projects.id)})`,
      listenerCount: sql<number>`(select count(*)::int from ${listeners} inner join ${loadBalancers} on ${qualified(loadBalancers.id)} = ${qualified(listeners.loadBalancerId)} where ${qualified(loadBalancers.projectId)} = ${qualified(projects.id)})`,
      eipCount: sql<number>`(select count(*)::int from ${eips} where ${qualified(eips.projectId)} = ${qualified(projects.id)})`,
      createdAt: projects.createdAt,
    })
    .from(projects)
    .where(id ? eq(projects.id, id) : undefined)
    .orderBy(asc(projects.name));
}

/** Every enterprise project, by name. */
export async function listProjects(ctx: ServiceContext): Promise<ProjectView[]> {
  return queryProjectViews(ctx.db);
}
