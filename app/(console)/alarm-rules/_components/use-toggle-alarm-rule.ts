"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";
import { useRefreshAlarmRules } from "./use-refresh-alarm-rules";

/** Enable or Disable a rule (its state is kept while disabled). */
export function useToggleAlarmRule() {
  const trpc = useTRPC();
  const refresh = useRefreshAlarmRules();
  const mutation = useMutation(trpc.alarmRule.setEnabled.mutationOptions({ onSuccess: () => refresh() }));
  return { toggle: (rule: { id: string; enabled: boolean }) => mutation.mutate({ id: rule.id, enabled: !rule.enabled }), error: mutation.error, pending: mutation.isPending };
}
