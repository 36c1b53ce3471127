import type { z } from "zod";
import { errorMessage } from "@/app/_lib/format";

/** Error messages by field path ("pool.healthMonitor.intervalSeconds"), first message per field. */
export type FieldErrors = Record<string, string>;

/** The input field a failed tRPC call names (services and zod both set `data.field`), or null. */
export function errorField(error: unknown): string | null {
  const data = (error as { data?: { field?: unknown } } | null)?.data;
  return typeof data?.field === "string" && data.field ? data.field : null;
}

/** The error message to show under `field`, when the failed call is about that field. */
export function fieldError(error: unknown, field: string): string | null {
  return error && errorField(error) === field ? errorMessage(error) : null;
}

/** The message to show above the buttons: errors not about one of the form's own fields. */
export function formError(error: unknown, fields: readonly string[]): string | null {
  if (!error) return null;
  const field = errorField(error);
  return field && fields.includes(field) ? null : errorMessage(error);
}

/** Field errors of a failed zod parse (the same schema the server uses). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}

/** The field a server error names (tRPC `data.field`), if any, and its message. */
export function serverError(error: unknown): { field: string | null; message: string } {
  return { field: errorField(error), message: errorMessage(error) };
}

/** "" → NaN (the schema then says "enter a number"), else the number typed. */
export const numberOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
