import "server-only";
import { redactSecrets, storableText } from "./redact";

/** Largest serialized trace body (request or response) stored, in characters. */
export const TRACE_BODY_LIMIT = 16 * 1024;

/**
 * A trace body ready for the jsonb column: redacted and sanitized (see `redactSecrets`), and when its
 * JSON is longer than `limit`, replaced by `{ truncated: true, size, preview }` where `preview` is the
 * first part of that JSON. null for undefined.
 */
export function traceBody(value: unknown, limit = TRACE_BODY_LIMIT): unknown {
  const clean = redactSecrets(value);
  if (clean === undefined) return null;
  const json = JSON.stringify(clean);
  if (json.length <= limit) return clean;
  return { truncated: true, size: json.length, preview: storableText(json.slice(0, Math.max(0, limit - 100))) };
}
