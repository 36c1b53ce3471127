import "server-only";
import { asc } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import type { ServiceContext } from "../context";
import { traceScopeClause } from "./trace-scope";
import { traceSourceOf, type TraceSource } from "./trace-source";

/** What the Trace List's drop-downs offer: the trace sources, names, resource types and operators of the last seven days. */
export interface TraceFilterOptions {
  traceSources: TraceSource[];
  traceNames: string[];
  resourceTypes: string[];
  /** Users who left traces, plus every current user. */
  operators: string[];
}

/** Distinct values present in the traces of the selected region and project (last seven days). */
export async function listTraceFilterOptions(ctx: ServiceContext, now = new Date()): Promise<TraceFilterOptions> {
  const where = traceScopeClause(ctx.scope, now);
  const [names, types, operators, userRows] = await Promise.all([
    ctx.db.selectDistinct({ v: traces.traceName }).from(traces).where(where).orderBy(asc(traces.traceName)),
    ctx.db.selectDistinct({ v: traces.resourceType }).from(traces).where(where).orderBy(asc(traces.resourceType)),
    ctx.db.selectDistinct({ v: traces.userName }).from(traces).where(where),
    ctx.db.select({ v: users.username }).from(users),
  ]);
  const allOperators = [...new Set([...operators, ...userRows].map((r) => r.v))].sort((a, b) => a.localeCompare(b));
  const traceSources = [...new Set(types.map((r) => traceSourceOf(r.v)))].sort();
  return { traceSources, traceNames: names.map((r) => r.v), resourceTypes: types.map((r) => r.v), operators: allOperators };
}
