import "server-only";
import { and, asc, eq, lte } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alarmNotifications } from "@/db/schema";

/** Options of one delivery run; defaults in brackets. */
export interface DeliverNotificationsOptions {
  db: Database;
  /** The clock [Date.now]. */
  now?: () => number;
  /** Time allowed for one POST, connection to response headers [5000 ms]. */
  timeoutMs?: number;
  /** Attempts before a notification is FAILED [3]. */
  maxAttempts?: number;
  /** Wait before the 2nd attempt; doubled for each further one [10000 ms]. */
  backoffMs?: number;
  /** Most notifications sent in one run [20]. */
  batch?: number;
}

/** What one attempt ended with. */
interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

/**
 * Sends the notifications that are due (PENDING, next attempt time passed) as JSON POSTs to their
 * webhook, one attempt each: a 2xx answer makes it DELIVERED; anything else (another status, refused
 * connection, timeout) records the status code or error and the attempt count, and schedules a retry
 * with doubling backoff until `maxAttempts`, then FAILED. Each row is claimed before its POST (its next
 * attempt moved past the timeout), so two runs never send the same attempt. Returns how many were tried.
 */
export async function deliverDueNotifications(opts: DeliverNotificationsOptions): Promise<number> {
  const { db } = opts;
  const clock = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const maxAttempts = opts.maxAttempts ?? 3;
  const backoffMs = opts.backoffMs ?? 10_000;
  const due = await db
    .select({ id: alarmNotifications.id })
    .from(alarmNotifications)
    .where(and(eq(alarmNotifications.status, "PENDING"), lte(alarmNotifications.nextAttemptAt, new Date(clock()))))
    .orderBy(asc(alarmNotifications.nextAttemptAt))
    .limit(opts.batch ?? 20);
  let tried = 0;
  for (const { id } of due) {
    const claimedAt = clock();
    const [row] = await db
      .update(alarmNotifications)
      .set({ nextAttemptAt: new Date(claimedAt + timeoutMs + 5_000) })
      .where(and(eq(alarmNotifications.id, id), eq(alarmNotifications.status, "PENDING"), lte(alarmNotifications.nextAttemptAt, new Date(claimedAt))))
      .returning();
    if (!row) continue;
    tried++;
    const result = await postJson(row.url, row.payload, timeoutMs);
    const attempts = row.attempts + 1;
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const finished = clock();
    await db
      .update(alarmNotifications)
      .set({
        attempts,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        status: delivered ? "DELIVERED" : attempts >= maxAttempts ? "FAILED" : "PENDING",
        nextAttemptAt: delivered || attempts >= maxAttempts ? null : new Date(finished + backoffMs * 2 ** (attempts - 1)),
        deliveredAt: delivered ? new Date(finished) : null,
      })
      .where(eq(alarmNotifications.id, row.id));
  }
  return tried;
}

/** One POST of `payload` as JSON; redirects are not followed (a 3xx is a failed attempt). */
async function postJson(url: string, payload: unknown, timeoutMs: number): Promise<AttemptResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "self-hosted-elb-alarms/1" },
      body: JSON.stringify(payload),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `HTTP ${response.status} ${response.statusText}`.trim() };
  } catch (error) {
    return { statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

/** "timed out after 5000 ms", "connect ECONNREFUSED 127.0.0.1:9", …: the cause, not fetch's generic "fetch failed". */
function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause?.message ?? e?.cause?.code;
  return (cause ? `${e.message}: ${cause}` : (e?.message ?? String(error))).slice(0, 500);
}
