import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { projects, regions } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { defaultRegionId } from "./default-region";

/** Cookie names the region/project selector writes. */
export const REGION_COOKIE = "elb_region";
export const PROJECT_COOKIE = "elb_project";

/**
 * Resolves the region and enterprise project from the selector's cookies; unknown or missing ids fall
 * back to the stored default region (see defaultRegionId: adding a region moves nobody) and the
 * "default" project.
 */
export async function resolveScope(db: Database, wanted: { regionId?: string; projectId?: string }): Promise<Scope> {
  // Matched in JS, never sent as a query parameter: a planted cookie (e.g. a NUL byte) cannot reach the database.
  const chosen = wanted.regionId ? (await db.select({ id: regions.id }).from(regions)).find((r) => r.id === wanted.regionId) : undefined;
  const fallback = chosen ? null : await defaultRegionId(db);
  const region = chosen ?? (fallback ? { id: fallback } : undefined);
  const project =
    (wanted.projectId && (await db.select({ id: projects.id }).from(projects).where(eq(projects.id, wanted.projectId)))[0]) ||
    (await db.select({ id: projects.id }).from(projects).where(eq(projects.name, "default")))[0] ||
    (await db.select({ id: projects.id }).from(projects).orderBy(asc(projects.createdAt)).limit(1))[0];
  if (!region || !project) throw new AppError("NOT_FOUND", "No region or enterprise project is configured");
  return { regionId: region.id, projectId: project.id };
}
