"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { formError } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { AlarmRuleView } from "@/server/services/alarm-rule/alarm-rule-view";
import { createAlarmRuleSchema, updateAlarmRuleSchema } from "@/server/services/alarm-rule/alarm-rule.schemas";
import type { MetricId } from "@/server/metrics/metric-catalog";
import { AlarmRuleFields, draftInput, type AlarmRuleDraft } from "./alarm-rule-fields";
import { useRefreshAlarmRules } from "./use-refresh-alarm-rules";

const FIELDS: readonly string[] = ["name", "description", "resourceType", "dimension", "loadBalancerId", "listenerId", "metric", "statistic", "periodSeconds", "comparison", "threshold", "consecutivePeriods", "severity", "enabled", "webhookUrl"];
const fieldOf = (field: string) => (FIELDS.includes(field) ? field : null);

const EMPTY: AlarmRuleDraft = {
  name: "",
  description: "",
  dimension: "LOAD_BALANCER",
  loadBalancerId: "",
  listenerId: "",
  metric: "m1_cps",
  statistic: "AVG",
  periodSeconds: 300,
  comparison: ">",
  threshold: "",
  consecutivePeriods: 3,
  severity: "MAJOR",
  enabled: true,
  webhookUrl: "",
};

/** Create Alarm Rule (guide 8.2.1). */
export function CreateAlarmRuleDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAlarmRules();
  const objects = useQuery(trpc.alarmRule.monitoredObjects.queryOptions());
  const [draft, setDraft] = useState<AlarmRuleDraft>(EMPTY);
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const create = useMutation(trpc.alarmRule.create.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Create Alarm Rule" submitLabel="Create" onClose={onClose} onSubmit={() => save(draftInput(draft), create.mutate, createAlarmRuleSchema)} pending={create.isPending} message={formMessage ?? formError(objects.error, [])}>
      <AlarmRuleFields draft={draft} onChange={setDraft} errors={errors} objects={objects.data ?? []} />
    </FormDialog>
  );
}

/** Modify Alarm Rule (guide 8.2.2): every field, the same form. */
export function ModifyAlarmRuleDialog({ rule, onClose }: { rule: AlarmRuleView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAlarmRules();
  const objects = useQuery(trpc.alarmRule.monitoredObjects.queryOptions());
  const [draft, setDraft] = useState<AlarmRuleDraft>({
    name: rule.name,
    description: rule.description,
    dimension: rule.dimension,
    loadBalancerId: rule.loadBalancerId,
    listenerId: rule.listenerId ?? "",
    metric: rule.metric as MetricId,
    statistic: rule.statistic,
    periodSeconds: rule.periodSeconds,
    comparison: rule.comparison,
    threshold: String(rule.threshold),
    consecutivePeriods: rule.consecutivePeriods,
    severity: rule.severity,
    enabled: rule.enabled,
    webhookUrl: rule.webhookUrl ?? "",
  });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const update = useMutation(trpc.alarmRule.update.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Modify Alarm Rule" submitLabel="Modify" onClose={onClose} onSubmit={() => save({ id: rule.id, ...draftInput(draft) }, update.mutate, updateAlarmRuleSchema)} pending={update.isPending || objects.isLoading} message={formMessage ?? formError(objects.error, [])}>
      {rule.object.orphaned && (
        <p className="mb-2 rounded bg-amber-50 px-3 py-2 text-xs text-amber-800 ring-1 ring-amber-200">
          The monitored object {rule.objectName} was deleted: choose another one to modify this rule, or delete the rule.
        </p>
      )}
      {objects.data && <AlarmRuleFields draft={draft} onChange={setDraft} errors={errors} objects={objects.data} />}
    </FormDialog>
  );
}
