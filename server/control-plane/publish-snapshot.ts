import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { settings } from "@/db/schema";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import { compileSnapshot, type ConfigDiagnostic } from "./compile";
import { loadConfigRows } from "./load-config-rows";
import { getDatabaseEpoch } from "./database-epoch";

const VERSION_KEY = "snapshot";

/**
 * Compiles the current configuration; when its hash differs from the last published one, bumps the
 * persisted version and returns the new snapshot, else returns the last one unchanged. The version row is
 * locked first and the configuration read in the same repeatable-read transaction, so a version always
 * goes with the rows it was compiled from (even with several console replicas on one PostgreSQL). The
 * compiler's diagnostics come with it, whether the snapshot changed or not.
 */
export async function buildNextSnapshot(db: Database): Promise<{ snapshot: Snapshot; changed: boolean; diagnostics: ConfigDiagnostic[] }> {
  const epoch = await getDatabaseEpoch(db);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(settings).where(eq(settings.key, VERSION_KEY)).for("update");
    const last = (row?.value as { version: number; hash: string } | undefined) ?? { version: 0, hash: "" };
    const rows = await loadConfigRows(tx);
    const { snapshot: candidate, diagnostics } = compileSnapshot(rows, last.version + 1, epoch);
    if (candidate.hash === last.hash) return { snapshot: { ...candidate, version: last.version }, changed: false, diagnostics };
    const value = { version: candidate.version, hash: candidate.hash };
    if (row) await tx.update(settings).set({ value }).where(eq(settings.key, VERSION_KEY));
    else await tx.insert(settings).values({ key: VERSION_KEY, value });
    return { snapshot: candidate, changed: true, diagnostics };
  }, { isolationLevel: "repeatable read" });
}
