import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { certificates } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/**
 * Loads a certificate of the caller's region and enterprise project, locking its row (a listener taking it
 * meanwhile waits, or is seen by the caller's checks); 404 otherwise.
 */
export async function requireCertificate(db: Database, scope: Scope, id: string) {
  const [row] = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.id, id), eq(certificates.regionId, scope.regionId), eq(certificates.projectId, scope.projectId)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "Certificate: not found in this region and enterprise project", "id");
  return row;
}
