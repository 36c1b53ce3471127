import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { regions, settings } from "@/db/schema";

/** Settings key of the region users without a region cookie work in. */
export const DEFAULT_REGION_SETTING = "defaultRegionId";

const storedDefault = async (db: Database) =>
  (await db.select({ value: settings.value }).from(settings).where(eq(settings.key, DEFAULT_REGION_SETTING)))[0]?.value;

const regionExists = async (db: Database, id: unknown) =>
  typeof id === "string" && (await db.select({ id: regions.id }).from(regions).where(eq(regions.id, id))).length > 0;

/**
 * The default region's id, stored explicitly in `settings` so that adding a region never moves users who
 * have no region cookie. When none is stored yet (or the stored region was deleted) the first region by
 * code becomes the default and is stored (the first writer wins); null only when there is no region.
 */
export async function defaultRegionId(db: Database): Promise<string | null> {
  const stored = await storedDefault(db);
  if (await regionExists(db, stored)) return stored as string;
  const [first] = await db.select({ id: regions.id }).from(regions).orderBy(asc(regions.code)).limit(1);
  if (!first) return null;
  if (stored === undefined) {
    await db.insert(settings).values({ key: DEFAULT_REGION_SETTING, value: first.id }).onConflictDoNothing();
  } else {
    // Replace only the stale value we saw: a concurrent caller's fresh choice is kept.
    await db
      .update(settings)
      .set({ value: first.id })
      .where(and(eq(settings.key, DEFAULT_REGION_SETTING), sql`${settings.value} = ${JSON.stringify(stored)}::jsonb`));
  }
  const now = await storedDefault(db);
  return (await regionExists(db, now)) ? (now as string) : first.id;
}
