"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { useRefreshAlarmRules } from "./use-refresh-alarm-rules";

/** Delete Alarm Rule: Yes deletes the rule with its history and notification records. */
export function DeleteAlarmRuleDialog({ rule, onClose, onDeleted }: { rule: { id: string; name: string }; onClose: () => void; onDeleted?: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAlarmRules();
  const remove = useMutation(
    trpc.alarmRule.delete.mutationOptions({
      onSuccess: async () => {
        onDeleted?.();
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Alarm Rule" onClose={onClose} onConfirm={() => remove.mutate({ id: rule.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete alarm rule <strong>{rule.name}</strong>? Its alarm history and notification records are deleted with it.
    </ConfirmDialog>
  );
}
