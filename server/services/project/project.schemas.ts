import { z } from "zod";

/** Input rules of enterprise projects (Settings > Regions and Enterprise Projects). */

// The forms import this file, so it must not pull in the database schema; project.test.ts checks these
// equal the column defaults in db/schema/projects.ts.
/** Default load balancer quota of a new enterprise project (guide 10.2.2.3). */
export const DEFAULT_LOAD_BALANCER_QUOTA = 50;
/** Default listener quota of a new enterprise project (guide 10.2.2.3). */
export const DEFAULT_LISTENER_QUOTA = 100;

/** Smallest and largest quota an administrator may set. */
export const QUOTA_MIN = 1;
export const QUOTA_MAX = 10000;

/** Enterprise project name: 1–64 letters, digits, underscores, hyphens, periods. */
export const projectNameSchema = z
  .string({ error: "Enterprise project name: enter 1 to 64 characters" })
  .trim()
  .min(1, "Enterprise project name: enter 1 to 64 characters")
  .max(64, "Enterprise project name: can contain at most 64 characters")
  .regex(/^[\p{L}\p{N}_.-]+$/u, "Enterprise project name: can contain only letters, digits, underscores (_), hyphens (-) and periods (.)");

/** Description: up to 255 characters, no angle brackets. */
export const projectDescriptionSchema = z
  .string()
  .max(255, "Description: can contain at most 255 characters")
  .regex(/^[^<>]*$/, "Description: cannot contain angle brackets (< and >)")
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, "Description: cannot contain control characters (U+0000 to U+001F)");

const quotaSchema = (label: string) =>
  z
    .number({ error: `${label}: enter a whole number between ${QUOTA_MIN} and ${QUOTA_MAX}` })
    .int(`${label}: must be a whole number between ${QUOTA_MIN} and ${QUOTA_MAX}`)
    .min(QUOTA_MIN, `${label}: must be between ${QUOTA_MIN} and ${QUOTA_MAX}`)
    .max(QUOTA_MAX, `${label}: must be between ${QUOTA_MIN} and ${QUOTA_MAX}`);

/** Load balancer quota (default 50, guide 10.2.2.3). */
export const loadBalancerQuotaSchema = quotaSchema("Load balancer quota");
/** Listener quota shared by the project's load balancers (default 100, guide 10.2.2.3). */
export const listenerQuotaSchema = quotaSchema("Listener quota");

/** Create Enterprise Project. */
export const createProjectSchema = z.object({
  name: projectNameSchema,
  description: projectDescriptionSchema.default(""),
  loadBalancerQuota: loadBalancerQuotaSchema.default(DEFAULT_LOAD_BALANCER_QUOTA),
  listenerQuota: listenerQuotaSchema.default(DEFAULT_LISTENER_QUOTA),
});

/** Modify an enterprise project: any of its fields. */
export const updateProjectSchema = z.object({
  id: z.string().min(1),
  name: projectNameSchema.optional(),
  description: projectDescriptionSchema.optional(),
  loadBalancerQuota: loadBalancerQuotaSchema.optional(),
  listenerQuota: listenerQuotaSchema.optional(),
});

/** An operation on one enterprise project by id. */
export const projectIdSchema = z.object({ id: z.string().min(1) });
