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
