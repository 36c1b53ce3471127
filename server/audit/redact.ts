const SECRET_KEY = /pass(word)?|secret|private.?key|token/i;

/** Deep-copies a request/response body for a trace, replacing secret fields with "******". */
import "server-only";
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? "******" : redactSecrets(item, depth + 1);
  }
  return out;
}
