"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { PoolView } from "@/server/services/pool/pool-view";
import { useRefreshBackends } from "./use-refresh-backends";

/** Delete a backend server group (guide 4.3); the server refuses while a listener uses it or it has servers. */
export function DeletePoolDialog({ pool, onClose, onDeleted }: { pool: PoolView; onClose: () => void; onDeleted: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const mutation = useMutation(
    trpc.pool.delete.mutationOptions({
      onSuccess: async () => {
        onDeleted();
        onClose();
        await refresh();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Backend Server Group" onClose={onClose} onConfirm={() => mutation.mutate({ id: pool.id })} pending={mutation.isPending} error={mutation.error}>
      <p>
        Are you sure you want to delete backend server group <strong>{pool.name}</strong>?
      </p>
      {(pool.listener || pool.memberCount > 0) && (
        <p className="mt-2 text-slate-600">
          {pool.listener ? `Listener ${pool.listener.name} uses it. ` : ""}
          {pool.memberCount > 0 ? `It has ${pool.memberCount} backend server(s); remove them first.` : ""}
        </p>
      )}
    </ConfirmDialog>
  );
}
