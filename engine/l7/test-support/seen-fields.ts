import type { SeenRequest } from "./http-fixture";

/** Every value of field `name` (lower case) in the order a test backend received them, one per field line. */
export function fieldValues(seen: SeenRequest, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < seen.rawHeaders.length; i += 2) if (seen.rawHeaders[i]!.toLowerCase() === name) out.push(seen.rawHeaders[i + 1]!);
  return out;
}
