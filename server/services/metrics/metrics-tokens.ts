import "server-only";
import { asc, eq } from "drizzle-orm";
import { metricsTokens, users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { generateMetricsToken, hashMetricsToken } from "../../metrics/prometheus/metrics-token";
import { createMetricsTokenSchema, metricsTokenIdSchema } from "./metrics.schemas";

/** A Prometheus token as Settings lists it (never the token itself). */
export interface MetricsTokenView {
  id: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Settings → Prometheus: the tokens, oldest first. */
export async function listMetricsTokens(ctx: ServiceContext): Promise<MetricsTokenView[]> {
  return ctx.db
    .select({ id: metricsTokens.id, name: metricsTokens.name, createdBy: metricsTokens.createdBy, createdAt: metricsTokens.createdAt, lastUsedAt: metricsTokens.lastUsedAt })
    .from(metricsTokens)
    .orderBy(asc(metricsTokens.createdAt), asc(metricsTokens.id));
}

/**
 * Creates a token (administrators; audited — the trace's response masks `token`). The answer carries the
 * token once; only its SHA-256 is stored.
 */
export async function createMetricsToken(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string; token: string }> {
  const input = parseInput(createMetricsTokenSchema, rawInput);
  const [taken] = await ctx.db.select({ id: metricsTokens.id }).from(metricsTokens).where(eq(metricsTokens.name, input.name));
  if (taken) throw new AppError("CONFLICT", `Name: a token named "${input.name}" already exists`, "name");
  const token = generateMetricsToken();
  const [creator] = await ctx.db.select({ username: users.username }).from(users).where(eq(users.id, ctx.user.id));
  const [row] = await ctx.db
    .insert(metricsTokens)
    .values({ id: crypto.randomUUID(), name: input.name, tokenHash: hashMetricsToken(token), createdBy: creator?.username ?? ctx.user.username })
    .returning({ id: metricsTokens.id, name: metricsTokens.name });
  return { id: row!.id, name: row!.name, token };
}

/** Deletes a token (administrators; audited): scrapes with it get 401 from then on. */
export async function deleteMetricsToken(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const input = parseInput(metricsTokenIdSchema, rawInput);
  const [row] = await ctx.db.delete(metricsTokens).where(eq(metricsTokens.id, input.id)).returning({ id: metricsTokens.id, name: metricsTokens.name });
  if (!row) throw new AppError("NOT_FOUND", "Token: not found (it may have been deleted)", "id");
  return row;
}
