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
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { useRefreshBackends } from "./use-refresh-backends";

/** Add Backend Server Group (guide 4.3, tables 4-1 and 4-2): the group and its health check, one transaction. */
export function AddPoolDialog({ lb, onClose, onAdded }: { lb: LoadBalancerView; onClose: () => void; onAdded: (poolId: string) => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const [draft, setDraft] = useState(() => newPoolDraft("TCP"));
  const [health, setHealth] = useState(() => newHealthCheckDraft("TCP"));
  const { errors, formMessage, save, mutationOptions } = useDialogForm<{ id: string }>({ refresh, onClose, onSaved: (pool) => onAdded(pool.id) });
  const mutation = useMutation(trpc.pool.create.mutationOptions(mutationOptions));
  const changeDraft = (next: typeof draft) => {
    // A UDP group is checked with UDP; TCP and HTTP groups default to their own protocol.
    if (next.protocol !== draft.protocol) setHealth((h) => newHealthCheckDraft(next.protocol, h.enabled));
    setDraft(next);
  };
  const submit = () =>
    save<CreatePoolInput>({ loadBalancerId: lb.id, ...poolFieldsOf(draft), protocol: draft.protocol, healthMonitor: health.enabled ? healthCheckFieldsOf(health) : null }, mutation.mutate, createPoolSchema);
  return (
    <FormDialog title="Add Backend Server Group" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={formMessage}>
      <div className="max-h-[60vh] overflow-y-auto pr-2">
        <PoolFields draft={draft} onChange={changeDraft} errors={errors} protocolEditable />
        <h3 className="mt-3 border-t border-slate-100 pt-3 font-medium">Health Check</h3>
        <HealthCheckFields draft={health} onChange={setHealth} errors={errors} poolProtocol={draft.protocol} prefix="healthMonitor." />
      </div>
    </FormDialog>
  );
}
