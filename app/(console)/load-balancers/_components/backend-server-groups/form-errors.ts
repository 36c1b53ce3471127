import type { z } from "zod";
import { errorMessage } from "@/app/_lib/format";

/** Error messages by field path ("pool.healthMonitor.intervalSeconds"), first message per field. */
export type FieldErrors = Record<string, string>;

/** Field errors of a failed zod parse (the same schema the server uses). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}

/** The field a server error names (tRPC `data.field`), if any, and its message. */
export function serverError(error: unknown): { field: string | null; message: string } {
  const field = (error as { data?: { field?: string | null } } | null)?.data?.field ?? null;
  return { field: field || null, message: errorMessage(error) };
}

/** "" → NaN (the schema then says "enter a number"), else the number typed. */
export const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
