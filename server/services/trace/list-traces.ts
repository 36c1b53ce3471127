import "server-only";
import { and, count, desc, eq, gte, ilike, inArray, lte, notInArray, sql, type SQL } from "drizzle-orm";
import { traces, type TraceStatus } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listTracesSchema } from "./trace.schemas";
import { assertWithinRetention, traceScopeClause } from "./trace-scope";
import { IAM_RESOURCE_TYPES, traceSourceOf, type TraceSource } from "./trace-source";
import { containsPattern } from "../like-pattern";

/** One row of the Trace List. */
export interface TraceListItem {
  id: string;
  traceName: string;
  resourceType: string;
  /** Trace Type: every trace of this console records an operation on a resource. */
  traceType: "management";
  /** Trace Source: the service that recorded it (ELB, or IAM for users). */
  traceSource: TraceSource;
  resourceId: string | null;
  resourceName: string | null;
  status: TraceStatus;
  userName: string;
  code: string;
  sourceIp: string;
  time: Date;
}

/** The condition of a Trace Source filter: IAM's resource types, or all the others. */
function traceSourceClause(source: TraceSource): SQL {
  return source === "IAM" ? inArray(traces.resourceType, [...IAM_RESOURCE_TYPES]) : notInArray(traces.resourceType, [...IAM_RESOURCE_TYPES]);
}

/**
 * One page of the Trace List (guide 9.2): filters by Trace Type, Trace Source, Resource Type, Search By
 * (trace name, resource ID or resource name), Operator, Trace Status and a time range within the last seven
 * days (an older one is refused), newest first.
 */
export async function listTraces(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<{ items: TraceListItem[]; total: number }> {
  const input = parseInput(listTracesSchema, rawInput ?? {});
  const search = input.searchValue || undefined;
  assertWithinRetention(input, now);
  const clauses: (SQL | undefined)[] = [traceScopeClause(ctx.scope, now)];
  // Data traces: none are recorded (see trace-source.ts), so the filter matches nothing.
  if (input.traceType === "data") clauses.push(sql`false`);
  if (input.traceSource) clauses.push(traceSourceClause(input.traceSource));
  if (input.from) clauses.push(gte(traces.time, input.from));
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
      sourceIp: traces.sourceIp,
      time: traces.time,
    })
    .from(traces)
    .where(where)
    .orderBy(desc(traces.time), desc(traces.id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
  return { items: rows.map((row) => ({ ...row, traceType: "management" as const, traceSource: traceSourceOf(row.resourceType) })), total };
}
