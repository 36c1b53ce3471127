import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { settings } from "@/db/schema";

const EPOCH_KEY = "database.epoch";

/**
 * The identity of this database as a configuration source, created once. Snapshots carry it so the
 * engine knows that versions from another database (after a switch or a restore) are not comparable.
 */
export async function getDatabaseEpoch(db: Database): Promise<string> {
  const read = async () => (await db.select().from(settings).where(eq(settings.key, EPOCH_KEY)))[0]?.value as string | undefined;
  const existing = await read();
  if (existing) return existing;
  await db.insert(settings).values({ key: EPOCH_KEY, value: randomUUID() }).onConflictDoNothing();
  return (await read())!;
}
