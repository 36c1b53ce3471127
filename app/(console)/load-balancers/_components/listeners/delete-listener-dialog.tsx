"use client";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { useRefreshBackends } from "../backend-server-groups/use-refresh-backends";

/** Delete a listener (guide 3.7): its backend server group goes with it; refused while the group has servers. */
export function DeleteListenerDialog({ listener, onClose }: { listener: ListenerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const mutation = useMutation(
    trpc.listener.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <Dialog
      open
      title="Delete Listener"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            No
          </Button>
          <Button variant="danger" disabled={mutation.isPending} onClick={() => mutation.mutate({ id: listener.id })}>
            Yes
          </Button>
        </>
      }
    >
      <p>
        Are you sure you want to delete listener <strong>{listener.name}</strong> ({listener.protocol}/{listener.port})?
      </p>
      {listener.pool && (
        <p className="mt-2 text-slate-600">
          Its backend server group <strong>{listener.pool.name}</strong> and the group&apos;s health check will be deleted too. Remove the group&apos;s backend servers first.
        </p>
      )}
      {mutation.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
    </Dialog>
  );
}
