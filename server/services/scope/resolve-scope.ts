import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { projects, regions } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/** Cookie names the region/project selector writes. */
export const REGION_COOKIE = "elb_region";
export const PROJECT_COOKIE = "elb_project";

/**
 * Resolves the region and enterprise project from the selector's cookies; unknown or missing ids fall
 * back to the first region (by code) and the "default" project.
 */
export async function resolveScope(db: Database, wanted: { regionId?: string; projectId?: string }): Promise<Scope> {
  const allRegions = await db.select({ id: regions.id }).from(regions).orderBy(asc(regions.code));
  const region = allRegions.find((r) => r.id === wanted.regionId) ?? allRegions[0];
  const project =
    (wanted.projectId && (await db.select({ id: projects.id }).from(projects).where(eq(projects.id, wanted.projectId)))[0]) ||
    (await db.select({ id: projects.id }).from(projects).where(eq(projects.name, "default")))[0] ||
    (await db.select({ id: projects.id }).from(projects).orderBy(asc(projects.createdAt)).limit(1))[0];
  if (!region || !project) throw new AppError("NOT_FOUND", "No region or enterprise project is configured");
  return { regionId: region.id, projectId: project.id };
}
