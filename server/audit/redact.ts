import "server-only";

const SECRET_KEY = /pass(word)?|secret|private.?key|token/i;
/** Deeper values are replaced by a marker: a trace is a summary, not a copy of any structure. */
const MAX_DEPTH = 12;
/** Longer strings are cut (the whole body is bounded again when serialized). */
const MAX_STRING = 4096;
/** Arrays and objects keep at most this many entries. */
const MAX_ENTRIES = 200;

/**
 * A PEM private key anywhere in a string (pasted into the wrong field, echoed in a message): replaced
 * whole, BEGIN to END, and from a BEGIN to the end of the string when its END is missing or cut off.
 */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g;
/** What a redacted private key becomes. */
export const REDACTED_PRIVATE_KEY = "[private key redacted]";

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text jsonb/text columns can store: U+0000 and lone surrogates become U+FFFD. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, "\uFFFD");
}

function safeString(value: string): string {
  if (value.includes("PRIVATE KEY-----")) value = value.replace(PEM_PRIVATE_KEY, REDACTED_PRIVATE_KEY);
  const cut = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[truncated]` : value;
  return storableText(cut);
}

function walk(value: unknown, depth: number, seen: Set<object>): unknown {
  if (typeof value === "string") return safeString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value === "boolean") return value;
  if (typeof value !== "object") return value === undefined ? undefined : `[${typeof value}]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "[invalid date]" : value.toISOString();
  if (seen.has(value)) return "[cycle]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ENTRIES).map((item) => walk(item, depth + 1, seen) ?? null);
      if (value.length > MAX_ENTRIES) items.push(`[${value.length - MAX_ENTRIES} more]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    const entries = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
    for (const [key, item] of entries.slice(0, MAX_ENTRIES)) {
      out[safeString(key)] = SECRET_KEY.test(key) ? "******" : walk(item, depth + 1, seen);
    }
    if (entries.length > MAX_ENTRIES) out["[more]"] = entries.length - MAX_ENTRIES;
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * Copies a request/response body for a trace as plain JSON data: secret fields become "******", PEM
 * private keys inside any string become "[private key redacted]",
 * BigInts and invalid Dates become strings, U+0000 is replaced, cycles and nesting deeper than 12 become
 * markers, long strings and collections are cut. Never throws.
 */
export function redactSecrets(value: unknown): unknown {
  return walk(value, 0, new Set());
}
