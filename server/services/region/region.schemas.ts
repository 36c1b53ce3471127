import { z } from "zod";

/** Input rules of regions (Settings > Regions and Enterprise Projects). */

/** Region code such as "local-1": 1–32 lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
export const regionCodeSchema = z
  .string({ error: "Region code: enter 1 to 32 characters, e.g. local-2" })
  .trim()
  .min(1, "Region code: enter 1 to 32 characters, e.g. local-2")
  .max(32, "Region code: can contain at most 32 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Region code: can contain only lowercase letters, digits and hyphens (-), and must start and end with a letter or digit");

/** Region name shown in the selector: 1–64 characters, no angle brackets. */
export const regionNameSchema = z
  .string({ error: "Region name: enter 1 to 64 characters" })
  .trim()
  .min(1, "Region name: enter 1 to 64 characters")
  .max(64, "Region name: can contain at most 64 characters")
  .regex(/^[^<>]*$/, "Region name: cannot contain angle brackets (< and >)")
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, "Region name: cannot contain control characters (U+0000 to U+001F)");

/** Create Region. */
export const createRegionSchema = z.object({ code: regionCodeSchema, name: regionNameSchema });

/** Rename a region (its code identifies it and does not change). */
export const renameRegionSchema = z.object({ id: z.string().min(1), name: regionNameSchema });

/** An operation on one region by id. */
export const regionIdSchema = z.object({ id: z.string().min(1) });
