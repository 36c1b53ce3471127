import { z } from "zod";
import { idSchema, integerInRange, resourceNameSchema } from "../field-schemas";

/** Input rules of log groups (guide chapter 7, "Create Log Group"): a named store with a retention limit by age and size. */

/** Retention (days): records older than this are deleted. */
export const retentionDaysSchema = integerInRange("Retention (days)", 1, 365);
/** Size limit (MiB): the group's oldest files are trimmed beyond it. */
export const maxSizeMegabytesSchema = integerInRange("Size Limit (MiB)", 1, 1_048_576);

/** Create Log Group: a name unique in the project; retention 7 days and 10 240 MiB unless given. */
export const createLogGroupSchema = z.object({
  name: resourceNameSchema("Log Group Name"),
  retentionDays: retentionDaysSchema.default(7),
  maxSizeMegabytes: maxSizeMegabytesSchema.default(10_240),
});
export type CreateLogGroupInput = z.input<typeof createLogGroupSchema>;

/** Modify a log group: its name, retention or size limit. */
export const updateLogGroupSchema = z.object({
  id: idSchema("Log Group: select a log group"),
  name: resourceNameSchema("Log Group Name").optional(),
  retentionDays: retentionDaysSchema.optional(),
  maxSizeMegabytes: maxSizeMegabytesSchema.optional(),
});
export type UpdateLogGroupInput = z.input<typeof updateLogGroupSchema>;

/** One log group by id. */
export const logGroupIdSchema = z.object({ id: idSchema("Log Group: select a log group") });
