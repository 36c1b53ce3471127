"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { createHealthMonitorSchema, updateHealthMonitorSchema } from "@/server/services/health-monitor/health-monitor.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import { HealthCheckFields } from "./health-check-fields";
import { healthCheckDraftFromView, healthCheckFieldsOf, newHealthCheckDraft } from "./health-check-draft";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { useRefreshBackends } from "./use-refresh-backends";

/**
 * Configure Health Check (guide 5.1, 5.2): enable or disable the check and set table 5-1. A group without
 * a check gets a new one (its protocol is then fixed); disabling keeps the settings for later.
 */
export function ConfigureHealthCheckDialog({ pool, onClose }: { pool: PoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const existing = pool.healthMonitor;
  const [draft, setDraft] = useState(() => (existing ? healthCheckDraftFromView(existing) : newHealthCheckDraft(pool.protocol)));
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose });
  const create = useMutation(trpc.healthMonitor.create.mutationOptions(mutationOptions));
  const update = useMutation(trpc.healthMonitor.update.mutationOptions(mutationOptions));
  const submit = () => {
    // Disabled: only the switch matters; the stored settings stay as they are.
    const fields = draft.enabled ? healthCheckFieldsOf(draft) : { enabled: false };
    if (!existing && !draft.enabled) return onClose();
    const input = { poolId: pool.id, ...fields };
    if (existing) save(input, update.mutate, updateHealthMonitorSchema);
    else save(input, create.mutate, createHealthMonitorSchema);
  };
  return (
    <FormDialog title="Configure Health Check" onClose={onClose} onSubmit={submit} pending={create.isPending || update.isPending} message={formMessage}>
      <p className="mb-2 text-slate-600">
        Backend server group <strong>{pool.name}</strong> ({pool.protocol})
      </p>
      <HealthCheckFields draft={draft} onChange={setDraft} errors={errors} poolProtocol={pool.protocol} protocolLocked={!!existing} />
    </FormDialog>
  );
}
