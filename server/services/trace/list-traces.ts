import "server-only";
import { and, count, desc, eq, gte, ilike, lte, type SQL } from "drizzle-orm";
import { traces, type TraceStatus } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listTracesSchema } from "./trace.schemas";
import { retentionStart, traceScopeClause } from "./trace-scope";
import { containsPattern } from "../like-pattern";

/** One row of the Trace List. */
export interface TraceListItem {
  id: string;
  traceName: string;
  resourceType: string;
  /** Trace Source: always "ELB", the service that recorded it. */
  traceSource: "ELB";
  resourceId: string | null;
  resourceName: string | null;
  status: TraceStatus;
  userName: string;
  code: string;
  time: Date;
}

/**
 * One page of the Trace List (guide 9.2): filters by Resource Type, Search By (trace name, resource ID or
 * resource name), Operator, Trace Status and time range (clamped to the last seven days), newest first.
 */
export async function listTraces(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<{ items: TraceListItem[]; total: number }> {
  const input = parseInput(listTracesSchema, rawInput ?? {});
  const search = input.searchValue || undefined;
  const clauses: (SQL | undefined)[] = [traceScopeClause(ctx.scope, now)];
  if (input.from && input.from > retentionStart(now)) clauses.push(gte(traces.time, input.from));
  if (input.to) clauses.push(lte(traces.time, input.to));
  if (input.resourceType) clauses.push(eq(traces.resourceType, input.resourceType));
  if (input.operator) clauses.push(eq(traces.userName, input.operator));
  if (input.status !== "all") clauses.push(eq(traces.status, input.status));
  if (search && input.searchBy === "traceName") clauses.push(eq(traces.traceName, search));
  if (search && input.searchBy === "resourceId") clauses.push(ilike(traces.resourceId, containsPattern(search)));
  if (search && input.searchBy === "resourceName") clauses.push(ilike(traces.resourceName, containsPattern(search)));
  const where = and(...clauses);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(traces).where(where);
  const rows = await ctx.db
    .select({
      id: traces.id,
      traceName: traces.traceName,
      resourceType: traces.resourceType,
      resourceId: traces.resourceId,
      resourceName: traces.resourceName,
      status: traces.status,
      userName: traces.userName,
      code: traces.code,
      time: traces.time,
    })
    .from(traces)
    .where(where)
    .orderBy(desc(traces.time), desc(traces.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  return { items: rows.map((row) => ({ ...row, traceSource: "ELB" as const })), total };
}
