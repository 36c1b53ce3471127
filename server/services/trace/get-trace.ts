import "server-only";
import { and, eq } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { traceIdSchema } from "./trace.schemas";
import { traceScopeClause } from "./trace-scope";
import { traceSourceOf, type TraceSource } from "./trace-source";

/**
 * The account (CTS "domain") every user of this console belongs to: a self-hosted console is one account,
 * its users are that account's users.
 */
export const CONSOLE_DOMAIN = { name: "elb-console", id: "elb-console" } as const;

/** Version of the console API the traced calls went through. */
export const TRACE_API_VERSION = "v1.0";

/**
 * The trace as View Trace shows it: the "context" object of guide Figure 9-2, with its field names, order
 * and nesting; `request` and `response` are JSON text, as in the figure (secrets already redacted).
 */
export interface TraceContext {
  code: string;
  source_ip: string;
  trace_type: "ConsoleAction";
  event_type: "system";
  project_id: string | null;
  trace_id: string;
  trace_name: string;
  resource_type: string;
  trace_rating: string;
  api_version: string;
  service_type: TraceSource;
  request: string | null;
  response: string | null;
  resource_id: string | null;
  tracker_name: "system";
  /** Operation time, milliseconds since the epoch, as a string (like the guide's example). */
  time: string;
  resource_name: string | null;
  /** When the trace was written: in the operation's own transaction, so at its time. */
  record_time: string;
  /** The operator: id null when the user no longer exists (or never did: a refused log-in). */
  user: { id: string | null; name: string; domain: { name: string; id: string } };
}

/** A stored body as the JSON text the figure shows; null when there was none. */
function bodyText(body: unknown): string | null {
  return body == null ? null : JSON.stringify(body);
}

/** View Trace (guide 9.2 step 7): one trace of the selected region/project, as its context object. */
export async function getTrace(ctx: ServiceContext, rawInput: unknown, now = new Date()): Promise<TraceContext> {
  const { id } = parseInput(traceIdSchema, rawInput);
  const [found] = await ctx.db
    .select({ trace: traces, userId: users.id })
    .from(traces)
    .leftJoin(users, eq(users.username, traces.userName))
    .where(and(eq(traces.id, id), traceScopeClause(ctx.scope, now)));
  if (!found) throw new AppError("NOT_FOUND", "Trace: not found in this region and enterprise project within the last 7 days", "id");
  const row = found.trace;
  const time = String(row.time.getTime());
  return {
    code: row.code,
    source_ip: row.sourceIp,
    trace_type: "ConsoleAction",
    event_type: "system",
    project_id: row.projectId,
    trace_id: row.id,
    trace_name: row.traceName,
    resource_type: row.resourceType,
    trace_rating: row.status,
    api_version: TRACE_API_VERSION,
    service_type: traceSourceOf(row.resourceType),
    request: bodyText(row.request),
    response: bodyText(row.response),
    resource_id: row.resourceId,
    tracker_name: "system",
    time,
    resource_name: row.resourceName,
    record_time: time,
    user: { id: found.userId, name: row.userName, domain: { ...CONSOLE_DOMAIN } },
  };
}
