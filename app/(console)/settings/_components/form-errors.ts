import { errorMessage } from "@/app/_lib/format";

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
