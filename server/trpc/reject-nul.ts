import "server-only";
import { AppError } from "../errors";

const MAX_DEPTH = 64;

function find(value: unknown, path: string[], depth: number, seen: Set<object>): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (!value || typeof value !== "object" || seen.has(value) || depth > MAX_DEPTH) return null;
  seen.add(value);
  for (const [key, item] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key];
    const hit = find(item, [...path, key], depth + 1, seen);
    if (hit) return hit;
  }
  return null;
}

/**
 * Refuses input holding U+0000 in any string or key, wherever it is: no database text column can store
 * it, and no field of this console means it. Throws AppError("BAD_REQUEST") naming the field (its path
 * in the input, e.g. "tags.0.key"). Names and descriptions refuse the other control characters in
 * their own schemas.
 */
export function rejectNul(input: unknown): void {
  const path = find(input, [], 0, new Set());
  if (!path) return;
  const field = path.map((p) => p.replace(/\u0000/g, "\\0")).join(".");
  throw new AppError("BAD_REQUEST", `${field || "Input"}: cannot contain the NUL character (U+0000)`, field || undefined);
}
