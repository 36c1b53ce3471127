"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LogGroupView } from "@/server/services/log-group/log-group-view";
import type { LogStreamView } from "@/server/services/log-stream/log-stream-view";
import { useRefreshLogManagement } from "./use-refresh-log-management";

/** Delete a log group and its log streams; refused (and the dialog says by which load balancers) while one is in use. */
export function DeleteLogGroupDialog({ group, onClose, onDeleted }: { group: LogGroupView; onClose: () => void; onDeleted: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const remove = useMutation(
    trpc.logGroup.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onDeleted();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Log Group" onClose={onClose} onConfirm={() => remove.mutate({ id: group.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete log group <strong>{group.name}</strong> and its {group.streamCount} log stream{group.streamCount === 1 ? "" : "s"}? A log group whose streams a load balancer logs into cannot be deleted.
    </ConfirmDialog>
  );
}

/** Delete a log stream; refused (naming the load balancers) while a load balancer's access logging uses it. */
export function DeleteLogStreamDialog({ stream, onClose }: { stream: LogStreamView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const remove = useMutation(
    trpc.logStream.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Log Stream" onClose={onClose} onConfirm={() => remove.mutate({ id: stream.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete log stream <strong>{stream.name}</strong>? A log stream a load balancer logs into cannot be deleted.
    </ConfirmDialog>
  );
}
