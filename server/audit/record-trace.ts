import "server-only";
import type { Database } from "@/db/client";
import { traces, type TraceStatus } from "@/db/schema";
import { redactSecrets } from "./redact";

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
}

/** Trace status from a result code: 2xx normal, 4xx warning, 5xx incident. */
export function traceStatusFor(code: number): TraceStatus {
  if (code >= 500) return "incident";
  if (code >= 400) return "warning";
  return "normal";
}

/** Writes an audit trace (bodies redacted). Never throws: auditing must not break the operation. */
export async function recordTrace(db: Database, record: TraceRecord): Promise<void> {
  try {
    await db.insert(traces).values({
      traceName: record.traceName,
      resourceType: record.resourceType,
      resourceId: record.resourceId ?? null,
      resourceName: record.resourceName ?? null,
      userName: record.userName,
      sourceIp: record.sourceIp,
      code: String(record.code),
      status: traceStatusFor(record.code),
      request: redactSecrets(record.request) ?? null,
      response: redactSecrets(record.response) ?? null,
      projectId: record.projectId ?? null,
      regionId: record.regionId ?? null,
    });
  } catch (error) {
    console.error("[elb] could not record trace", record.traceName, error);
  }
}
