import "server-only";
import type { Database } from "@/db/client";
import { traces, type TraceStatus } from "@/db/schema";
import { storableText } from "./redact";
import { traceBody } from "./trace-body";

/** One audited operation, as the tRPC audit middleware describes it. */
export interface TraceRecord {
  traceName: string;
  resourceType: string;
  resourceId?: string | null;
  resourceName?: string | null;
  userName: string;
  sourceIp: string;
  code: number;
  projectId?: string | null;
  regionId?: string | null;
  request: unknown;
  response: unknown;
  /** Bound of each stored body in characters (default `TRACE_BODY_LIMIT`). */
  bodyLimit?: number;
}

/** Trace status from a result code: 2xx normal, 4xx warning, 5xx incident. */
export function traceStatusFor(code: number): TraceStatus {
  if (code >= 500) return "incident";
  if (code >= 400) return "warning";
  return "normal";
}

/** Bounds a free-text column of a trace (names, ids) so a hostile value cannot bloat or break the row. */
function shortText(value: string | null | undefined, max = 256): string | null {
  if (value == null) return null;
  return storableText(value.slice(0, max));
}

/**
 * Writes an audit trace (bodies redacted and bounded). Throws when the row cannot be written: callers
 * that run it in the operation's transaction thereby make the operation fail too.
 */
export async function insertTrace(db: Database, record: TraceRecord): Promise<void> {
  await db.insert(traces).values({
    traceName: record.traceName,
    resourceType: record.resourceType,
    resourceId: shortText(record.resourceId),
    resourceName: shortText(record.resourceName),
    userName: shortText(record.userName) ?? "",
    sourceIp: shortText(record.sourceIp, 64) ?? "",
    code: String(record.code),
    status: traceStatusFor(record.code),
    request: traceBody(record.request, record.bodyLimit),
    response: traceBody(record.response, record.bodyLimit),
    projectId: record.projectId ?? null,
    regionId: record.regionId ?? null,
  });
}

/** Writes an audit trace like `insertTrace` but never throws (logs instead): for operations already refused. */
export async function recordTrace(db: Database, record: TraceRecord): Promise<void> {
  try {
    await insertTrace(db, record);
  } catch (error) {
    console.error("[elb] could not record trace", record.traceName, error);
  }
}
