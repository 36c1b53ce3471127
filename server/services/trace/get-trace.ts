import "server-only";
import { and, eq } from "drizzle-orm";
import { traces } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { traceIdSchema } from "./trace.schemas";
import { traceScopeClause } from "./trace-scope";

/** The trace as View Trace shows it: the "context" object of guide Figure 9-2. */
export interface TraceContext {
  code: string;
  source_ip: string;
  trace_type: "ConsoleAction";
  event_type: "system";
  project_id: string | null;
  region_id: string | null;
  trace_id: string;
  trace_name: string;
  resource_type: string;
  trace_rating: string;
  service_type: "ELB";
  resource_id: string | null;
  resource_name: string | null;
  /** Operation time, milliseconds since the epoch, as a string (like the guide's example). */
  time: string;
  user: { name: string };
  request: unknown;
  response: unknown;
}

/** View Trace (guide 9.2 step 7): one trace of the selected region/project, as its context object. */
export async function getTrace(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<TraceContext> {
  const { id } = parseInput(traceIdSchema, rawInput);
  const [row] = await ctx.db.select().from(traces).where(and(eq(traces.id, id), traceScopeClause(ctx.scope, now)));
  if (!row) throw new AppError("NOT_FOUND", "Trace: not found in this region and enterprise project within the last 7 days", "id");
  return {
    code: row.code,
    source_ip: row.sourceIp,
    trace_type: "ConsoleAction",
    event_type: "system",
    project_id: row.projectId,
    region_id: row.regionId,
    trace_id: row.id,
    trace_name: row.traceName,
    resource_type: row.resourceType,
    trace_rating: row.status,
    service_type: "ELB",
    resource_id: row.resourceId,
    resource_name: row.resourceName,
    time: String(row.time.getTime()),
    user: { name: row.userName },
    request: row.request,
    response: row.response,
  };
}
