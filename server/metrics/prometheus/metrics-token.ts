import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { metricsTokens } from "@/db/schema";

/** Prefix of every Prometheus token (recognisable in a config file or a leak scanner). */
export const METRICS_TOKEN_PREFIX = "elbm_";

/** A new random token (32 random bytes, base64url): shown once, never stored. */
export function generateMetricsToken(): string {
  return METRICS_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** What is stored of a token: its SHA-256, hex. */
export function hashMetricsToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The token of an `Authorization: Bearer <token>` header; null when the header is absent or another scheme. */
export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? "");
  return match ? match[1]! : null;
}

/**
 * Checks a scrape's Authorization header against the stored hashes; on success records the use and
 * answers the token's id. Null for no header, another scheme, or an unknown (deleted) token.
 */
export async function authenticateMetricsScrape(db: Database, authorization: string | null, now = new Date()): Promise<string | null> {
  const token = bearerToken(authorization);
  if (!token || token.length > 200) return null;
  const [row] = await db.update(metricsTokens).set({ lastUsedAt: now }).where(eq(metricsTokens.tokenHash, hashMetricsToken(token))).returning({ id: metricsTokens.id });
  return row?.id ?? null;
}
