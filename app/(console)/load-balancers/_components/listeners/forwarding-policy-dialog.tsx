"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { UrlMatchRule } from "@/db/schema/listener-l7";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { HealthCheckFields } from "../backend-server-groups/health-check-fields";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { createForwardingPolicySchema, updateForwardingPolicySchema } from "@/server/services/forwarding-policy/forwarding-policy.schemas";
import {
  createForwardingPolicyInputOf,
  forwardingPolicyDraftOf,
  newForwardingPolicyDraft,
  policyErrorField,
  updateForwardingPolicyInputOf,
  URL_MATCH_RULES,
  type ForwardingPolicyDraft,
  type ForwardingPolicyRow,
} from "./forwarding-policy-draft";
import { PoolChoiceFields } from "./pool-choice-fields";
import { useRefreshListeners } from "./use-refresh-listeners";

/**
 * Add Forwarding Policy / Modify Forwarding Policy (guide 3.8.1, table 3-7): Configure Forwarding Policy
 * (Name, Domain Name, URL, URL Matching Rule, Description) and Add Backend Server Group (Create new with
 * the group and health check fields, backend protocol HTTP; or Use existing).
 */
export function ForwardingPolicyDialog({ listener, policy, onClose }: { listener: ListenerView; policy?: ForwardingPolicyRow; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const pools = useQuery(trpc.pool.list.queryOptions({ loadBalancerId: listener.loadBalancerId }));
  const [draft, setDraft] = useState<ForwardingPolicyDraft>(() => (policy ? forwardingPolicyDraftOf(policy) : newForwardingPolicyDraft()));
  const { errors, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf: policyErrorField });
  const set = (change: Partial<ForwardingPolicyDraft>) => setDraft((d) => ({ ...d, ...change }));
  const create = useMutation(trpc.forwardingPolicy.create.mutationOptions(mutationOptions));
  const update = useMutation(trpc.forwardingPolicy.update.mutationOptions(mutationOptions));
  // HTTP groups of the load balancer that are no listener's default group and serve no other listener's
  // policies (the server's "Use existing" rule), and the policy's own.
  const candidates =
    pools.data?.filter(
      (p) => p.protocol === "HTTP" && ((!p.listener && p.forwardingPolicies.every((f) => f.listener.id === listener.id)) || p.id === policy?.pool.id),
    ) ?? [];
  /** Checks with the server's schema first (Domain Name or URL required, the URL against its rule), then saves. */
  const submit = () =>
    policy
      ? save(updateForwardingPolicyInputOf(policy.id, draft), update.mutate, updateForwardingPolicySchema)
      : save(createForwardingPolicyInputOf(listener.id, draft), create.mutate, createForwardingPolicySchema);
  const shownFields = ["name", "domainName", "url", "urlMatchRule", "description"];
  const formMessage = errors.form ?? Object.entries(errors).find(([field]) => !shownFields.includes(field) && !field.startsWith("pool"))?.[1] ?? null;
  return (
    <FormDialog title={policy ? "Modify Forwarding Policy" : "Add Forwarding Policy"} onClose={onClose} onSubmit={submit} pending={create.isPending || update.isPending} message={formMessage}>
      <div className="max-h-[60vh] overflow-y-auto pr-2">
        <h3 className="mb-1 font-medium">Configure Forwarding Policy</h3>
        <Field label="Name" htmlFor="policy-name" required error={errors.name}>
          <Input id="policy-name" aria-label="Name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />
        </Field>
        <Field label="Domain Name" htmlFor="policy-domain" error={errors.domainName} hint="Exactly matched against the request's host, e.g. www.test.com. Either a domain name or a URL must be specified.">
          <Input id="policy-domain" aria-label="Domain Name" value={draft.domainName} onChange={(e) => set({ domainName: e.target.value })} autoComplete="off" />
        </Field>
        <Field label="URL" htmlFor="policy-url" error={errors.url} hint="e.g. /login.php. The same path cannot be configured for two forwarding policies.">
          <Input id="policy-url" aria-label="URL" value={draft.url} onChange={(e) => set({ url: e.target.value })} autoComplete="off" />
        </Field>
        <Field
          label="URL Matching Rule"
          htmlFor="policy-url-match-rule"
          error={errors.urlMatchRule}
          hint="Exact match enjoys the highest priority, followed by Prefix match. Regular expression match is the last matching rule that will be used."
        >
          <Select id="policy-url-match-rule" aria-label="URL Matching Rule" value={draft.urlMatchRule} onChange={(e) => set({ urlMatchRule: e.target.value as UrlMatchRule })}>
            {URL_MATCH_RULES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Description" htmlFor="policy-description" error={errors.description}>
          <Textarea id="policy-description" aria-label="Description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
        </Field>
        <h3 className="mt-3 mb-1 border-t border-slate-100 pt-3 font-medium">{policy ? "Backend Server Group" : "Add Backend Server Group"}</h3>
        <PoolChoiceFields
          mode={draft.mode}
          onModeChange={(mode) => set({ mode })}
          draft={draft.pool}
          onDraftChange={(pool) => set({ pool })}
          existingPoolId={draft.existingPoolId}
          onExistingChange={(existingPoolId) => set({ existingPoolId })}
          candidates={candidates}
          loading={pools.isLoading}
          backend="HTTP"
          errors={errors}
          existingOnly={!!policy}
          existingHint="HTTP backend server groups of this load balancer that are no listener's default group and serve no other listener's forwarding policies. The backend protocol can only be HTTP."
        />
        {draft.mode === "new" && !policy && (
          <>
            <h3 className="mt-3 mb-1 border-t border-slate-100 pt-3 font-medium">Health Check</h3>
            <HealthCheckFields draft={draft.health} onChange={(health) => set({ health })} errors={errors} poolProtocol="HTTP" prefix="pool.healthMonitor." />
          </>
        )}
      </div>
    </FormDialog>
  );
}
