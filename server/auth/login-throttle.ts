/**
 * Slows password guessing, with the bookkeeping in the database (a restart does not reset it):
 * - per user name: from the 3rd consecutive failure each attempt waits 1 s, doubling up to 30 s, counted
 *   from the last failure (a delay, not a lockout: the right password after the delay works);
 * - per source address: at most ADDRESS_MAX_FAILURES failures (any user names) per WINDOW_MS.
 * An attempt is counted as a failure before its password is checked (so parallel guesses cannot slip in
 * between check and count) and taken back when it succeeds.
 */
import "server-only";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loginThrottle as throttleTable, type LoginThrottleScope } from "@/db/schema";

/** Consecutive failures of one user name before attempts are delayed. */
export const FREE_FAILURES = 2;
/** First delay (after the 3rd consecutive failure). */
export const BASE_DELAY_MS = 1_000;
/** Longest delay per user name. */
export const MAX_DELAY_MS = 30_000;
/** Failures one address may make per window, whatever the user names. */
export const ADDRESS_MAX_FAILURES = 30;
/** Window of the per-address limit; a user name's count is forgotten this long after its last failure. */
export const WINDOW_MS = 15 * 60 * 1000;

/** Delay a user name must wait after `failures` consecutive failures. */
export function accountDelayMs(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_MS);
}

/** Why and for how long an attempt is refused. */
export interface ThrottleRefusal {
  scope: LoginThrottleScope;
  waitMs: number;
}

/** Failed log-in bookkeeping per user name and per source address, stored in `login_throttle`. */
export class LoginThrottle {
  constructor(private readonly now: () => number = Date.now) {}

  /** Refuses the attempt while a delay or limit applies; otherwise counts it as a failure until `succeeded`. */
  async begin(db: Database, sourceIp: string, username: string): Promise<ThrottleRefusal | null> {
    const now = this.now();
    const at = new Date(now);
    await db.delete(throttleTable).where(lt(throttleTable.lastFailureAt, new Date(now - WINDOW_MS)));
    return db.transaction(async (tx) => {
      const fresh = { failures: 0, windowStartedAt: at, lastFailureAt: at };
      // Sorted order ("address" < "user") on insert and lock: concurrent attempts cannot deadlock.
      await tx
        .insert(throttleTable)
        .values([
          { scope: "address", key: sourceIp, ...fresh },
          { scope: "user", key: username, ...fresh },
        ])
        .onConflictDoNothing();
      const rows = await tx
        .select()
        .from(throttleTable)
        .where(or(and(eq(throttleTable.scope, "address"), eq(throttleTable.key, sourceIp)), and(eq(throttleTable.scope, "user"), eq(throttleTable.key, username))))
        .orderBy(throttleTable.scope)
        .for("update");
      const address = rows.find((row) => row.scope === "address")!;
      const user = rows.find((row) => row.scope === "user")!;
      const windowOver = now - address.windowStartedAt.getTime() >= WINDOW_MS;
      if (!windowOver && address.failures >= ADDRESS_MAX_FAILURES) return { scope: "address" as const, waitMs: Math.min(address.windowStartedAt.getTime() + WINDOW_MS - now, WINDOW_MS) };
      // Waits are capped: a clock stepped back (or a replica behind) must not turn a delay into a lockout.
      const userWait = user.lastFailureAt.getTime() + accountDelayMs(user.failures) - now;
      if (userWait > 0) return { scope: "user" as const, waitMs: Math.min(userWait, MAX_DELAY_MS) };
      await tx
        .update(throttleTable)
        .set(windowOver ? { failures: 1, windowStartedAt: at, lastFailureAt: at } : { failures: address.failures + 1, lastFailureAt: at })
        .where(and(eq(throttleTable.scope, "address"), eq(throttleTable.key, sourceIp)));
      await tx
        .update(throttleTable)
        .set({ failures: user.failures + 1, lastFailureAt: at })
        .where(and(eq(throttleTable.scope, "user"), eq(throttleTable.key, username)));
      return null;
    });
  }

  /** The attempt `begin` counted succeeded: the user name starts afresh, the address gets its attempt back. */
  async succeeded(db: Database, sourceIp: string, username: string): Promise<void> {
    await db.transaction(async (tx) => {
      await tx
        .update(throttleTable)
        .set({ failures: sql`greatest(${throttleTable.failures} - 1, 0)` })
        .where(and(eq(throttleTable.scope, "address"), eq(throttleTable.key, sourceIp)));
      await tx.delete(throttleTable).where(and(eq(throttleTable.scope, "user"), eq(throttleTable.key, username)));
    });
  }
}

/** The console's throttle (real clock; its state lives in the database). */
export const loginThrottle = new LoginThrottle();
