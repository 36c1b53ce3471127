import "server-only";
import type { Database } from "@/db/client";
import { recordTrace } from "../audit/record-trace";

/** What a log-in or log-out trace says: who (as typed, bounded), from where, and the result; never a password. */
export interface AuthTraceRecord {
  traceName: "log in" | "log out";
  username: string;
  userId?: string | null;
  sourceIp: string;
  code: number;
  response: unknown;
}

/** A user name as typed, bounded and without control characters, for a trace. */
export function traceableUsername(value: unknown): string {
  const text = typeof value === "string" ? value.trim() : "";
  return text.replace(/[\u0000-\u001f\u007f]/g, "?").slice(0, 64) || "unknown";
}

/** Writes the trace of a log-in or log-out (resource type user). */
export async function recordAuthTrace(db: Database, record: AuthTraceRecord): Promise<void> {
  await recordTrace(db, {
    traceName: record.traceName,
    resourceType: "user",
    resourceId: record.userId ?? null,
    resourceName: record.username,
    userName: record.username,
    sourceIp: record.sourceIp,
    code: record.code,
    request: record.traceName === "log in" ? { username: record.username, password: "******" } : null,
    response: record.response,
  });
}
