import "server-only";
import { and, eq, gte, isNull, or, type SQL } from "drizzle-orm";
import { traces } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { TRACE_RETENTION_DAYS } from "./trace.schemas";

/** Earliest time the Trace List shows: seven days before `now`. */
export function retentionStart(now: Date): Date {
  return new Date(now.getTime() - TRACE_RETENTION_DAYS * 24 * 60 * 60 * 1000);
}

/** Traces of the selected region and enterprise project (guide 9.2 step 2), within the last seven days. */
export function traceScopeClause(scope: Scope, now: Date): SQL {
  return and(
    or(eq(traces.regionId, scope.regionId), isNull(traces.regionId)),
    or(eq(traces.projectId, scope.projectId), isNull(traces.projectId)),
    gte(traces.time, retentionStart(now)),
  )!;
}

/**
 * Refuses a time range that reaches further back than the last seven days (guide 9.2: "any time range of
 * the last seven days"), naming the field and the earliest time allowed.
 */
export function assertWithinRetention(range: { from?: Date; to?: Date }, now: Date): void {
  const earliest = retentionStart(now);
  const limit = `${TRACE_RETENTION_DAYS} days (not before ${earliest.toISOString()})`;
  if (range.from && range.from < earliest) throw new AppError("BAD_REQUEST", `Time range: the start time must be within the last ${limit}`, "from");
  if (range.to && range.to < earliest) throw new AppError("BAD_REQUEST", `Time range: the end time must be within the last ${limit}`, "to");
}
