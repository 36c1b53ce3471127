import { z } from "zod";
import { AppError } from "./errors";

/**
 * Parses service input with a zod schema; on failure throws one AppError("BAD_REQUEST") whose message
 * names the field and the rule ("Bandwidth: must be between 1 and 2000"), so nothing is written.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".");
  throw new AppError("BAD_REQUEST", issue.message, field || undefined);
}

/** The latest time an input may name (end of year 9999): later dates have no ISO form the database parses ("+275760-…"). */
export const LATEST_INPUT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** True for a time (ms since the epoch) between 1970 and the end of year 9999. */
export function isStorableTime(ms: number): boolean {
  return ms >= 0 && ms <= LATEST_INPUT_TIME_MS;
}
