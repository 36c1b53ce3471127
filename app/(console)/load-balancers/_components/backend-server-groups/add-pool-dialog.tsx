"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { createPoolSchema, type CreatePoolInput } from "@/server/services/pool/pool.schemas";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { PoolFields } from "./pool-fields";
import { HealthCheckFields } from "./health-check-fields";
import { newPoolDraft, poolFieldsOf } from "./pool-draft";
import { healthCheckFieldsOf, newHealthCheckDraft } from "./health-check-draft";
import { serverError, zodFieldErrors, type FieldErrors } from "@/app/_lib/form-errors";
import { useRefreshBackends } from "./use-refresh-backends";

/** Add Backend Server Group (guide 4.3, tables 4-1 and 4-2): the group and its health check, one transaction. */
export function AddPoolDialog({ lb, onClose, onAdded }: { lb: LoadBalancerView; onClose: () => void; onAdded: (poolId: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const [draft, setDraft] = useState(() => newPoolDraft("TCP"));
  const [health, setHealth] = useState(() => newHealthCheckDraft("TCP"));
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation(
    trpc.pool.create.mutationOptions({
      onSuccess: async (pool) => {
        await refresh();
        onAdded(pool.id);
        onClose();
      },
      onError: (error) => {
        const { field, message } = serverError(error);
        setErrors({ [field ?? "form"]: message });
      },
    }),
  );
  const changeDraft = (next: typeof draft) => {
    // A UDP group is checked with UDP; TCP and HTTP groups default to their own protocol.
    if (next.protocol !== draft.protocol) setHealth((h) => newHealthCheckDraft(next.protocol, h.enabled));
    setDraft(next);
  };
  const submit = () => {
    const input: CreatePoolInput = { loadBalancerId: lb.id, ...poolFieldsOf(draft), protocol: draft.protocol, healthMonitor: health.enabled ? healthCheckFieldsOf(health) : null };
    const result = createPoolSchema.safeParse(input);
    if (!result.success) return setErrors(zodFieldErrors(result.error));
    setErrors({});
    mutation.mutate(input);
  };
  return (
    <FormDialog title="Add Backend Server Group" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={errors.form ?? null}>
      <div className="max-h-[60vh] overflow-y-auto pr-2">
        <PoolFields draft={draft} onChange={changeDraft} errors={errors} protocolEditable />
        <h3 className="mt-3 border-t border-slate-100 pt-3 font-medium">Health Check</h3>
        <HealthCheckFields draft={health} onChange={setHealth} errors={errors} poolProtocol={draft.protocol} prefix="healthMonitor." />
      </div>
    </FormDialog>
  );
}
