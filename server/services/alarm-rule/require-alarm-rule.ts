import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { alarmRules } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/** Loads an alarm rule of the caller's project for a change, locking its row (the evaluator locks it too). */
export async function requireAlarmRule(db: Database, scope: Scope, id: string) {
  const [rule] = await db
    .select()
    .from(alarmRules)
    .where(and(eq(alarmRules.id, id), eq(alarmRules.projectId, scope.projectId)))
    .for("update");
  if (!rule) throw new AppError("NOT_FOUND", "Alarm rule: not found (it may have been deleted)", "id");
  return rule;
}
