import { z } from "zod";

/**
 * Field schemas shared by the listener, backend server group, backend server and health check inputs.
 * Every message starts with the guide's field label and says the allowed range, so the form can show
 * it beside the field and a service error names what to fix.
 */

/** A whole number in [min, max]; messages name `label` ("Frontend Port: must be between 1 and 65535"). */
export function integerInRange(label: string, min: number, max: number) {
  const range = `${label}: must be a whole number between ${min} and ${max}`;
  return z.number({ error: `${label}: enter a number between ${min} and ${max}` }).int(range).min(min, range).max(max, range);
}

/** A TCP/UDP port 1–65535. */
export const portSchema = (label: string) => integerInRange(label, 1, 65535);

/** A resource name: 1–64 letters, digits, underscores, hyphens, periods (same rule as load balancer names). */
export function resourceNameSchema(label = "Name") {
  return z
    .string({ error: `${label}: enter 1 to 64 characters` })
    .trim()
    .min(1, `${label}: enter 1 to 64 characters`)
    .max(64, `${label}: can contain at most 64 characters`)
    .regex(/^[\p{L}\p{N}_.-]+$/u, `${label}: can contain only letters, digits, underscores (_), hyphens (-) and periods (.)`);
}

/** Refuses control characters (U+0000–U+001F, U+007F) in a one-line text field, naming it by `label`. */
export function withoutControlCharacters(schema: z.ZodString, label: string) {
  // eslint-disable-next-line no-control-regex
  return schema.regex(/^[^\u0000-\u001f\u007f]*$/, `${label}: cannot contain control characters (U+0000 to U+001F)`);
}

/** Description: up to 255 characters, no angle brackets, no control characters. */
export const resourceDescriptionSchema = withoutControlCharacters(
  z.string().max(255, "Description: can contain at most 255 characters").regex(/^[^<>]*$/, "Description: cannot contain angle brackets (< and >)"),
  "Description",
).default("");

/** An id of an existing row, with a message for an empty choice. */
export const idSchema = (message = "Select an item") => z.string({ error: message }).min(1, message);

/** Four random lowercase letters/digits, for default names such as "listener-pnqy". */
export function randomNameSuffix(): string {
  return Math.random().toString(36).slice(2, 6).padEnd(4, "0");
}
