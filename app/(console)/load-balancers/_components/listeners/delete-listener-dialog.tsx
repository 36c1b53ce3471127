"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { useRefreshListeners } from "./use-refresh-listeners";

/**
 * Delete a listener (guide 3.7): its backend server group goes with it; refused while the group has
 * servers, and for an HTTPS listener while a redirect points at it. `onDeleted` runs after the delete
 * (the listener's own page leaves for the load balancer's).
 */
export function DeleteListenerDialog({ listener, onClose, onDeleted }: { listener: ListenerView; onClose: () => void; onDeleted?: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const mutation = useMutation(
    trpc.listener.delete.mutationOptions({
      onSuccess: async () => {
        onDeleted?.();
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Listener" onClose={onClose} onConfirm={() => mutation.mutate({ id: listener.id })} pending={mutation.isPending} error={mutation.error}>
      <p>
        Are you sure you want to delete listener <strong>{listener.name}</strong> ({listener.protocol}/{listener.port})?
      </p>
      {listener.pool && (
        <p className="mt-2 text-slate-600">
          Its backend server group <strong>{listener.pool.name}</strong> and the group&apos;s health check will be deleted too. Remove the group&apos;s backend servers first.
        </p>
      )}
    </ConfirmDialog>
  );
}
