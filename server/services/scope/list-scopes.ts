import "server-only";
import { asc } from "drizzle-orm";
import { projects, regions } from "@/db/schema";
import type { ServiceContext } from "../context";

/** Regions and enterprise projects for the selector in the upper left, plus the current choice. */
export async function listScopes(ctx: ServiceContext) {
  const [regionRows, projectRows] = await Promise.all([
    ctx.db.select({ id: regions.id, code: regions.code, name: regions.name }).from(regions).orderBy(asc(regions.code)),
    ctx.db.select({ id: projects.id, name: projects.name }).from(projects).orderBy(asc(projects.name)),
  ]);
  return { regions: regionRows, projects: projectRows, current: ctx.scope, user: ctx.user };
}
