import type { UrlMatchRule } from "@/db/schema/listener-l7";
import { randomNameSuffix } from "@/server/services/field-schemas";
import { urlMatchRuleLabels } from "@/server/services/forwarding-policy/url-match";
import type { CreateForwardingPolicyInput, UpdateForwardingPolicyInput } from "@/server/services/forwarding-policy/forwarding-policy.schemas";
import { newPoolDraft, poolFieldsOf, type PoolDraft } from "../backend-server-groups/pool-draft";
import { healthCheckFieldsOf, newHealthCheckDraft, type HealthCheckDraft } from "../backend-server-groups/health-check-draft";
import type { PoolChoiceMode } from "./pool-choice-fields";

/** URL Matching Rule options in the guide's words (table 3-7), in matching priority order. */
export const URL_MATCH_RULES: { value: UrlMatchRule; label: string }[] = (["EXACT", "PREFIX", "REGEX"] as const).map((value) => ({ value, label: urlMatchRuleLabels[value] }));

/** The guide's label of a URL Matching Rule. */
export const urlMatchRuleLabel = (rule: UrlMatchRule) => urlMatchRuleLabels[rule];

/** What the Forwarding Policies tab needs of a policy (a `ForwardingPolicyView`). */
export interface ForwardingPolicyRow {
  id: string;
  name: string;
  description: string;
  domainName: string | null;
  url: string | null;
  urlMatchRule: UrlMatchRule;
  pool: { id: string; name: string };
}

/** What the Add/Modify Forwarding Policy form holds while the user edits it. */
export interface ForwardingPolicyDraft {
  name: string;
  domainName: string;
  url: string;
  urlMatchRule: UrlMatchRule;
  description: string;
  mode: PoolChoiceMode;
  pool: PoolDraft;
  health: HealthCheckDraft;
  existingPoolId: string;
}

/** A new policy: "forwarding_policy-xxxx", Exact match, a new HTTP group with a health check. */
export function newForwardingPolicyDraft(): ForwardingPolicyDraft {
  return {
    name: `forwarding_policy-${randomNameSuffix()}`,
    domainName: "",
    url: "",
    urlMatchRule: "EXACT",
    description: "",
    mode: "new",
    pool: newPoolDraft("HTTP"),
    health: newHealthCheckDraft("HTTP"),
    existingPoolId: "",
  };
}

/** The form for an existing policy (Modify): its group is an existing one. */
export function forwardingPolicyDraftOf(policy: ForwardingPolicyRow): ForwardingPolicyDraft {
  return {
    ...newForwardingPolicyDraft(),
    name: policy.name,
    domainName: policy.domainName ?? "",
    url: policy.url ?? "",
    urlMatchRule: policy.urlMatchRule,
    description: policy.description,
    mode: "existing",
    existingPoolId: policy.pool.id,
  };
}

/** The matching fields of a draft; a blank Domain Name or URL is sent as null (none). */
function policyFieldsOf(draft: ForwardingPolicyDraft) {
  return {
    name: draft.name,
    domainName: draft.domainName.trim() === "" ? null : draft.domainName.trim(),
    url: draft.url.trim() === "" ? null : draft.url.trim(),
    urlMatchRule: draft.urlMatchRule,
    description: draft.description,
  };
}

/** Add Forwarding Policy's input: the policy and its group, Create new (HTTP, with its health check) or Use existing. */
export function createForwardingPolicyInputOf(listenerId: string, draft: ForwardingPolicyDraft): CreateForwardingPolicyInput {
  return {
    listenerId,
    ...policyFieldsOf(draft),
    pool:
      draft.mode === "new"
        ? { mode: "new", ...poolFieldsOf(draft.pool), protocol: "HTTP", healthMonitor: draft.health.enabled ? healthCheckFieldsOf(draft.health) : null }
        : { mode: "existing", poolId: draft.existingPoolId },
  };
}

/** Modify Forwarding Policy's input: every field, blank Domain Name/URL cleared, and the (existing) group. */
export function updateForwardingPolicyInputOf(id: string, draft: ForwardingPolicyDraft): UpdateForwardingPolicyInput {
  return { id, ...policyFieldsOf(draft), poolId: draft.existingPoolId };
}

/** Where a server error about the group shows in the form: Modify's `poolId` is the Use existing select. */
export const policyErrorField = (field: string) => (field === "poolId" ? "pool.poolId" : field);
