import { z } from "zod";
import { idSchema, resourceDescriptionSchema, resourceNameSchema, withoutControlCharacters } from "../field-schemas";
import { healthMonitorIssues } from "../health-monitor/health-monitor.schemas";
import { addIssues, stickySessionIssues } from "../pool/pool.schemas";
import { listenerPoolChoiceSchema } from "../listener/listener.schemas";
import { domainNameProblem, policyMatchIssues } from "./url-match";

/**
 * Input rules of forwarding policies (guide 3.8.1, table 3-7). Add Forwarding Policy is one input: the
 * policy and its backend server group (Create new, backend protocol HTTP, with its health check; or Use
 * existing).
 */

/** Most forwarding policies one listener can have (guide 3.8.1). */
export const FORWARDING_POLICY_LIMIT = 500;

/** Domain Name: a host name, matched exactly, stored lower-cased; blank = none. */
const domainNameSchema = z
  .string({ error: "Domain Name: enter a host name such as www.test.com" })
  .trim()
  .toLowerCase()
  .superRefine((value, ctx) => {
    const problem = value === "" ? null : domainNameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .nullish()
  .transform((value) => value || null);

/** URL: a path (Exact/Prefix match) or a regular expression, checked with its rule by `policyMatchIssues`; blank = none. */
const urlSchema = withoutControlCharacters(z.string({ error: "URL: enter a path such as /login.php" }).trim(), "URL")
  .nullish()
  .transform((value) => value || null);

const urlMatchRuleSchema = z.enum(["EXACT", "PREFIX", "REGEX"], { error: "URL Matching Rule: choose Exact match, Prefix match or Regular expression match" });

/** Add Forwarding Policy (table 3-7), committed as one transaction with a new backend server group. */
export const createForwardingPolicySchema = z
  .object({
    listenerId: idSchema("Listener: select an HTTP or HTTPS listener"),
    name: resourceNameSchema("Name"),
    domainName: domainNameSchema,
    url: urlSchema,
    /** Default Exact match. */
    urlMatchRule: urlMatchRuleSchema.default("EXACT"),
    description: resourceDescriptionSchema,
    pool: listenerPoolChoiceSchema,
  })
  .superRefine((value, ctx) => {
    addIssues(ctx, policyMatchIssues(value));
    if (value.pool.mode !== "new") return;
    if (value.pool.protocol && value.pool.protocol !== "HTTP") {
      ctx.addIssue({ code: "custom", path: ["pool", "protocol"], message: "Backend Protocol: can only be HTTP for a forwarding policy (table 3-7)" });
      return;
    }
    addIssues(ctx, stickySessionIssues("HTTP", value.pool.algorithm, value.pool.stickySession), ["pool"]);
    if (value.pool.healthMonitor) addIssues(ctx, healthMonitorIssues("HTTP", value.pool.healthMonitor), ["pool", "healthMonitor"]);
  });
export type CreateForwardingPolicyInput = z.input<typeof createForwardingPolicySchema>;

/**
 * Modify a forwarding policy: any field; absent = unchanged, null clears Domain Name or URL. The result
 * must still satisfy the rules across fields (checked by the service against the stored policy).
 */
export const updateForwardingPolicySchema = z.object({
  id: idSchema("Forwarding Policy: select a forwarding policy"),
  name: resourceNameSchema("Name").optional(),
  domainName: domainNameSchema.optional(),
  url: urlSchema.optional(),
  urlMatchRule: urlMatchRuleSchema.optional(),
  description: resourceDescriptionSchema.unwrap().optional(),
  /** Another HTTP backend server group of the load balancer ("Use existing" rules). */
  poolId: idSchema("Backend Server Group: select a backend server group").optional(),
});
export type UpdateForwardingPolicyInput = z.input<typeof updateForwardingPolicySchema>;

/** One forwarding policy by id. */
export const forwardingPolicyIdSchema = z.object({ id: idSchema("Forwarding Policy: select a forwarding policy") });

/** The forwarding policies of a listener. */
export const listForwardingPoliciesSchema = z.object({ listenerId: idSchema("Listener: select a listener") });
